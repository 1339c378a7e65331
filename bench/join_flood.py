"""A join flood from one address against the real server, with the rate limits on.

    .venv/bin/python bench/join_flood.py                                   # per-process counters
    REDIS_URL=redis://127.0.0.1:6379/3 .venv/bin/python bench/join_flood.py  # shared counters

It starts gunicorn on 127.0.0.1 on a fresh database (as bench/training_day.py does) and
sends, from 127.0.0.1:

1. --joins joins of made-up people into one session, --concurrency at a time;
2. --guesses lookups of made-up join codes (last: past the misses allowed, the address may
   look up no code until the window ends);

while a room of --room phones joins another session from another loopback address
(127.0.0.2, a school behind its own NAT); the flooding address then joins a third session,
and last it guesses codes. Printed: how many of each were accepted and refused (429), how fast, the latency
of each, the Retry-After given, and whether the room and the third session were served.
Loopback only; every loop is bounded.
"""
import argparse
import asyncio
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import training_day  # noqa: E402  (the bench next to this one: database, server, HTTP on asyncio)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--joins", type=int, default=3000, help="joins sent by the flooding address")
    p.add_argument("--guesses", type=int, default=2000, help="made-up codes tried by the flooding address")
    p.add_argument("--room", type=int, default=100, help="phones of the honest room on another address")
    p.add_argument("--concurrency", type=int, default=24)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--pg-url", default=os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/test"))
    p.add_argument("--threads", type=int, default=1)
    return p.parse_args()


async def send(port, method, path, body=b"", source="127.0.0.1"):
    """One request from `source` (a loopback address); returns (status, headers, seconds)."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(source, 0))
    try:
        writer.write(training_day.request_head(port, method, path, body, training_day.JSON) + body)
        raw = await reader.read(-1)
    finally:
        writer.close()
    head = raw.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in head[1:])}
    return int(head[0].split()[1]), headers, time.perf_counter() - started


async def many(n, concurrency, make_request):
    """Send n requests, `concurrency` at a time; returns [(status, headers, seconds)] and the time taken."""
    queue = list(range(n))
    out = []

    async def worker():
        while queue:
            i = queue.pop()
            out.append(await make_request(i))

    t0 = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return out, time.perf_counter() - t0


def join_body(name, device):
    return json.dumps({"name": name, "consent": True, "device": device}).encode()


def summary(label, results, seconds):
    by_status = {}
    for status, headers, secs in results:
        by_status.setdefault(status, []).append((headers, secs))
    parts = []
    for status in sorted(by_status):
        lat = [s for _, s in by_status[status]]
        parts.append(f"{status}: {len(lat)} (p50 {1000 * training_day.percentile(lat, .5):.0f} ms, "
                     f"p95 {1000 * training_day.percentile(lat, .95):.0f} ms)")
    retry = sorted({int(h["retry-after"]) for h, _ in by_status.get(429, []) if "retry-after" in h})
    print(f"{label}: {len(results)} requests in {seconds:.1f} s ({len(results) / seconds:.0f}/s) — " + "; ".join(parts))
    if retry:
        print(f"    Retry-After given: {retry[0]}–{retry[-1]} s")
    return by_status


async def flood(args, port, codes):
    flooded, room_session, third = codes
    rng = random.Random(1)

    async def fake_join(i):
        return await send(port, "POST", f"/api/assessments/sessions/{flooded}/join",
                          join_body(f"ผู้บุกรุก {i}", f"flood-{i:06d}"))

    async def guess(i):
        code = "".join(rng.choice("34679ACDEFGHJKMNPQRTWXY") for _ in range(6))
        return await send(port, "GET", f"/api/assessments/sessions/{code}")

    async def room_join(i):
        return await send(port, "POST", f"/api/assessments/sessions/{room_session}/join",
                          join_body(f"ครูโรงเรียน {i}", f"room-{i:04d}"), source="127.0.0.2")

    # The flood and the honest room at the same time.
    (joins, join_secs), (room, room_secs) = await asyncio.gather(
        many(args.joins, args.concurrency, fake_join), many(args.room, 4, room_join))
    summary("join flood, one address, one session", joins, join_secs)
    summary("the room on its own address, meanwhile", room, room_secs)
    after = [await send(port, "POST", f"/api/assessments/sessions/{third}/join", join_body("ผู้จัดอบรมอีกคน", "third-1"))]
    summary("the flooding address joining another session afterwards", after, after[0][2])
    guesses, guess_secs = await many(args.guesses, args.concurrency, guess)
    summary("code guessing, one address", guesses, guess_secs)
    # Past the misses allowed, the address may not look codes up at all until the window
    # ends, a right one included (submissions of people already in are not held back).
    blocked = await send(port, "GET", f"/api/assessments/sessions/{third}")
    summary("the guessing address looking up a real code afterwards", [blocked], blocked[2])
    return joins, room, guesses, after


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="join-flood-"))
    os.environ["CACHE_KEY_PREFIX"] = tmp.name  # counters of this run only, in a shared Redis
    server = None
    try:
        args.sessions = 3
        url = training_day.prepare_database(args, tmp)
        codes = training_day.make_sessions(3)
        server, port = training_day.start_server(args, url, tmp)
        shared = "Redis (" + os.environ["REDIS_URL"] + ")" if os.environ.get("REDIS_URL") else "per-process memory"
        print(f"join flood on {args.db}: gunicorn {args.workers} workers, rate-limit counters in {shared}")
        joins, room, guesses, after = asyncio.run(flood(args, port, codes))
        from assessments.models import Participant

        stored = Participant.objects.filter(session__code=codes[0]).count()
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(tmp, ignore_errors=True)
    print(f"\nparticipants stored in the flooded session: {stored} of {args.joins} sent")
    ok = all(s == 200 for s, _, _ in room) and after[0][0] == 200 and any(s == 429 for s, _, _ in joins) \
        and any(s == 429 for s, _, _ in guesses)
    print("result: " + ("flood refused, the room and the other session served" if ok else "UNEXPECTED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
