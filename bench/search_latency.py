"""Search latency at scale: 100,000 documents made from the real knowledge (titles and
passages of the seed content mixed at random, each with its own id), index build time
and p50/p95 query latency over a few hundred realistic queries, beside SQLite FTS5 with
the trigram tokenizer on the same documents, in one run.

    .venv/bin/python bench/search_latency.py [--docs N] [--queries N]
"""
import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import search_quality as sq  # noqa: E402


def synthetic_docs(real, n, seed=2564):
    """n documents: a real title with a serial number and 6–24 real passages."""
    from search.index import Doc

    rng = random.Random(seed)
    passages = [p for d in real for p in d.body.split(" ") if len(p) > 1]
    out = []
    for i in range(n):
        base = rng.choice(real)
        body = " ".join(rng.choice(passages) for _ in range(rng.randint(6, 24)))
        out.append(Doc(key=f"synthetic:{i}", title=f"{base.title} ชุดที่ {i}", context=base.context,
                       url=f"{base.url}?v={i}", body=f"{body} รหัสเอกสาร {100000 + i}", heading=base.heading))
    return out


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


def timed(fn, queries):
    times = []
    for q in queries:
        t = time.perf_counter()
        fn(q)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1]


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    args = parser.parse_args(argv)
    sq.setup_django()
    from knowledge.models import GlossaryTerm, SynonymGroup
    from search.engine import documents
    from search.index import SearchIndex

    docs = synthetic_docs(list(documents()), args.docs)
    glossary = [(t.abbr, t.full) for t in GlossaryTerm.objects.all()]
    synonyms = [g.word_list() for g in SynonymGroup.objects.all()]
    queries = realistic_queries(args.queries)
    print(f"{len(docs):,} documents, {len(queries)} queries ({len(set(queries))} distinct)")

    t = time.perf_counter()
    ours = SearchIndex(docs, glossary, synonyms)
    ours_build = time.perf_counter() - t
    ours.search("อพม", 10)  # first query loads the searcher's caches
    ours_p50, ours_p95 = timed(lambda q: ours.search(q, 10), queries)

    t = time.perf_counter()
    fts = sq.FTS5TrigramSearch(docs)
    fts_build = time.perf_counter() - t
    fts_p50, fts_p95 = timed(lambda q: fts.ids(q, 10), queries)

    print(f"{'method':40} {'build s':>8} {'p50 ms':>8} {'p95 ms':>8}")
    print(f"{'ours (words+bigrams BM25, tantivy)':40} {ours_build:8.1f} {ours_p50:8.2f} {ours_p95:8.2f}")
    print(f"{'SQLite FTS5 trigram bm25':40} {fts_build:8.1f} {fts_p50:8.2f} {fts_p95:8.2f}")


if __name__ == "__main__":
    main(sys.argv[1:])
