"""The search index: word BM25 fused with character-bigram BM25 in one tantivy index.

Each document is indexed as words (nlpo3 segmentation, glossary abbreviations added where
their full form is written) and as character bigrams of the spaceless text, which keeps
partial words, compounds and typos findable. The title, the body and the questions people
ask about an item are separate fields with their own weights. A query is analysed by
search.analyzer: question words dropped, slips and typos fixed against the index
vocabulary, abbreviations and thesaurus synonyms added. Documents can be added, replaced
and removed one at a time while the index serves (`apply`).
"""
import math
import threading
import time
from dataclasses import dataclass, field
from functools import cached_property

import tantivy

from knowledge.render import strip_review_marks

from .analysis import QUESTION_WORDS, spaceless
from .analyzer import FUNCTION_WORDS, AnalysedQuery, Analyzer, Vocabulary, phrase_term
from .answers import Answer, find_answer
from .askedmatch import QuestionSets, ways_said
from .snippets import snippet

# Ranking weights, chosen by bench/search_quality.py on the dev, extra, first and second held-out
# sets, the unanswerable set and the items' own questions (cross-validated); never on held-out 3.
WORD_WEIGHT = 0.7  # the rest goes to character bigrams
TITLE_BOOST = 2.5
# The questions people ask about an item count mostly through what they let it match
# (coverage, below); as a scored field, a little.
QUESTION_BOOST = 0.15
# A query that says what one of a document's questions says (F1 of their words, squared)
# multiplies its score by up to 1 + this.
QUESTION_MATCH = 1.0
SYNONYM_TIE_BREAKER = 0.3  # of the other synonyms a document also uses, this share counts
MIN_GRAM_COVERAGE = 0.6  # a hit that matches no word must contain this share of the query's bigrams
MIN_SHARE_OF_TOP = 0.15  # hits scoring below this share of the best hit are noise
SURE_SHARE_OF_TOP = 0.25  # below this share of the best, a hit is shown apart, as possibly related
MIN_SCORE = 0.15  # a hit scoring below this matches too little of any question to answer it
# A word (or synonym group) found in more than this share of documents says what everything
# is about (อพม.), not what is asked; a hit must match at least one word that is not.
COMMON_WORD_SHARE = 0.5
SHORT_WORD = 3  # letters: a word this short is matched as a word, not inside others
MIN_COVERAGE = 0.25  # of the weight of what a query asks, the share a hit must match
COVERAGE_POWER = 0.5  # how much the share of what is asked counts in the ranking
# A word no document uses weighs this much of its idf in what is asked: it may be a
# stranger's word for something the KM answers, or a sign that the KM answers nothing.
UNKNOWN_WEIGHT = 0.8
IDF_POWER = 0.5  # 0: everything asked weighs the same; 1: rarer words weigh more (idf)
BUILD_SLICE = 0.02  # seconds of indexing between the pauses of a build in the background
DISMANTLE_SLICE = 5000  # entries an index that no longer serves frees between pauses
MAX_GRAMS = 40  # bigrams searched at most, the rarest
COMMON_GRAM_SHARE = 0.5  # bigrams in more than this share of documents barely rank but cost the most
# A document whose title is another's plus words the query does not say ("คณะกรรมการ อพม.
# จังหวัด" beside "คณะกรรมการ อพม.") is the more specific one: unless asked, it weighs this much.
NESTED_TITLE_WEIGHT = 0.8
PHRASE_FILLER = "~"  # no query asks for it
FIELD_WEIGHT = 0.6  # a KM-report field against a regulation item, unless the KM project is asked about
# Words that ask about the KM project itself (its team, report, method), not the regulation.
KM_PROJECT_TERMS = frozenset({"km", "กอส", "รายงาน", "โครงการ", "การจัดการความรู้", "องค์ความรู้",
                              "แบบทดสอบ", "ข้อสอบ"})  # the KM project's own tests (report field 11)


@dataclass(frozen=True)
class Doc:
    key: str
    title: str
    context: str
    url: str
    body: str
    heading: str = ""  # indexed with the body: the chapter's title
    questions: tuple = ()  # what people ask that this document answers
    passages: tuple = ()  # (anchor, text, lead) of the body: what a direct answer may quote
    kind: str = "item"  # "item" (the regulation) or "field" (the KM report)

    @property
    def text(self):
        """What a reader sees of it: the review markers of the content file left out."""
        return f"{self.title} {strip_review_marks(self.body)}"

    @cached_property
    def compact(self) -> str:
        """Everything a query may match, in search form without spaces."""
        return spaceless(f"{self.title} {self.heading} {self.body} {' '.join(self.questions)}")


@dataclass
class Hit:
    doc: Doc
    score: float
    snippet: str = ""
    sure: bool = True  # answers about as well as the best hit; otherwise only possibly related


@dataclass
class Results:
    q: str
    hits: list = field(default_factory=list)
    did_you_mean: str = ""
    terms: tuple = ()
    answer: Answer | None = None


class _Part:
    """A tantivy index over some fields of the documents, kept up to date one document at a
    time."""

    def __init__(self, fields):
        self.fields = fields
        sb = tantivy.SchemaBuilder()
        sb.add_text_field("key", stored=True, tokenizer_name="raw", index_option="basic")
        for name in fields:
            sb.add_text_field(f"{name}_words", tokenizer_name="words")
            sb.add_text_field(f"{name}_grams", tokenizer_name="bigrams", index_option="freq")
            # The thesaurus phrases of several words the field says, each as one word
            # (phrase_term): searched as that word, a phrase costs no walk over the positions
            # of the common words in it ("ได้", "อะไร"), which at scale is most of a query.
            sb.add_text_field(f"{name}_phrases", tokenizer_name="words", index_option="freq")
        self.schema = sb.build()
        self.index = tantivy.Index(self.schema)
        analyzer = tantivy.TextAnalyzerBuilder
        self.index.register_tokenizer("words", analyzer(tantivy.Tokenizer.whitespace()).build())
        self.index.register_tokenizer("bigrams", analyzer(tantivy.Tokenizer.ngram(2, 2, False)).build())
        self.writer = self.index.writer(heap_size=100_000_000, num_threads=1)
        self.searcher = None

    def add(self, key, fields: dict):
        """`fields`: field name → (words with concepts, tokens, thesaurus phrases as words)."""
        document = {"key": key}
        for name, (words, tokens, phrases) in fields.items():
            document[f"{name}_words"] = " ".join(words)
            document[f"{name}_grams"] = "".join(tokens)
            # As many words as the field has, filler making up the rest: BM25 weighs a match
            # by the field's length, and so weighs a phrase exactly as a phrase query did.
            document[f"{name}_phrases"] = " ".join(phrases + [PHRASE_FILLER] * (len(words) - len(phrases)))
        self.writer.add_document(tantivy.Document(**document))

    def remove(self, key):
        self.writer.delete_documents_by_term("key", key)

    def commit(self):
        self.writer.commit()
        self.index.reload()
        self.searcher = self.index.searcher()

    def query(self, analysed: AnalysedQuery, boosts: dict):
        """The analysed query over this part's fields, each field weighted by `boosts`."""
        schema, searcher, clauses = self.schema, self.searcher, []

        def term_query(name, kind, term, boost):
            field = f"{name}_{kind}"
            if isinstance(term, tuple):  # scored as a phrase query is: by the sum of its words' idf
                field, boost, term = f"{name}_phrases", boost * self._phrase_idf(name, term), phrase_term(term)
            return tantivy.Query.boost_query(tantivy.Query.term_query(schema, field, term), boost)

        def field_queries(kind, term, boost):
            return [term_query(name, kind, term, boost * boosts[name]) for name in self.fields]

        total = sum(analysed.words.values()) + sum(max(g.values()) for g in analysed.synonyms) or 1
        for term, weight in analysed.words.items():
            clauses += [(tantivy.Occur.Should, q) for q in field_queries("words", term, WORD_WEIGHT * weight / total)]
        for others in analysed.synonyms:
            alternatives = [q for term, weight in others.items()
                            for q in field_queries("words", term, WORD_WEIGHT * weight / total)]
            either = tantivy.Query.disjunction_max_query(alternatives, SYNONYM_TIE_BREAKER)
            clauses.append((tantivy.Occur.Should, either))

        common = COMMON_GRAM_SHARE * searcher.num_docs
        freq = {g: searcher.doc_freq("body_grams", g) for g in analysed.grams}
        # A long question's words carry it; of its many bigrams the rarest say the most, and
        # each more costs a walk over its documents.
        kept = sorted((g for g in analysed.grams if freq[g] <= common), key=freq.get)[:MAX_GRAMS]
        grams = {g: analysed.grams[g] for g in kept}
        share = (1 - WORD_WEIGHT) * len(grams) / (len(analysed.grams) or 1)
        gram_total = sum(grams.values()) or 1
        for g, weight in grams.items():
            clauses += [(tantivy.Occur.Should, q) for q in field_queries("grams", g, share * weight / gram_total)]
        return tantivy.Query.boolean_query(clauses)

    def _phrase_idf(self, name, phrase) -> float:
        """How much more a phrase query over field `name`'s words weighs `phrase` than a
        query for the one word it is indexed as: the sum of its words' idf over that word's."""
        n = self.searcher.num_docs

        def idf(field, term):  # BM25's, as tantivy computes it
            df = self.searcher.doc_freq(field, term)
            return math.log(1 + (n - df + 0.5) / (df + 0.5))

        return sum(idf(f"{name}_words", w) for w in phrase) / idf(f"{name}_phrases", phrase_term(phrase))

    def scores(self, analysed, boosts, limit) -> dict:
        """key → best score of its index documents, for the `limit` best documents."""
        searcher = self.searcher  # one snapshot for the whole query, whatever commits meanwhile
        best = {}
        for score, address in searcher.search(self.query(analysed, boosts), limit=limit, count=False).hits:
            key = searcher.doc(address)["key"][0]
            best[key] = max(best.get(key, 0.0), score)
        return best


class SearchIndex:
    def __init__(self, docs, glossary=(), synonym_groups=(), pause=None):
        """`pause`, if given, is called after every BUILD_SLICE of indexing: a build in
        the background lets queries go first."""
        self.analyzer = Analyzer(glossary, synonym_groups)
        self.docs = {}
        self.short_words = {}
        self.title_words = {}  # key → the title's words and concepts, function words left out
        self.vocabulary = Vocabulary(self.analyzer.thesaurus_words)
        # The questions of an item are one field: together they are the item's own
        # vocabulary for what people ask, beside the regulation's words in its body.
        self.part = _Part(("title", "body", "questions"))
        self.question_sets = QuestionSets(self.analyzer)
        self._write_lock = threading.Lock()
        slice_started = time.perf_counter()
        for doc in docs:
            if pause and time.perf_counter() - slice_started >= BUILD_SLICE:
                pause()
                slice_started = time.perf_counter()
            self._add(doc)
        self.part.commit()

    def _add(self, doc: Doc):
        """Index `doc`; its words join the vocabulary."""
        title = self.analyzer.tokens(doc.title)
        body = self.analyzer.tokens(f"{doc.heading} {doc.body}")
        questions = self.analyzer.question_tokens(" ".join(doc.questions))
        self.vocabulary.add_words(title + body + questions)
        self.docs[doc.key] = doc
        self.question_sets.add(doc.key, doc.questions)
        # Short words ("งาน", "ตอน", "พม") hide inside longer ones ("ทำงาน", "ขั้นตอน", "อพม"):
        # whether a document says one is decided by its words, kept here, not its letters.
        self.title_words[doc.key] = frozenset(w for w in self.analyzer.with_concepts(title)
                                              if w not in QUESTION_WORDS and w not in FUNCTION_WORDS)
        words = self.analyzer.with_concepts(title + body + questions)
        self.short_words[doc.key] = " " + " ".join(sorted({w for w in words if len(w) <= SHORT_WORD})) + " "
        fields = {"title": title, "body": body, "questions": questions}
        self.part.add(doc.key, {name: (self.analyzer.with_concepts(tokens), tokens, self.analyzer.phrase_words(tokens))
                                for name, tokens in fields.items()})

    def apply(self, changed=(), removed=()):
        """Replace or add the documents `changed` and drop the keys `removed`, then serve
        them: one small commit, while queries keep using the searcher they hold."""
        changed, removed = list(changed), list(removed)
        if not changed and not removed:
            return
        with self._write_lock:
            for key in removed + [d.key for d in changed]:
                self.docs.pop(key, None)
                self.short_words.pop(key, None)
                self.title_words.pop(key, None)
                self.part.remove(key)
                self.question_sets.remove(key)
            for doc in changed:
                self._add(doc)
            self.part.commit()

    def dismantle(self, pause):
        """Free what this index holds a slice at a time, `pause()` between slices; it answers
        nothing afterwards. Dropped at once, an index of 100,000 documents frees millions of
        objects in one go, holding the interpreter for 0.1–0.3 s, and a query waits for it."""
        speller, slips = self.vocabulary.speller, self.vocabulary.slips
        for table in (self.docs, self.short_words, self.title_words, self.question_sets.by_key, self.vocabulary,
                      speller.words, slips.by_skeleton, *speller.by_length.values()):
            pop = table.popitem if isinstance(table, dict) else table.pop
            while table:
                for _ in range(min(DISMANTLE_SLICE, len(table))):
                    pop()
                pause()
        self.analyzer.segmenter.forget_cuts()
        pause()
        self.part = None

    def search(self, q: str, limit: int = 10) -> Results:
        q = (q or "").strip()
        analysed = self.analyzer.query(q, self.vocabulary)
        results = Results(q=q, did_you_mean=analysed.did_you_mean, terms=tuple(sorted(analysed.words)))
        if not analysed.words and not analysed.synonyms and not analysed.grams:
            return results
        boosts = {"title": TITLE_BOOST, "body": 1.0, "questions": QUESTION_BOOST}
        found = self.part.scores(analysed, boosts, limit * 2 + 10)
        said = set(analysed.words) | {t for group in analysed.synonyms for t in group if isinstance(t, str)}
        about_km = bool(KM_PROJECT_TERMS & said)
        asked = self._asked(analysed)
        asked_total = sum(idf for idf, _ in asked)
        question_match = self.question_sets.matcher(analysed.said)
        said_ways = ways_said(analysed.said)
        candidates = []
        for key, score in found.items():
            doc = self.docs.get(key)
            if doc is None:
                continue
            if doc.kind == "field" and not about_km:
                score *= FIELD_WEIGHT
            if asked:
                # The share of what is asked that the document speaks of: matching two of
                # the things asked beats matching one of them many times.
                coverage = sum(idf for idf, surfaces in asked if self.says(doc, surfaces)) / asked_total
                if self.question_sets.said_in_full(key, said_ways):
                    coverage = max(coverage, MIN_COVERAGE)
                if coverage < MIN_COVERAGE or coverage == 0:
                    continue
                score *= coverage ** COVERAGE_POWER
            elif not self._relevant(doc, analysed):
                continue
            # The floors below judge how much a hit matches; a question it answers word for
            # word only reorders what is shown.
            matched = score
            score *= 1 + QUESTION_MATCH * question_match(key) ** 2
            candidates.append((score, matched, doc))
        candidates = self._prefer_titles_asked(candidates, said)
        candidates.sort(key=lambda c: -c[0])
        floor = max(MIN_SCORE, MIN_SHARE_OF_TOP * max((c[1] for c in candidates), default=0))
        best = candidates[0][0] if candidates else 0
        shown = [(score, score >= SURE_SHARE_OF_TOP * best, doc)
                 for score, matched, doc in candidates[:limit] if matched >= floor]
        marks = {spaceless(h) for h in analysed.highlight}
        # What people read has no review marker (the index keeps the text as the item has it).
        results.hits = [Hit(doc=doc, score=round(score, 4), snippet=snippet(strip_review_marks(doc.body), marks),
                            sure=sure) for score, sure, doc in shown]
        results.answer = find_answer(results.hits, asked, [t for t, _ in analysed.said])
        return results

    def _asked(self, analysed) -> list:
        """What the query asks about: (idf, the ways it may be written) of every word or
        synonym group that is neither a function word nor found in most documents."""
        searcher = self.part.searcher
        n = searcher.num_docs or 1
        asked = []
        for weight, terms, written in analysed.alternatives():
            if weight < 0.5:
                continue
            # How common the thing asked about is, by the word the query wrote: another way
            # of saying it may be common in another sense ("ชุด": a uniform, or a set).
            df = self._doc_freq(searcher, written)
            if not df and written in analysed.in_phrases:
                continue  # asked through the thesaurus phrase it is part of ("dress code")
            if not df or isinstance(written, tuple) and set(written) & QUESTION_WORDS:
                # A phrase that is mostly question words ("ต้องมีอะไรบ้าง") says little of
                # how common the thing asked about is; a word no document uses, nothing.
                content = [t for t in terms if not (isinstance(t, tuple) and set(t) & QUESTION_WORDS)] or terms
                df = max(self._doc_freq(searcher, t) for t in content)
            if df / n < COMMON_WORD_SHARE:
                surfaces = {s for t in terms for s in self.analyzer.surfaces(t)}
                weight = math.log(1 + (n - df + 0.5) / (df + 0.5)) ** IDF_POWER
                asked.append((weight * (UNKNOWN_WEIGHT if not df else 1.0), surfaces))
        return asked

    def _prefer_titles_asked(self, candidates, said):
        """Weigh down a hit whose title is another hit's title plus words the query does not
        say: "กอพม. ใครเป็นประธาน" asks about กอพม., not กอพม. จังหวัด."""
        searcher = self.part.searcher
        common = COMMON_WORD_SHARE * (searcher.num_docs or 1)
        named = {}  # the titles the query says something of: key → their words that are not everywhere
        is_common = {}
        for _, _, doc in candidates:
            words = self.title_words.get(doc.key, frozenset())
            if not words & said:
                continue
            for w in words - is_common.keys():
                is_common[w] = self._doc_freq(searcher, w) > common
            rare = {w for w in words if not is_common[w]}
            if rare & said:
                named[doc.key] = rare
        narrower = {key for key, words in named.items()
                    if any(other < words and not (words - other) & said for other in named.values())}
        return [(score * NESTED_TITLE_WEIGHT, matched * NESTED_TITLE_WEIGHT, doc) if doc.key in narrower
                else (score, matched, doc) for score, matched, doc in candidates]

    @staticmethod
    def _doc_freq(searcher, term):
        if isinstance(term, tuple):  # a phrase: at most as frequent as its rarest word
            return min(SearchIndex._doc_freq(searcher, t) for t in term)
        return max(searcher.doc_freq(f"{name}_words", term) for name in ("title", "body", "questions"))

    def says(self, doc, surfaces) -> bool:
        """Whether `doc` uses any of the ways of writing a thing asked about."""
        short = self.short_words.get(doc.key, " ")
        compact = doc.compact
        return any((f" {s} " in short) if len(s) <= SHORT_WORD else (s in compact) for s in surfaces)

    def _relevant(self, doc, analysed):
        """Bigrams alone match almost anything; keep a hit only when it contains a query
        word (a synonym, an abbreviation's full form) or most of the query's characters."""
        if any(spaceless(h) in doc.compact for h in analysed.highlight):
            return True
        if not analysed.grams:
            return False
        return sum(g in doc.compact for g in analysed.grams) / len(analysed.grams) >= MIN_GRAM_COVERAGE
