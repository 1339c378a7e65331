"""A training day against the real server: thousands of phones join sessions, fetch the
pre-test and submit it, then fetch the post-test and submit that; some send the same
submission again, some drop the connection in the middle of a request and retry.

    .venv/bin/python bench/training_day.py                 # SQLite (a fresh file under a temp dir)
    .venv/bin/python bench/training_day.py --db postgres   # PostgreSQL (a fresh database, see --pg-url)

It starts gunicorn on 127.0.0.1 (--workers sync workers, as `make run` serves; --threads > 1
for gthread workers) on a fresh database loaded with the seed KM and question bank, opens
--sessions sessions, and drives them over asyncio streams (--concurrency phones in flight,
each on its own connection). First every phone joins and fetches the pre-test, like a room
before the trainer says "start". Then comes the measured part, the wave of pre-test
submissions: --rate-hint × --duration phones, so that it lasts about --duration seconds;
the rate of every full 10 seconds of it is printed, to show whether it was sustained. Then
every session switches to the post-test and --post-fraction of the phones fetch and submit it.

Printed: submissions per second, p50/p95 latency of each kind of request, and — checked
against the database — how many acknowledged submissions are missing (lost), how many
submissions are stored more than once (duplicated) and how many stored answers differ
from what the phone sent. Loopback only; every loop is bounded.
"""
import argparse
import asyncio
import contextlib
import hashlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--pg-url", default=os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/test"),
                   help="a database on the PostgreSQL server to create the bench database <name>_training_day "
                        "beside (default %(default)s)")
    p.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default %(default)s)")
    p.add_argument("--threads", type=int, default=1,
                   help="threads per worker: 1 = sync workers, as `make run` serves; more = gthread workers "
                        "(default %(default)s)")
    p.add_argument("--sessions", type=int, default=150, help="training sessions (default %(default)s)")
    p.add_argument("--rate-hint", type=int, default=450,
                   help="submissions/s the phone count is sized for, so the wave lasts --duration "
                        "(default %(default)s)")
    p.add_argument("--duration", type=float, default=60, help="minimum length of the measured wave in seconds")
    p.add_argument("--concurrency", type=int, default=24, help="requests in flight at once (default %(default)s)")
    p.add_argument("--retry-fraction", type=float, default=0.10, help="phones that send their submission twice")
    p.add_argument("--drop-fraction", type=float, default=0.05, help="phones whose first send is cut mid-request")
    p.add_argument("--post-fraction", type=float, default=0.25, help="phones that also take the post-test")
    p.add_argument("--seed", type=int, default=2564)
    return p.parse_args()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def digest(answers: dict) -> str:
    """The same digest the server keeps (assessments.grading.answers_digest)."""
    text = ",".join(f"{k}={answers[k]}" for k in sorted(answers))
    return hashlib.sha256(text.encode()).hexdigest()


# --- the database and the server ----------------------------------------------------------------

def prepare_database(args, tmp: Path, purpose="training_day"):
    """A fresh database: a file under `tmp`, or a PostgreSQL database for `purpose` (dropped first)."""
    if args.db == "sqlite":
        url = f"sqlite:///{tmp / 'training-day.sqlite3'}"
    else:
        import psycopg

        parts = urlsplit(args.pg_url)
        # Named after the given database, so that benches run from different databases on
        # one server do not drop each other's.
        name = f"{parts.path.strip('/') or 'volunteerkm'}_{purpose}"
        with psycopg.connect(args.pg_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = f"{parts.scheme}://{parts.netloc}/{name}"
    os.environ.update({"DATABASE_URL": url, "VAR_DIR": str(tmp), "DJANGO_SETTINGS_MODULE": "volunteerkm.settings",
                       "DEBUG": "false", "LOG_LEVEL": "ERROR"})
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("loadkm", str(ROOT / "content"), verbosity=0)
    call_command("loadquestions", str(ROOT / "content" / "questions"), verbosity=0)
    return url


def make_sessions(n):
    from django.contrib.auth import get_user_model

    from accounts.models import Membership, Unit
    from assessments.models import TestForm, TrainingSession

    pre, post = TestForm.objects.get(key="volunteer-pre-a"), TestForm.objects.get(key="volunteer-post-b")
    sessions = []
    for i in range(n):
        unit = Unit.objects.create(code=f"bench-unit-{i}", name=f"หน่วยงานทดสอบ {i}", province=f"จังหวัด {i % 77}")
        user = get_user_model().objects.create_user(f"bench-trainer-{i}")
        Membership.objects.create(user=user, unit=unit)
        s = TrainingSession.objects.create(title=f"อบรมทดสอบ {i}", unit=unit, date="2026-03-02", trainer=user,
                                           pre_form=pre, post_form=post)
        s.set_phase("pre", "open")
        sessions.append(s.code)
    return sessions


def open_post(codes):
    from assessments.models import TrainingSession

    for s in TrainingSession.objects.filter(code__in=codes):
        s.set_phase("post", "open")


def start_server(args, url, tmp):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "VAR_DIR": str(tmp), "DEBUG": "false"}
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "volunteerkm.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", str(args.workers), "--log-level", "error", "--backlog", "2048",
         *(["--worker-class", "gthread", "--threads", str(args.threads)] if args.threads > 1 else [])],
        cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return proc, port
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("gunicorn did not start within 60 s")


def server_cpu(pid):
    """CPU seconds used so far by gunicorn and its workers (Linux /proc)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid or entry.name == str(pid):  # fields[1] is the parent pid
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


# --- phones -------------------------------------------------------------------------------------

class Stats:
    def __init__(self):
        self.latency = {}
        self.errors = {}

    def record(self, kind, seconds):
        self.latency.setdefault(kind, []).append(seconds)

    def error(self, kind, what):
        key = f"{kind}: {what}"
        self.errors[key] = self.errors.get(key, 0) + 1


MAX_TRIES = 30  # a phone retries a request this many times at most
TIMEOUT = 30.0
JSON = ["Content-Type: application/json"]


class Reply:
    def __init__(self, status_code, body):
        self.status_code, self.body = status_code, body

    def json(self):
        return json.loads(self.body)


def request_head(port, method, path, body, headers) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{port}", "Connection: close",
             f"Content-Length: {len(body)}", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def http(port, method, path, body=b"", headers=()):
    """One HTTP/1.1 request on a new connection, read to the end. Written on plain asyncio
    streams because the load generator shares this machine's CPU with the server: an HTTP
    client library spent more CPU per request than the server's own Python does per
    submission. gunicorn's sync workers close every connection after the response."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request_head(port, method, path, body, headers) + body)
        raw = await reader.read(-1)
    finally:
        writer.close()
    status_line, _, rest = raw.partition(b"\r\n")
    if not status_line.startswith(b"HTTP/1."):
        raise ConnectionError("no HTTP response")
    headers_raw, _, payload = rest.partition(b"\r\n\r\n")
    length = next((int(line.split(b":", 1)[1]) for line in headers_raw.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), None)
    if length is not None and len(payload) != length:
        raise ConnectionError("response cut short")
    return Reply(int(status_line.split()[1]), payload)


async def request(port, stats, kind, method, path, body=b"", headers=()):
    """One logical request, retried on connection errors and 5xx; returns the response."""
    for attempt in range(MAX_TRIES):
        started = time.perf_counter()
        try:
            response = await asyncio.wait_for(http(port, method, path, body, headers), TIMEOUT)
        except (OSError, ConnectionError, TimeoutError) as exc:  # refused, reset, timeout: try again
            stats.error(kind, type(exc).__name__)
            await asyncio.sleep(min(2.0, 0.05 * 2 ** attempt))
            continue
        stats.record(kind, time.perf_counter() - started)
        if response.status_code >= 500:
            stats.error(kind, f"HTTP {response.status_code}")
            await asyncio.sleep(min(2.0, 0.05 * 2 ** attempt))
            continue
        return response
    return None


async def cut_mid_request(port, path, body: bytes, whole: bool):
    """Open a connection, send the request (all of it, or half the body), and hang up
    without reading the answer: a phone losing its signal mid-request."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request_head(port, "POST", path, body, JSON) + (body if whole else body[: len(body) // 2]))
    await writer.drain()
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()


class Phone:
    def __init__(self, n, code, rng):
        self.n, self.code = n, code
        self.device = f"bench-device-{n:06d}"
        self.name = f"ผู้เข้าอบรม {n}"
        self.token = None
        self.tests = {}      # kind → the test JSON
        self.sent = {}       # kind → (idempotency key, answers)
        self.acked = {}      # kind → attempt id
        self.retry = rng.random()
        self.drop = rng.random()
        self.rng = random.Random(n)


async def join_and_fetch(port, stats, phone, kind):
    if phone.token is None:
        body = json.dumps({"name": phone.name, "consent": True, "device": phone.device}).encode()
        r = await request(port, stats, "join", "POST", f"/api/assessments/sessions/{phone.code}/join", body, JSON)
        if r is None or r.status_code != 200:
            stats.error("join", r.status_code if r is not None else "gave up")
            return False
        phone.token = r.json()["participant_token"]
    r = await request(port, stats, f"fetch {kind}", "GET", f"/api/assessments/sessions/{phone.code}/test",
                      headers=[f"X-Participant: {phone.token}"])
    if r is None or r.status_code != 200:
        stats.error(f"fetch {kind}", r.status_code if r is not None else "gave up")
        return False
    phone.tests[kind] = r.json()
    return True


async def submit(port, stats, phone, kind, args):
    test = phone.tests[kind]
    answers = {str(q["id"]): phone.rng.choice(q["options"])["key"] for q in test["questions"]}
    key = f"k{phone.n:06d}{kind}{phone.rng.getrandbits(64):016x}"
    phone.sent[kind] = (key, answers)
    path = f"/api/assessments/sessions/{phone.code}/submit"
    body = json.dumps({"ticket": test["ticket"], "idempotency_key": key, "answers": answers}).encode()
    if phone.drop < args.drop_fraction:
        try:
            await cut_mid_request(port, path, body, whole=phone.drop < args.drop_fraction / 2)
            stats.error(f"submit {kind}", "cut mid-request (then retried)")
        except OSError as exc:
            stats.error(f"submit {kind}", type(exc).__name__)
    sends = 2 if phone.retry < args.retry_fraction else 1
    for _ in range(sends):
        r = await request(port, stats, f"submit {kind}", "POST", path, body, JSON)
        if r is None or r.status_code != 200:
            stats.error(f"submit {kind}", f"HTTP {r.status_code if r is not None else 'gave up'}")
            return False
        ack = r.json()
        if kind in phone.acked and phone.acked[kind] != ack["attempt_id"]:
            stats.error(f"submit {kind}", "second send acknowledged as another attempt")
        phone.acked[kind] = ack["attempt_id"]
    return True


async def run_pool(items, concurrency, work):
    """Run `work(item)` over items, `concurrency` at a time; returns the finish times."""
    queue = asyncio.Queue()
    for item in items:
        queue.put_nowait(item)
    done_at = []

    async def worker():
        while True:
            try:
                item = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            if await work(item):
                done_at.append(time.perf_counter())

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return done_at


async def training_day(args, port, codes, phones, stats, figures):
    n = args.concurrency
    t0 = time.perf_counter()
    await run_pool(phones, n, lambda p: join_and_fetch(port, stats, p, "pre"))
    figures["arrival"] = (len(phones), time.perf_counter() - t0)

    ready = [p for p in phones if "pre" in p.tests]
    t0, cpu0, server0 = time.perf_counter(), time.process_time(), server_cpu(figures["server pid"])
    done = await run_pool(ready, n, lambda p: submit(port, stats, p, "pre", args))
    figures["pre wave"] = (len(done), time.perf_counter() - t0)
    figures["pre wave cpu"] = (server_cpu(figures["server pid"]) - server0, time.process_time() - cpu0)
    figures["pre buckets"] = [sum(1 for t in done if b <= t - t0 < b + 10)
                              for b in range(0, int(max(done) - t0) - 9, 10)]

    await asyncio.to_thread(open_post, codes)
    later = [p for p in ready if p.rng.random() < args.post_fraction]

    async def post(p):
        return await join_and_fetch(port, stats, p, "post") and await submit(port, stats, p, "post", args)

    t0 = time.perf_counter()
    done = await run_pool(later, n, post)
    figures["post wave"] = (len(done), time.perf_counter() - t0)


def check_database(phones):
    """Every submission a phone made is stored exactly once, with the answers it sent."""
    from django.db.models import Count

    from assessments.models import Attempt

    intended = {}
    for p in phones:
        for kind, (key, answers) in p.sent.items():
            intended[key] = (p, kind, digest({int(k): v for k, v in answers.items() if v}))
    stored = {a["idempotency_key"]: a for a in Attempt.objects.values("idempotency_key", "answers_digest", "id",
                                                                      "participant_id", "kind")}
    lost = sum(1 for key in intended if key not in stored)
    acked_missing = sum(1 for p in phones for kind, aid in p.acked.items()
                        if p.sent[kind][0] not in stored or stored[p.sent[kind][0]]["id"] != aid)
    wrong = sum(1 for key, (_, _, d) in intended.items() if key in stored and stored[key]["answers_digest"] != d)
    per_person = Attempt.objects.values("participant_id", "kind").annotate(n=Count("id")).filter(n__gt=1).count()
    extra = len(stored) - len(set(stored) & set(intended))
    return {"intended": len(intended), "stored": len(stored), "lost": lost, "acked but missing": acked_missing,
            "duplicated": per_person + extra, "answers differ": wrong}


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="training-day-"))
    server = None
    try:
        t0 = time.perf_counter()
        url = prepare_database(args, tmp)
        codes = make_sessions(args.sessions)
        n_phones = int(args.rate_hint * args.duration * 1.05)
        rng = random.Random(args.seed)
        phones = [Phone(n, codes[n % len(codes)], rng) for n in range(n_phones)]
        server, port = start_server(args, url, tmp)
        print(f"training day on {args.db}: {args.sessions} sessions, {n_phones} phones, "
              f"gunicorn {args.workers} workers × {args.threads} threads, {args.concurrency} requests in flight, "
              f"set up in {time.perf_counter() - t0:.1f} s", flush=True)
        stats, figures = Stats(), {"server pid": server.pid}
        cpu0, server_cpu0 = time.process_time(), server_cpu(server.pid)
        asyncio.run(training_day(args, port, codes, phones, stats, figures))
        figures["cpu"] = (time.process_time() - cpu0, server_cpu(server.pid) - server_cpu0)
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        server = None
        check = check_database(phones)
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)

    n, secs = figures["arrival"]
    print(f"\narrival:   {n} phones joined and fetched the pre-test in {secs:.1f} s ({2 * n / secs:.0f} requests/s)")
    n, secs = figures["pre wave"]
    print(f"pre-test:  {n} submissions in {secs:.1f} s = {n / secs:.0f} submissions/s over the whole wave")
    if secs < args.duration:
        print(f"           the wave was shorter than --duration {args.duration:.0f} s: raise --rate-hint to measure "
              f"a sustained rate")
    buckets = [b / 10 for b in figures["pre buckets"]]
    if buckets:
        print(f"           each full 10 s of the wave: {', '.join(f'{b:.0f}' for b in buckets)} submissions/s "
              f"(lowest {min(buckets):.0f}/s over {10 * len(buckets)} s)")
    n, secs = figures["post wave"]
    print(f"post-test: {n} phones fetched and submitted in {secs:.1f} s = {n / secs:.0f} submissions/s")
    client_cpu, gunicorn_cpu = figures["cpu"]
    wave_server, wave_client = figures["pre wave cpu"]
    n = figures["pre wave"][0]
    print(f"CPU used: gunicorn {gunicorn_cpu:.0f} s, this load generator {client_cpu:.0f} s; in the pre-test wave "
          f"{1000 * wave_server / n:.1f} ms (server) + {1000 * wave_client / n:.1f} ms (load generator) per submission")
    load = Path("/proc/loadavg").read_text().split()[:3]
    print(f"load average at the end (other work on this machine counts too): {' '.join(load)} (1, 5, 15 min)")
    print("\nlatency (ms)             count     p50     p95     max")
    for kind in sorted(stats.latency):
        values = stats.latency[kind]
        p50, p95 = 1000 * percentile(values, .5), 1000 * percentile(values, .95)
        print(f"  {kind:<20} {len(values):>8} {p50:>7.1f} {p95:>7.1f} {1000 * max(values):>7.1f}")
    if stats.errors:
        print("\nretried or refused along the way:")
        for what, count in sorted(stats.errors.items()):
            print(f"  {what}: {count}")
    print("\nchecked against the database:")
    for k, v in check.items():
        print(f"  {k}: {v}")
    ok = not (check["lost"] or check["duplicated"] or check["acked but missing"] or check["answers differ"])
    print("\nresult: " + ("nothing lost, nothing duplicated" if ok else "SUBMISSIONS LOST OR DUPLICATED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
