"""Search at scale: 100,000 documents made from the real knowledge (titles and passages of
the seed content mixed at random, each with its own id), in one run:

1. the index alone: build time and p50/p95 query latency over a few hundred realistic
   queries, beside SQLite FTS5 with the trigram tokenizer on the same documents;
2. the index as the server keeps it: the documents are items in a real database and each
   of several worker processes holds its own index (search.engine.LiveIndex), answering
   queries that each first read the change log;
   - query latency in every worker (p50/p95, the change-log read included);
   - update lag: an editor's change to one item is committed while the workers answer
     queries; how long until each worker's results show it;
   - a glossary change, which needs a rebuild: the workers keep answering from the old
     index while a new one is built in the background; the slowest query meanwhile, and
     how long until the new index serves.

    .venv/bin/python bench/search_latency.py [--docs N] [--queries N] [--workers N] [--index-only]
"""
import argparse
import multiprocessing
import random
import statistics
import sys
import time
import weakref
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import search_quality as sq  # noqa: E402

PROBE_WORD = "ผ้าพันคอลายกระจับปี่"  # in no document until the edit
NEW_TERM = ("ผวจ.", "ผู้ว่าราชการจังหวัด")


def synthetic_texts(real, n, seed=2564):
    """n (title, body) pairs: a real title with a serial number and 6–24 real passages."""
    rng = random.Random(seed)
    passages = [p for d in real for p in d.body.split(" ") if len(p) > 1]
    out = []
    for i in range(n):
        base = rng.choice(real)
        body = " ".join(rng.choice(passages) for _ in range(rng.randint(6, 24)))
        out.append((base, f"{base.title} ชุดที่ {i}", f"{body} รหัสเอกสาร {100000 + i}"))
    return out


def synthetic_docs(real, n, seed=2564):
    from search.index import Doc

    return [Doc(key=f"synthetic:{i}", title=title, context=base.context, url=f"{base.url}?v={i}", body=body,
                heading=base.heading) for i, (base, title, body) in enumerate(synthetic_texts(real, n, seed))]


def realistic_queries(count, seed=2564):
    """The question sets as typed, without spaces, and with one letter dropped (a phone typo)."""
    rng = random.Random(seed)
    base = [q["q"] for path in sq.DEFAULT_SETS if path.exists() for q in sq.read_questions(path)]
    out = list(base) + [q.replace(" ", "") for q in base]
    for q in base:
        i = rng.randrange(len(q))
        out.append(q[:i] + q[i + 1:])
    rng.shuffle(out)
    return (out * (count // len(out) + 1))[:count]


def percentiles(times):
    times = sorted(times)
    return statistics.median(times), times[max(0, int(len(times) * 0.95) - 1)], times[-1]


def timed(fn, queries):
    """(p50, p95, slowest) wall-clock ms, and (p50, p95) ms of this thread's CPU time: on a
    shared machine the wall clock also counts the time other programs had the CPU."""
    times, cpu = [], []
    for q in queries:
        t, c = time.perf_counter(), time.thread_time()
        fn(q)
        times.append((time.perf_counter() - t) * 1000)
        cpu.append((time.thread_time() - c) * 1000)
    return percentiles(times), percentiles(cpu)[:2]


def index_alone(real, n, queries):
    from knowledge.models import GlossaryTerm, SynonymGroup
    from search.index import SearchIndex

    docs = synthetic_docs(real, n)
    glossary = [(t.abbr, t.full) for t in GlossaryTerm.objects.all()]
    synonyms = [g.expansion() for g in SynonymGroup.objects.all()]
    print(f"\n1. the index alone: {len(docs):,} documents, {len(queries)} queries ({len(set(queries))} distinct)")
    t = time.perf_counter()
    ours = SearchIndex(docs, glossary, synonyms)
    ours_build = time.perf_counter() - t
    ours.search("อพม", 10)  # the first query loads the searcher's caches
    (ours_p50, ours_p95, _), (ours_c50, ours_c95) = timed(lambda q: ours.search(q, 10), queries)
    t = time.perf_counter()
    fts = sq.FTS5TrigramSearch(docs)
    fts_build = time.perf_counter() - t
    (fts_p50, fts_p95, _), (fts_c50, fts_c95) = timed(lambda q: fts.ids(q, 10), queries)
    print(f"{'method':40} {'build s':>8} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8} {'cpu p95':>8}")
    print(f"{'ours (words+bigrams BM25, tantivy)':40} {ours_build:8.1f} {ours_p50:8.2f} {ours_p95:8.2f} "
          f"{ours_c50:8.2f} {ours_c95:8.2f}")
    print(f"{'SQLite FTS5 trigram bm25':40} {fts_build:8.1f} {fts_p50:8.2f} {fts_p95:8.2f} "
          f"{fts_c50:8.2f} {fts_c95:8.2f}")


def store_items(real, n):
    """n published items in the database (bulk: no change log, as if loaded long ago)."""
    from knowledge.models import Chapter, Item, KMReport

    report = KMReport.objects.main()
    per_chapter = 1000
    items = []
    for c in range((n + per_chapter - 1) // per_chapter):
        chapter = Chapter.objects.create(report=report, number=100 + c, slug=f"bench-{c}", title=f"หมวดทดสอบ {c}")
        for i, (_, title, body) in enumerate(synthetic_texts(real, min(per_chapter, n - c * per_chapter),
                                                            seed=c), start=1):
            items.append(Item(chapter=chapter, slug=f"bench-{c}-{i}", title=title, order=i, body=body,
                              status=Item.PUBLISHED))
    Item.objects.bulk_create(items, batch_size=5000)
    return items[len(items) // 2]


def worker(conn, queries):
    """One server process: its own LiveIndex, answering what the bench asks."""
    import django

    django.setup()
    from search import engine

    live = engine.LiveIndex()
    t = time.perf_counter()
    live.current()
    conn.send(("ready", time.perf_counter() - t))
    while True:
        command, *args = conn.recv()
        if command == "stop":
            return
        def search(q):
            with live.answering():  # as search.engine.search does
                return live.current().search(q, 10)

        if command == "latency":
            conn.send(timed(search, queries))
        elif command == "until":  # answer queries until `probe` finds `url`; (when, queries, slowest ms)
            probe, url, seconds = args
            deadline, n, slowest = time.time() + seconds, 0, 0.0
            conn.send("looping")
            while time.time() < deadline:
                t = time.perf_counter()
                search(queries[n % len(queries)])
                found = url in [h.doc.url for h in search(probe).hits]
                slowest = max(slowest, (time.perf_counter() - t) * 1000)
                n += 1
                if found:
                    conn.send((time.time(), n, slowest))
                    break
            else:
                conn.send((None, n, slowest))
        elif command == "rebuild":  # answer queries until the new index serves; latencies meanwhile
            probe, seconds = args
            # The old index is not held here: whoever drops it last frees it, as in the server.
            index = live.current()
            before = weakref.ref(index)
            deadline, times, n, swaps = time.time() + seconds, [], 0, 0
            conn.send("looping")
            served = False
            while time.time() < deadline and not served:
                t = time.perf_counter()
                with live.answering():
                    index = live.current()
                    index.search(queries[n % len(queries)], 10)
                times.append((time.perf_counter() - t) * 1000)
                n += 1
                if index is not before():  # a new index serves: is it the one with the new term?
                    swaps, before = swaps + 1, weakref.ref(index)
                    served = bool(index.search(probe, 1).hits)
            conn.send((percentiles(times), len(times), served, time.time(), swaps))


def as_the_server_keeps_it(real, n, queries, workers):
    from django.db import connections

    from knowledge.models import GlossaryTerm
    from search.engine import BACKGROUND_REBUILD_MIN_DOCS

    print(f"\n2. as the server keeps it: {n:,} items in the database, {workers} worker processes")
    t = time.perf_counter()
    item = store_items(real, n)
    print(f"stored {n:,} items in {time.perf_counter() - t:.1f} s")
    connections.close_all()  # each worker opens its own
    context = multiprocessing.get_context("fork")
    pipes = []
    for _ in range(workers):
        mine, theirs = context.Pipe()
        context.Process(target=worker, args=(theirs, queries), daemon=True).start()
        pipes.append(mine)
    builds = [p.recv()[1] for p in pipes]
    print(f"first build in each worker (s): {', '.join(f'{b:.1f}' for b in builds)}")

    for n_worker, p in enumerate(pipes, 1):
        p.send(("latency",))
        (p50, p95, slowest), (c50, c95) = p.recv()
        print(f"worker {n_worker}: p50 {p50:.2f} ms, p95 {p95:.2f} ms, slowest {slowest:.1f} ms; "
              f"CPU p50 {c50:.2f} ms, p95 {c95:.2f} ms (change log read included)")

    # An editor's change to one item, while every worker answers queries.
    from knowledge.models import Item

    item = Item.objects.select_related("chapter__report").get(pk=Item.objects.get(slug=item.slug).pk)
    for p in pipes:
        p.send(("until", PROBE_WORD, item.get_absolute_url(), 30))
        assert p.recv() == "looping"
    item.body += f" {PROBE_WORD}"
    item.save()  # committed (autocommit), logged in IndexChange
    committed = time.time()
    for n_worker, p in enumerate(pipes, 1):
        seen, count, slowest = p.recv()
        lag = f"{(seen - committed) * 1000:.0f} ms" if seen else "not within 30 s"
        print(f"worker {n_worker}: an edited item searchable after {lag} "
              f"({count} queries meanwhile, slowest {slowest:.1f} ms)")

    # A glossary change: a rebuild, in the background at this size.
    background = n >= BACKGROUND_REBUILD_MIN_DOCS
    for p in pipes:
        p.send(("rebuild", NEW_TERM[0], 2400))
        assert p.recv() == "looping"
    GlossaryTerm.objects.create(abbr=NEW_TERM[0], full=NEW_TERM[1])
    changed = time.time()
    for n_worker, p in enumerate(pipes, 1):
        (p50, p95, slowest), count, served, when, swaps = p.recv()
        print(f"worker {n_worker}: glossary change ({'background' if background else 'inline'} rebuild): "
              f"{count} queries answered meanwhile, p50 {p50:.2f} ms, p95 {p95:.2f} ms, slowest {slowest:.1f} ms; "
              f"new index serving {'after ' + format(when - changed, '.1f') + ' s' if served else 'NOT YET'} "
              f"({swaps} index swaps)")
    for p in pipes:
        p.send(("stop",))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--index-only", action="store_true", help="part 1 only")
    args = parser.parse_args(argv)
    sq.setup_django()
    from search.engine import documents

    real = list(documents())
    queries = realistic_queries(args.queries)
    index_alone(real, args.docs, queries)
    if not args.index_only:
        as_the_server_keeps_it(real, args.docs, queries, args.workers)


if __name__ == "__main__":
    main(sys.argv[1:])
