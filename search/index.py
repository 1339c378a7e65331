"""The search index: word BM25 fused with character-bigram BM25 in one tantivy index.

Each document is indexed twice: as words (nlpo3 segmentation, glossary abbreviations
added where their full form is written) and as character bigrams of the spaceless
text, which keeps partial words, compounds and typos findable. Titles are separate
fields with a higher weight. A query is analysed by search.analysis: question words dropped,
typos fixed against the index vocabulary, abbreviations and thesaurus synonyms added.
"""
import re
from dataclasses import dataclass, field

import tantivy
from django.utils.html import escape

from volunteerkm.thai import fold_digits

from .analysis import QUESTION_WORDS, Phrases, Segmenter, Speller, abbreviation_aliases, search_form

# Ranking weights, chosen by bench/search_quality.py on the dev and extra question sets.
WORD_WEIGHT = 0.7  # the rest goes to character bigrams
TITLE_BOOST = 2.5
SYNONYM_WEIGHT = 1.0  # a synonym group counts once, as its best match (see SYNONYM_TIE_BREAKER)
QUESTION_PHRASE_WEIGHT = 0.3  # of a synonym group that only says what is asked ("คืออะไร")
KNOWN_WORD_GRAM_WEIGHT = 0.3  # of a bigram inside a word the index knows
SYNONYM_TIE_BREAKER = 0.3  # of the other synonyms a document also uses, this share counts
FUNCTION_WORD_WEIGHT = 0.2
MIN_GRAM_COVERAGE = 0.6  # a hit that matches no word must contain this share of the query's bigrams
MIN_SHARE_OF_TOP = 0.15  # hits scoring below this share of the best hit are noise
COMMON_GRAM_SHARE = 0.5  # bigrams in more than this share of documents barely rank but cost the most

# Words too common to make a passage relevant: not highlighted, not used to pick snippets.
FUNCTION_WORDS = frozenset(
    "ของ และ การ ความ ที่ ใน ให้ เป็น มี ได้ กับ จะ แก่ โดย หรือ ซึ่ง ต่อ ตาม เพื่อ จาก ไป มา แล้ว "
    "นี้ นั้น อยู่ ต้อง คือ ว่า ทั้ง ทุก แต่ ก็ ไม่ ถ้า".split()
)


@dataclass(frozen=True)
class Doc:
    key: str
    title: str
    context: str
    url: str
    body: str
    heading: str = ""  # indexed with the body: the chapter's title

    @property
    def text(self):
        return f"{self.title} {self.body}"


@dataclass
class Hit:
    doc: Doc
    score: float
    snippet: str = ""


@dataclass
class Results:
    q: str
    hits: list = field(default_factory=list)
    did_you_mean: str = ""
    terms: tuple = ()


@dataclass
class AnalysedQuery:
    words: dict  # term → weight
    synonyms: list  # per thesaurus match in the query: {term or tuple of terms: weight}
    grams: dict
    highlight: set
    did_you_mean: str = ""


def bigrams(text: str) -> list[str]:
    return [text[i:i + 2] for i in range(len(text) - 1)] if len(text) > 1 else [text] if text else []


class Analyzer:
    """Turns documents and queries into index terms, with the glossary and the thesaurus."""

    def __init__(self, glossary=(), synonym_groups=()):
        concepts = {}
        abbr_words = set()
        for abbr, full in glossary:
            key, names = abbreviation_aliases(abbr, full)
            abbr_words.update(search_form(abbr).split())
            concepts[key] = names
        # Abbreviations written in the thesaurus (อบต.) are words too.
        abbr_words.update(search_form(w) for words in synonym_groups for w in words
                          if "." in w and " " not in w.strip())
        base = Segmenter(abbr_words)
        # Full forms and thesaurus phrases are dictionary words as well, so that the words
        # around them cannot swallow their first or last syllable ("ของกอง|กิจการ"); each is
        # then split back into its own words.
        names = [n for _, names in concepts.items() for n in names] + [w for words in synonym_groups for w in words]
        compounds = {search_form(n).replace(" ", "") for n in names}
        self.parts = {c: base.tokens(c) for c in compounds if len(base.tokens(c)) > 1}
        self.segmenter = Segmenter(abbr_words | set(self.parts))
        self.concept_phrases = {}  # token tuple → concept key
        self.concept_names = {}  # concept key → token tuples that name it
        for key, names in concepts.items():
            for name in names:
                phrase = tuple(self.tokens(name))
                if phrase:
                    self.concept_phrases[phrase] = key
                    self.concept_names.setdefault(key, set()).add(phrase)
        self.synonym_phrases = {}  # token tuple → group indexes
        self.groups = []
        for words in synonym_groups:
            phrases = [tuple(self.tokens(w)) for w in words]
            phrases = [p for p in phrases if p]
            for p in phrases:
                self.synonym_phrases.setdefault(p, set()).add(len(self.groups))
            self.groups.append(phrases)
        self.thesaurus_words = {t for g in self.groups for p in g for t in p}
        self.concept_phrases = Phrases(self.concept_phrases)
        self.synonym_phrases = Phrases(self.synonym_phrases)

    def tokens(self, text: str) -> list[str]:
        out = []
        for t in self.segmenter.tokens(text):
            out.extend(self.parts.get(t, (t,)))
        return out

    def concept_keys(self, tokens):
        return [key for _, _, key in self.concept_phrases.find(tokens)]

    def with_concepts(self, tokens: list[str]) -> list[str]:
        """A document's words plus the key of every glossary term written in full."""
        return tokens + [k for k in self.concept_keys(tokens) if k not in tokens]

    def query(self, q: str, vocabulary) -> AnalysedQuery:
        tokens = self.tokens(q)
        did_you_mean = ""
        known = lambda t: (t in vocabulary or t in QUESTION_WORDS or t in self.thesaurus_words  # noqa: E731
                           or t.isdigit() or t.isascii() or (len(t) > 2 and self.segmenter.is_word(t)))
        fixes = vocabulary.speller.fixes(tokens, known) if vocabulary else []
        if fixes:
            fixed, last = [], 0
            for start, end, word, _ in fixes:
                fixed += tokens[last:start] + [word]
                last = end
            tokens = fixed + tokens[last:]
            did_you_mean = " ".join(t for t in tokens if t not in QUESTION_WORDS)

        words, synonyms, highlight = {}, [], set()

        def add(term, weight):
            if term in FUNCTION_WORDS:
                weight *= FUNCTION_WORD_WEIGHT
            if term not in QUESTION_WORDS and weight > words.get(term, 0):
                words[term] = weight

        synonym_matches = self.synonym_phrases.find(tokens)
        in_phrase = {i for start, end, _ in synonym_matches for i in range(start, end)}
        content = [t for i, t in enumerate(tokens) if t not in QUESTION_WORDS or i in in_phrase]
        concepts = self.concept_phrases.find(tokens)
        # The words of a full form are searched as its concept, which matches both forms.
        in_concept = {i for start, end, _ in concepts if end - start > 1 for i in range(start, end)}
        for i, t in enumerate(tokens):
            if t not in QUESTION_WORDS and i not in in_concept:
                add(t, 1.0)
                highlight.add(t)
        for _, _, key in concepts:
            add(key, 1.0)
            highlight.update("".join(p) for p in self.concept_names.get(key, ()))
        grouped = set()
        for start, end, group_ids in synonym_matches:
            said = tuple(tokens[start:end])
            if said in self.concept_phrases:
                continue  # a glossary term is found by its abbreviation and full form already
            if end - start == 1 and tokens[end:end + 1] in (["ไหน"], ["ใด"]):
                continue  # "ชุดไหน" is "which set": a classifier, not the word's sense (an outfit)
            # All the other ways of saying it are one alternative, scored by the best of
            # them, so a word with many synonyms counts no more than a word with none.
            # "คืออะไร" → ความหมาย says what kind of answer is wanted, not what it is about.
            asking = all(t in QUESTION_WORDS or t in FUNCTION_WORDS for t in said)
            weight = SYNONYM_WEIGHT * (QUESTION_PHRASE_WEIGHT if asking else 1.0)
            others = {said: weight} if len(said) > 1 and any(t in QUESTION_WORDS for t in said) else {}
            if len(said) == 1 and said[0] in words:  # the word itself is one of the ways
                others[said[0]] = words[said[0]]
                grouped.add(said[0])
            for gid in group_ids:
                for phrase in self.groups[gid]:
                    if phrase == said:
                        continue
                    term = self.concept_phrases[phrase] if phrase in self.concept_phrases else (
                        phrase[0] if len(phrase) == 1 else phrase)
                    if term not in words:
                        others[term] = weight
                    highlight.add("".join(phrase))
            if others and others not in synonyms:
                synonyms.append(others)
        for t in grouped:
            words.pop(t, None)
        grams = {}
        for g in bigrams("".join(content)):
            grams[g] = 1.0
        # Bigrams inside a word the index knows add little to the word itself and match
        # other words that contain it (สมัคร in อาสาสมัคร); they count for less.
        for t in content:
            if vocabulary and t in vocabulary and len(t) > 2:
                for g in bigrams(t):
                    grams[g] = min(grams[g], KNOWN_WORD_GRAM_WEIGHT)
        highlight = {h for h in highlight if (len(h) > 2 or h.isdigit() or (h.isascii() and len(h) > 1))
                     and h not in FUNCTION_WORDS}
        return AnalysedQuery(words=words, synonyms=synonyms, grams=grams, highlight=highlight,
                             did_you_mean=did_you_mean)


class Vocabulary(set):
    """Every word of the indexed text; `correction_words` are those worth fixing a typo to."""

    def __init__(self, words=()):
        super().__init__(words)
        self.speller = Speller(w for w in self if len(w) >= 3 and not w.isascii() and not w.isdigit())


def _schema():
    sb = tantivy.SchemaBuilder()
    sb.add_integer_field("n", stored=True, indexed=False)
    for name in ("title_words", "body_words"):
        sb.add_text_field(name, tokenizer_name="words")
    for name in ("title_grams", "body_grams"):
        sb.add_text_field(name, tokenizer_name="bigrams", index_option="freq")
    return sb.build()


class SearchIndex:
    def __init__(self, docs, glossary=(), synonym_groups=()):
        self.docs = list(docs)
        self.analyzer = Analyzer(glossary, synonym_groups)
        self.schema = _schema()
        self.index = tantivy.Index(self.schema)
        analyzer = tantivy.TextAnalyzerBuilder
        self.index.register_tokenizer("words", analyzer(tantivy.Tokenizer.whitespace()).build())
        self.index.register_tokenizer("bigrams", analyzer(tantivy.Tokenizer.ngram(2, 2, False)).build())
        writer = self.index.writer(heap_size=200_000_000, num_threads=2)
        vocab = set()
        for n, doc in enumerate(self.docs):
            title = self.analyzer.tokens(doc.title)
            body = self.analyzer.tokens(f"{doc.heading} {doc.body}")
            vocab.update(title)
            vocab.update(body)
            writer.add_document(tantivy.Document(
                n=n, title_grams="".join(title), body_grams="".join(body),
                title_words=" ".join(self.analyzer.with_concepts(title)),
                body_words=" ".join(self.analyzer.with_concepts(body)),
            ))
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()
        self.vocabulary = Vocabulary(vocab | self.analyzer.thesaurus_words)

    def _query(self, analysed: AnalysedQuery):
        clauses = []

        def term_query(name, term):
            if isinstance(term, tuple):
                return tantivy.Query.phrase_query(self.schema, name, list(term))
            return tantivy.Query.term_query(self.schema, name, term)

        def field_queries(fields, term, boost):
            return [tantivy.Query.boost_query(term_query(name, term), boost * field_boost)
                    for name, field_boost in zip(fields, (TITLE_BOOST, 1.0), strict=True)]

        words = ("title_words", "body_words")
        total = sum(analysed.words.values()) + sum(max(g.values()) for g in analysed.synonyms) or 1
        for term, weight in analysed.words.items():
            clauses += [(tantivy.Occur.Should, q) for q in field_queries(words, term, WORD_WEIGHT * weight / total)]
        for others in analysed.synonyms:
            alternatives = [q for term, weight in others.items()
                            for q in field_queries(words, term, WORD_WEIGHT * weight / total)]
            either = tantivy.Query.disjunction_max_query(alternatives, SYNONYM_TIE_BREAKER)
            clauses.append((tantivy.Occur.Should, either))

        common = COMMON_GRAM_SHARE * self.searcher.num_docs
        grams = {g: w for g, w in analysed.grams.items() if self.searcher.doc_freq("body_grams", g) <= common}
        share = (1 - WORD_WEIGHT) * len(grams) / (len(analysed.grams) or 1)
        gram_total = sum(grams.values()) or 1
        for g, weight in grams.items():
            clauses += [(tantivy.Occur.Should, q)
                        for q in field_queries(("title_grams", "body_grams"), g, share * weight / gram_total)]
        return tantivy.Query.boolean_query(clauses)

    def search(self, q: str, limit: int = 10) -> Results:
        q = (q or "").strip()
        analysed = self.analyzer.query(q, self.vocabulary)
        results = Results(q=q, did_you_mean=analysed.did_you_mean, terms=tuple(sorted(analysed.words)))
        if not analysed.words and not analysed.synonyms and not analysed.grams:
            return results
        found = self.searcher.search(self._query(analysed), limit=limit * 2 + 5, count=False).hits
        pattern = match_pattern(analysed.highlight)
        for score, address in found:
            if score < MIN_SHARE_OF_TOP * found[0][0]:
                break
            doc = self.docs[self.searcher.doc(address)["n"][0]]
            if self._relevant(doc, analysed):
                results.hits.append(Hit(doc=doc, score=round(score, 4), snippet=snippet(doc.body, pattern)))
            if len(results.hits) == limit:
                break
        return results

    def _relevant(self, doc, analysed):
        """Bigrams alone match almost anything; keep a hit only when it contains a query
        word (a synonym, an abbreviation's full form) or most of the query's characters."""
        text = search_form(f"{doc.title} {doc.heading} {doc.body}").replace(" ", "")
        if any(search_form(h).replace(" ", "") in text for h in analysed.highlight):
            return True
        if not analysed.grams:
            return False
        return sum(g in text for g in analysed.grams) / len(analysed.grams) >= MIN_GRAM_COVERAGE


def match_pattern(terms):
    """A regex that finds the terms in display text: Thai or Arabic digits, optional
    abbreviation dots and spaces between letters are all accepted."""
    parts = []
    for term in sorted(terms, key=len, reverse=True):
        chars = []
        for c in term:
            chars.append(f"[{c}{'๐๑๒๓๔๕๖๗๘๙'[int(c)]}]" if c.isdigit() and c.isascii() else re.escape(c))
        parts.append(r"\.?".join(chars))
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def snippet(text: str, pattern, width: int = 160) -> str:
    """The passage of `text` with the most distinct matches of `pattern`, marked."""
    matches = list(pattern.finditer(text)) if pattern else []
    if not matches:
        cut = text[:width]
        return escape(cut) + ("…" if len(text) > width else "")
    best, best_count = 0, -1
    for i, m in enumerate(matches):
        distinct = {fold_digits(x.group(0)).lower().replace(".", "")
                    for x in matches[i:] if x.start() < m.start() + width}
        if len(distinct) > best_count:
            best, best_count = i, len(distinct)
    start = max(0, matches[best].start() - 30)
    space = text.rfind(" ", 0, start + 1)
    start = space + 1 if start and space >= 0 and start - space < 30 else start
    end = min(len(text), start + width)
    space = text.find(" ", end)
    end = space if space != -1 and space - end < 30 else end
    out, pos = [], start
    for m in matches:
        if m.start() < pos or m.end() > end:
            continue
        out.append(escape(text[pos:m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        pos = m.end()
    out.append(escape(text[pos:end]))
    marked = "".join(out).replace("</mark><mark>", "")
    return ("…" if start > 0 else "") + marked + ("…" if end < len(text) else "")
