"""LINE webhook latency on the real server: from the moment a signed webhook request is sent
to the moment the reply reaches the LINE API (here the local stand-in on 127.0.0.1, which
checks every reply against the SDK's models), over a few hundred questions, while the
training-day load of bench/training_day.py runs on the same server.

    .venv/bin/python bench/line_webhook.py                   # SQLite, under training-day load
    .venv/bin/python bench/line_webhook.py --db postgres     # PostgreSQL (see --pg-url)
    .venv/bin/python bench/line_webhook.py --no-load         # the webhook alone

Questions are sent open-loop at --rate per second (each on its own schedule, as people
type, whatever the server's state) from the start of the training day's pre-test wave,
taken from the search question sets and some questions the knowledge base cannot answer.
Printed: p50/p95/max of webhook-to-reply latency, during the pre-test wave and after it,
and the training day's own figures.
Target: p95 ≤ 1 s under the training-day load. Loopback only; bounded loops.
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

import training_day as td

ROOT = td.ROOT
SECRET, TOKEN = "bench-channel-secret", "bench-channel-token"
QUESTION_FILES = [ROOT.parent / "shared" / "eval" / "search-dev.jsonl", ROOT / "bench" / "search-extra.jsonl",
                  ROOT / "bench" / "search-heldout.jsonl"]
OFF_TOPIC = ["วิธีปลูกผักสวนครัว", "ราคาทองวันนี้", "หวยออกวันไหน", "ต่อใบขับขี่ที่ไหน", "ค่าไฟแพงทำยังไง"]
TARGET_P95 = 1.0


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--questions", type=int, default=300, help="LINE questions to send (default %(default)s)")
    p.add_argument("--rate", type=float, default=5.0,
                   help="LINE questions per second, from the start of the pre-test wave (default %(default)s)")
    p.add_argument("--no-load", action="store_true", help="no training-day load: the webhook alone")
    p.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    p.add_argument("--pg-url", default=os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432/test"))
    p.add_argument("--workers", type=int, default=4, help="gunicorn sync workers (default %(default)s)")
    p.add_argument("--sessions", type=int, default=150)
    p.add_argument("--rate-hint", type=int, default=450, help="as bench/training_day.py (default %(default)s)")
    p.add_argument("--duration", type=float, default=60, help="as bench/training_day.py (default %(default)s)")
    p.add_argument("--concurrency", type=int, default=24, help="training-day requests in flight (default %(default)s)")
    p.add_argument("--seed", type=int, default=2564)
    args = p.parse_args()
    # what bench/training_day.py reads besides these
    args.threads, args.retry_fraction, args.drop_fraction, args.post_fraction = 1, 0.10, 0.05, 0.25
    return args


def questions(n, rng):
    pool = [json.loads(line)["q"] for f in QUESTION_FILES if f.exists() for line in f.open()] + OFF_TOPIC
    return [rng.choice(pool) for _ in range(n)]


def signed_event(n, text):
    from tests.line_helpers import sign

    event = {"type": "message", "mode": "active", "timestamp": int(time.time() * 1000),
             "source": {"type": "user", "userId": f"U{n:032x}"}, "webhookEventId": f"01BENCH{n:019d}",
             "deliveryContext": {"isRedelivery": False}, "replyToken": f"bench-reply-{n}",
             "message": {"id": str(n), "type": "text", "text": text, "quoteToken": "q"}}
    body = json.dumps({"destination": "Ubot", "events": [event]}, ensure_ascii=False).encode()
    return event["replyToken"], body, ["Content-Type: application/json", f"X-Line-Signature: {sign(body, SECRET)}"]


async def ask_all(port, api, texts, rate, results, window, wait_for_wave):
    """Send each question at its time; record (sent at, webhook status, reply latency)."""
    async def one(n, text, due):
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        token, body, headers = signed_event(n, text)
        sent = time.perf_counter()
        try:
            r = await asyncio.wait_for(td.http(port, "POST", "/line/webhook", body, headers), 30)
            status = r.status_code
        except (TimeoutError, OSError, ConnectionError) as exc:
            status = type(exc).__name__
        replied = next((rec.at for rec in reversed(api.calls("/v2/bot/message/reply"))
                        if rec.model.reply_token == token), None)
        results.append({"sent": sent, "status": status, "latency": None if replied is None else replied - sent,
                        "in wave": window.get("start", 1e18) <= sent <= window.get("end", 1e18)})

    if wait_for_wave:  # start with the pre-test wave, the training day's busiest minute
        while "start" not in window and not window.get("over"):
            await asyncio.sleep(0.05)
    start = time.perf_counter() + 0.1
    await asyncio.gather(*(one(n, t, start + n / rate) for n, t in enumerate(texts)))


async def warm_up(port, args):
    """Each gunicorn worker builds its search index (a few seconds) on its first question;
    a server that has been up a while has done so. Not measured: printed apart."""
    async def one(n):
        _, body, headers = signed_event(n, "อพม. คือใคร")
        for _ in range(5):  # on a busy machine gunicorn may time out a worker still building its index
            try:
                return await td.http(port, "POST", "/line/webhook", body, headers)
            except (OSError, ConnectionError):
                await asyncio.sleep(1)
        return None

    started = time.perf_counter()
    for round_ in range(3):
        await asyncio.gather(*(one(10_000_000 + round_ * 100 + w) for w in range(args.workers * 2)))
    return time.perf_counter() - started


async def run(args, port, api, codes, phones, texts):
    stats, figures, results, window = td.Stats(), {"server pid": args.server_pid}, [], {}
    figures["warm-up"] = await warm_up(port, args)
    asker = asyncio.create_task(ask_all(port, api, texts, args.rate, results, window, not args.no_load))
    if not args.no_load:
        original = td.run_pool

        async def marked_pool(items, concurrency, work):
            # the second pool of the training day is the pre-test wave: mark its window
            window.setdefault("pools", 0)
            window["pools"] += 1
            if window["pools"] == 2:
                window["start"] = time.perf_counter()
            done = await original(items, concurrency, work)
            if window["pools"] == 2:
                window["end"] = time.perf_counter()
            return done

        td.run_pool = marked_pool
        try:
            await td.training_day(args, port, codes, phones, stats, figures)
        finally:
            window["over"] = True
    await asker
    return stats, figures, results


def summary(name, values):
    if not values:
        return f"  {name:<34} no replies"
    return (f"  {name:<34} {len(values):>5} {1000 * td.percentile(values, .5):>8.0f} "
            f"{1000 * td.percentile(values, .95):>8.0f} {1000 * max(values):>8.0f}")


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    args = parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="line-webhook-"))
    server, api = None, None
    try:
        url = td.prepare_database(args, tmp, purpose="line_webhook")
        (tmp / "static").mkdir(exist_ok=True)  # whitenoise looks for STATIC_ROOT under VAR_DIR
        from outreach.line.standin import StandIn

        api = StandIn(token=TOKEN).start()
        os.environ.update({"LINE_CHANNEL_SECRET": SECRET, "LINE_CHANNEL_ACCESS_TOKEN": TOKEN,
                           "LINE_API_BASE": api.url})
        rng = random.Random(args.seed)
        codes = td.make_sessions(args.sessions) if not args.no_load else []
        n_phones = 0 if args.no_load else int(args.rate_hint * args.duration * 1.05)
        phones = [td.Phone(n, codes[n % len(codes)], rng) for n in range(n_phones)]
        texts = questions(args.questions, rng)
        server, port = td.start_server(args, url, tmp)
        args.server_pid = server.pid
        print(f"LINE webhook on {args.db}: {args.questions} questions at {args.rate:g}/s, "
              f"{'no other load' if args.no_load else f'training day with {n_phones} phones'}, "
              f"gunicorn {args.workers} workers", flush=True)
        stats, figures, results = asyncio.run(run(args, port, api, codes, phones, texts))
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        if api is not None:
            api.stop()
        shutil.rmtree(tmp, ignore_errors=True)

    latencies = [r["latency"] for r in results if r["latency"] is not None]
    print(f"\nwarm-up (each worker's first questions build its search index): {figures['warm-up']:.1f} s")
    print("webhook → reply sent (ms)            count      p50      p95      max")
    print(summary("all questions", latencies))
    if not args.no_load:
        print(summary("during the pre-test wave", [r["latency"] for r in results
                                                   if r["in wave"] and r["latency"] is not None]))
        print(summary("outside the wave", [r["latency"] for r in results
                                           if not r["in wave"] and r["latency"] is not None]))
    missing = [r for r in results if r["latency"] is None]
    statuses = {}
    for r in results:
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    print(f"\nwebhook answers: {statuses}; questions without a reply: {len(missing)}; "
          f"replies the stand-in refused: {len(api.problems)}")
    if not args.no_load:
        n, secs = figures["pre wave"]
        print(f"training day meanwhile: {n} pre-test submissions in {secs:.1f} s = {n / secs:.0f}/s")
        for kind in sorted(stats.latency):
            print(summary(kind, stats.latency[kind]))
    p95 = td.percentile(latencies, .95) if latencies else float("inf")
    ok = p95 <= TARGET_P95 and not missing and not api.problems
    print(f"\nresult: p95 {1000 * p95:.0f} ms (target ≤ {1000 * TARGET_P95:.0f} ms) — {'met' if ok else 'NOT MET'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
