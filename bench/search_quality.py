"""Search quality on question sets: HR@1, HR@5 and MRR@10 for our search and two baselines
(substring matching as a typical site search does it, and SQLite FTS5 with the trigram
tokenizer ranked by bm25), on the same items, in one run.

    .venv/bin/python bench/search_quality.py [QUESTIONS.jsonl ...]

A hit is a result whose text contains one of the question's gold snippets, compared
without spaces and with Thai digits folded. The seed content is loaded into a fresh
temporary SQLite database, so this runs on a fresh clone after `make install`.

bench/search-extra.jsonl was written alongside the search and tuned on. bench/search-heldout.jsonl
was written from the content alone, without the search code in view; its first measurement
(HR@1 0.756, HR@5 0.956, MRR@10 0.856) was taken before any change it prompted, which then
tuned on it. bench/search-heldout-2.jsonl was written the same way afterwards and measured
without tuning: HR@1 0.756, HR@5 0.867, MRR@10 0.814 (the search before those changes:
0.756, 0.911, 0.817), so the changes did not carry over to it. bench/search-heldout-3.jsonl
and bench/search-heldout-4.jsonl were written the same way, each before a round of changes,
and are measured, never tuned on; heldout-4 (78 questions: everyday situations, chat
spelling, typos, Thai mixed with English, long questions, staff) gave HR@1 0.859, HR@5 0.923,
MRR@10 0.893 on the search as it was when it was written. bench/search-heldout-5.jsonl (76
questions, the same kinds plus older people's words) gave HR@1 0.882, HR@5 0.895, MRR@10 0.888
when it was written, before the changes that followed it. bench/search-heldout-6.jsonl (70
questions over every item and KM-report field, the same kinds) gave HR@1 0.886, HR@5 0.971,
MRR@10 0.926 when it was written, before the changes that followed it, and HR@1 0.900, HR@5
0.957, MRR@10 0.929 after them. bench/search-heldout-7.jsonl (70 questions, the same kinds plus
regional words and questions typed without spaces) gave HR@1 0.914, HR@5 0.957, MRR@10 0.936
when it was written, before the changes that followed it, and HR@1 0.929, HR@5 0.986, MRR@10
0.957 after them. bench/search-heldout-8.jsonl (64 questions over every item and KM-report field,
the same kinds) gave HR@1 0.938, HR@5 1.000, MRR@10 0.966 when it was written, before the changes
that followed it, and HR@1 0.953, HR@5 0.984, MRR@10 0.969 after them. bench/search-heldout-9.jsonl
(108 questions over every item and KM-report field, the same kinds) gave HR@1 0.917, HR@5 0.972,
MRR@10 0.944 when it was written, before the changes that followed it (never tuned on), and HR@1
0.917, HR@5 0.981, MRR@10 0.949 after them. bench/search-heldout-10.jsonl (90 questions over every
item and KM-report field, the same kinds; questions whose gold is in no search document or in
several were left out) gave HR@1 0.989, HR@5 1.000, MRR@10 0.994 when it was written, on the
search before the changes that followed it (never tuned on).
"""
import json
import os
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"  # the development sets kept beside the project, when present
DEFAULT_SETS = [SHARED / "search-dev.jsonl", SHARED / "search-everyday-dev.jsonl",
                *(ROOT / "bench" / f"search-{name}.jsonl"
                  for name in ["extra", "heldout", "heldout-2", "heldout-3", "heldout-4", "heldout-5", "heldout-6",
                              "heldout-7", "heldout-8", "heldout-9", "heldout-10", "unanswerable"])]


def setup_django():
    """A fresh SQLite database in a temporary VAR_DIR with the seed content loaded."""
    os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="volunteerkm-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "volunteerkm.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("loadkm", str(ROOT / "content"), verbosity=0)


def read_questions(path):
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def is_hit(text, gold):
    from volunteerkm.thai import compact

    folded = compact(text)
    return any(compact(g) in folded for g in gold)


def scores(ranked_texts, gold):
    """(hit@1, hit@5, reciprocal rank within 10) for one question."""
    for rank, text in enumerate(ranked_texts[:10], 1):
        if is_hit(text, gold):
            return (rank == 1, rank <= 5, 1 / rank)
    return (False, False, 0.0)


class SubstringSearch:
    """What a typical site search does: items that contain every word of the query
    (split on spaces, case-insensitive), in the site's order."""

    def __init__(self, docs):
        self.docs = docs

    def search(self, q):
        words = q.lower().split()
        return [d.text for d in self.docs if words and all(w in d.text.lower() for w in words)]


class FTS5TrigramSearch:
    """SQLite FTS5 with the trigram tokenizer, ranked by bm25: every word of the query
    (split on spaces) as an OR-ed phrase."""

    def __init__(self, docs, path=":memory:"):
        self.db = sqlite3.connect(path)
        self.db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize='trigram')")
        self.db.executemany("INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)",
                            [(i, d.title, d.body) for i, d in enumerate(docs)])
        self.db.commit()
        self.docs = docs

    def match_expression(self, q):
        words = [w.replace('"', '""') for w in q.split() if len(w) >= 3]
        return " OR ".join(f'"{w}"' for w in words)

    def ids(self, q, limit=10):
        expr = self.match_expression(q)
        if not expr:
            return []
        rows = self.db.execute("SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?", (expr, limit))
        return [r[0] for r in rows]

    def search(self, q, limit=10):
        return [self.docs[i].text for i in self.ids(q, limit)]


def evaluate(name, search, questions):
    ranked = [search(q["q"]) for q in questions]
    rows = [scores(texts, q["gold"]) for texts, q in zip(ranked, questions, strict=True)]
    n = len(rows) or 1
    misses = [q["q"] for q, r in zip(questions, rows, strict=True) if not r[0]]
    return {"method": name, "HR@1": sum(r[0] for r in rows) / n, "HR@5": sum(r[1] for r in rows) / n,
            "MRR@10": sum(r[2] for r in rows) / n, "misses": misses,
            "shown": sum(len(texts) for texts in ranked) / n, "none": sum(not texts for texts in ranked) / n}


def answer_figures(index, questions):
    """(share of questions given a direct answer, share of those whose answer quotes a gold
    snippet: in the passage, its list's lead, or the item's title when the gold is a title)."""
    answers = [(index.search(q["q"], 10).answer, q["gold"]) for q in questions]
    given = [(a, gold) for a, gold in answers if a]
    right = sum(is_hit(f"{a.item} {a.lead} {a.text}", gold) for a, gold in given)
    return len(given) / (len(answers) or 1), right / (len(given) or 1)


def cross_validated_item_questions(docs, folds=5):
    """HR@1, HR@5, MRR@10 of the items' own questions, each searched in an index built
    without it (k-fold: every fifth question of each item left out in turn): how well an
    item is found by a way of asking that nobody wrote into it."""
    from dataclasses import replace

    from knowledge.models import GlossaryTerm, SynonymGroup
    from search.index import SearchIndex

    glossary = [(t.abbr, t.full) for t in GlossaryTerm.objects.all()]
    synonyms = [g.expansion() for g in SynonymGroup.objects.all()]
    rows = []
    for fold in range(folds):
        held, kept_docs = [], []
        for d in docs:
            held += [(q, d.url) for i, q in enumerate(d.questions) if i % folds == fold]
            kept_docs.append(replace(d, questions=tuple(q for i, q in enumerate(d.questions) if i % folds != fold)))
        index = SearchIndex(kept_docs, glossary, synonyms)
        for q, url in held:
            urls = [h.doc.url for h in index.search(q, 10).hits]
            rank = urls.index(url) + 1 if url in urls else 0
            rows.append((rank == 1, 0 < rank <= 5, 1 / rank if rank else 0.0, q, urls[:1], url))
    return rows


def main(argv):
    setup_django()
    from search.engine import build_index, documents

    docs = list(documents())
    ours = build_index()
    methods = {
        "ours (words+bigrams BM25, tantivy)": lambda q: [h.doc.text for h in ours.search(q, 10).hits],
        "substring (all words)": SubstringSearch(docs).search,
        "SQLite FTS5 trigram bm25": FTS5TrigramSearch(docs).search,
    }
    paths = [Path(p) for p in argv] or [p for p in DEFAULT_SETS if p.exists()]
    verbose = os.environ.get("VERBOSE")
    for path in paths:
        questions = read_questions(path)
        print(f"\n{path} ({len(questions)} questions, {len(docs)} documents)")
        unanswerable = not any(q["gold"] for q in questions)
        print(f"{'method':40} {'HR@1':>6} {'HR@5':>6} {'MRR@10':>7} {'shown':>6} {'none':>6}")
        for name, fn in methods.items():
            r = evaluate(name, fn, questions)
            if unanswerable:  # nothing in the KM answers: the right result is none at all
                print(f"{name:40} {'':6} {'':6} {'':7} {r['shown']:6.2f} {r['none']:6.3f}")
                continue
            print(f"{name:40} {r['HR@1']:6.3f} {r['HR@5']:6.3f} {r['MRR@10']:7.3f} {r['shown']:6.2f} {r['none']:6.3f}")
            if name.startswith("ours") and not unanswerable:
                given, right = answer_figures(ours, questions)
                print(f"{'  direct answer: given / right when given':40} {given:6.3f} {right:6.3f}")
            if verbose and name.startswith("ours"):
                for miss in r["misses"]:
                    top = [h.doc.title for h in ours.search(miss, 3).hits]
                    print("   miss:", miss, "→", top)
    if not argv:
        rows = cross_validated_item_questions(docs)
        n = len(rows) or 1
        print(f"\nitems' own questions, 5-fold (each searched without itself; {len(rows)} questions)")
        print(f"{'ours (words+bigrams BM25, tantivy)':40} {sum(r[0] for r in rows) / n:6.3f} "
              f"{sum(r[1] for r in rows) / n:6.3f} {sum(r[2] for r in rows) / n:7.3f}")
        if verbose:
            for r in rows:
                if not r[0]:
                    print("   miss:", r[3], "→", r[4])


if __name__ == "__main__":
    main(sys.argv[1:])
