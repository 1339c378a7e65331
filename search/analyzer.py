"""Query and document analysis for the index: words (with the glossary's abbreviations
and full forms as one concept), thesaurus synonyms as one alternative per word said,
character bigrams, and the vocabulary that phone slips and typos are fixed against."""
from dataclasses import dataclass, field

from .analysis import (
    QUESTION_WORDS,
    Phrases,
    Segmenter,
    SlipFixer,
    Speller,
    abbreviation_aliases,
    search_form,
    skeleton,
    spaceless,
)

SYNONYM_WEIGHT = 1.0  # a synonym group counts once, as its best match
QUESTION_PHRASE_WEIGHT = 0.3  # of a synonym group that only says what is asked ("คืออะไร")
KNOWN_WORD_GRAM_WEIGHT = 0.3  # of a bigram inside a word the index knows
FUNCTION_WORD_WEIGHT = 0.2

# Who is asking or for whom: "ยายอยากเป็น อพม.", "ลูกหลานถามมา".
KIN = frozenset("ยาย ป้า ลุง น้า ปู่ ย่า หลาน ลูกหลาน ท่าน พ่อ แม่ ลูก พี่ น้อง".split())

# Words too common to make a passage relevant: not highlighted, not used to pick snippets.
FUNCTION_WORDS = KIN | frozenset(
    "ของ และ การ ความ ที่ ใน ให้ เป็น มี ได้ กับ จะ แก่ โดย หรือ ซึ่ง ต่อ ตาม เพื่อ จาก ไป มา แล้ว "
    "นี้ นั้น อยู่ ต้อง คือ ว่า ทั้ง ทุก แต่ ก็ ไม่ ถ้า "
    # what people say around a question: "อยากทำ", "ผมยังไม่…", "แบบนี้"
    "ทำ อยาก อยากได้ อยากให้ ยัง เลย ก่อน ไว้ แบบ เรา ผม ฉัน หนู ดิฉัน เขา พวก แค่ ถึง จริง ๆ "
    # how much or how often, not what: "เขียนไม่ค่อยได้"
    "ไม่ค่อย ค่อนข้าง นิดหน่อย บ่อย เยอะ มาก "
    # pronouns said in chat
    "เค้า แก มัน เธอ "
    # English mixed in: "who made this KM", "uniform ของ อพม. is what"
    "is are was were be been do does did can could should will would the a an of this that these those "
    "for to in on at by with my your our its it and or i you we they he she me us".split()
)


# Question words as typed in chat, read as written out, so that a phrase of the thesaurus
# ("ต้องทำอะไรบ้าง") is found however it is typed ("ต้องทำไรมั่ง").
CHAT_FORMS = {"ไร": "อะไร", "มั่ง": "บ้าง", "ยังไง": "อย่างไร", "ยังงัย": "อย่างไร", "มั้ย": "ไหม", "มั๊ย": "ไหม",
              "ไม๊": "ไหม", "ม้าย": "ไหม", "ป่าว": "เปล่า", "ป่ะ": "เปล่า", "รึเปล่า": "หรือเปล่า",
              "รึป่าว": "หรือเปล่า", "หรือป่าว": "หรือเปล่า",
              # and as asked in the regions (อีสาน, เหนือ, ใต้)
              "ไผ": "ใคร", "หยัง": "อะไร", "อีหยัง": "อะไร", "อิหยัง": "อะไร", "อะหยัง": "อะไร", "ไหร": "อะไร",
              "จั่งใด": "อย่างไร", "จังใด": "อย่างไร", "จะใด": "อย่างไร", "ยังไหร": "อย่างไร", "ไส": "ไหน",
              "แหน่": "บ้าง", "เฮ็ด": "ทำ", "หื้อ": "ให้", "บ่": "ไม่", "ก่อ": "ไหม",
              # and in English
              "who": "ใคร", "what": "อะไร", "how": "อย่างไร", "why": "ทำไม", "where": "ที่ไหน",
              "when": "เมื่อไร", "which": "ไหน"}

TONE_MARKS = frozenset("\u0e48\u0e49\u0e4a\u0e4b")


def _unmarked(words):
    """skeleton → word, for the words whose skeleton no other of them shares."""
    by_skeleton = {}
    for w in words:
        by_skeleton.setdefault(skeleton(w), set()).add(w)
    return {s: next(iter(ws)) for s, ws in by_skeleton.items() if len(ws) == 1 and s not in words}


# Not kin: without its mark a kin word is a word of its own too often (ยา, นา, พอ, ลุก).
UNMARKED_SMALL_WORDS = _unmarked(QUESTION_WORDS | FUNCTION_WORDS - KIN)

# Words that also count things ("ชุด": an outfit, or a set of anything).
CLASSIFIERS = frozenset("ชุด ตัว อัน ใบ เล่ม ฉบับ ข้อ แบบ".split())


YEAR_LABELS = frozenset({"ปี", "พศ"})
# A year names the regulation more than it asks: it ranks, but a hit need not say it.
YEAR_WEIGHT = 0.4


def read_years(tokens: list) -> list:
    """"ปี 64", "พ.ศ. 2564": the label names a year, it does not ask how many years, and a
    year written short is the Buddhist era's (64 → 2564)."""
    out = []
    for i, t in enumerate(tokens):
        after = tokens[i + 1] if i + 1 < len(tokens) else ""
        if t in YEAR_LABELS and after.isdigit() and len(after) in (2, 4):
            continue
        if t.isdigit() and len(t) == 2 and i and tokens[i - 1] in YEAR_LABELS:
            t = "25" + t
        out.append(t)
    return out


def is_year(token: str) -> bool:
    """A year of the Buddhist era ("2564"): in a question about a regulation, its name (every
    item is of the 2564 regulation), not what is asked."""
    return len(token) == 4 and token.isdigit() and token.startswith(("24", "25", "26"))


@dataclass
class AnalysedQuery:
    words: dict  # term → weight
    synonyms: list  # per thesaurus match in the query: {term or tuple of terms: weight}
    grams: dict
    highlight: set
    did_you_mean: str = ""
    # The query's words as read (question words included), each with the other ways of
    # saying it (its glossary concept, its synonyms): for comparing with whole questions.
    said: list = field(default_factory=list)
    # Per synonym group, what the query wrote (a word or a tuple of words).
    synonyms_written: list = field(default_factory=list)
    # Words said inside a thesaurus phrase of several words ("dress code").
    in_phrases: frozenset = frozenset()

    def alternatives(self):
        """(weight, terms, written) for each thing the query says: a word, or a word with
        all the other ways of saying it; `written` is how the query put it."""
        groups = zip(self.synonyms, self.synonyms_written, strict=True)
        return [(w, [t], t) for t, w in self.words.items()] + [(max(g.values()), list(g), said) for g, said in groups]


PHRASE_JOINER = "_"


def phrase_term(phrase: tuple) -> str:
    """The one word a thesaurus phrase of several words is also indexed as: searched as that
    word, a phrase costs no walk over the positions of the common words in it."""
    return PHRASE_JOINER.join(phrase)


def bigrams(text: str) -> list[str]:
    return [text[i:i + 2] for i in range(len(text) - 1)] if len(text) > 1 else [text] if text else []


class Analyzer:
    """Turns documents and queries into index terms, with the glossary and the thesaurus."""

    def __init__(self, glossary=(), synonym_groups=()):
        # A group is a list of words that find each other, or (words, finds): a query with
        # one of `words` also finds `finds`, never the reverse (SynonymGroup.expansion).
        directed = [(list(g[0]), list(g[1])) if isinstance(g, tuple) else (list(g), []) for g in synonym_groups]
        synonym_groups = [words + finds for words, finds in directed]
        concepts = {}
        concept_of = {}  # a name, spaceless → its concept key
        abbr_words = set()
        for abbr, full in glossary:
            key, names = abbreviation_aliases(abbr, full)
            abbr_words.update(search_form(abbr).split())
            # Two abbreviations of one full form ("ผวจ.", "ผู้ว่า") name one concept: a
            # document writing the full form is found by either.
            spelled = [spaceless(n) for n in names]
            key = next((concept_of[s] for s in spelled if s in concept_of), key)
            concepts[key] = list(dict.fromkeys(concepts.get(key, []) + names))
            concept_of.update(dict.fromkeys(spelled, key))
        # Abbreviations written in the thesaurus (อบต.) are words too.
        abbr_words.update(search_form(w) for words in synonym_groups for w in words
                          if "." in w and " " not in w.strip())
        base = Segmenter(abbr_words)
        # Full forms and thesaurus phrases are dictionary words as well, so that the words
        # around them cannot swallow their first or last syllable ("ของกอง|กิจการ"); each is
        # then split back into its own words.
        names = [n for _, names in concepts.items() for n in names] + [w for words in synonym_groups for w in words]
        compounds = {spaceless(n) for n in names}
        self.parts = {c: base.tokens(c) for c in compounds if len(base.tokens(c)) > 1}
        self.segmenter = Segmenter(abbr_words | set(self.parts) | {w for w in CHAT_FORMS if len(w) > 2})
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
        for words, finds in directed:
            phrases = [tuple(self.tokens(w)) for w in words]
            phrases = [p for p in phrases if p]
            for p in phrases:
                self.synonym_phrases.setdefault(p, set()).add(len(self.groups))
            self.groups.append(phrases + [p for p in (tuple(self.tokens(w)) for w in finds) if p and p not in phrases])
        self.thesaurus_words = {t for g in self.groups for p in g for t in p}
        self.thesaurus_phrases = Phrases({p: phrase_term(p) for g in self.groups for p in g if len(p) > 1})
        self.concept_phrases = Phrases(self.concept_phrases)
        self.synonym_phrases = Phrases(self.synonym_phrases)

    def tokens(self, text: str) -> list[str]:
        out = []
        for t in self.segmenter.tokens(text):
            out.extend(CHAT_FORMS.get(p, p) for p in self.parts.get(t, (t,)))
        return out

    def question_tokens(self, text: str) -> list[str]:
        """The words of a question people ask, written as they type it: a small word left
        without its mark ("เปน", "ได") is read as the word it is, so that it neither joins
        the vocabulary as a word of its own nor keeps the query's slips from being fixed."""
        return [t if self.segmenter.is_word(t) else UNMARKED_SMALL_WORDS.get(skeleton(t), t)
                for t in self.tokens(text)]

    def surfaces(self, term) -> set:
        """How `term` (a word, a concept key or a phrase of words) may be written in a text,
        spaceless: a concept by any of its names."""
        if isinstance(term, tuple):
            return {"".join(term)}
        return {"".join(p) for p in self.concept_names.get(term, ())} | {term}

    def split_compound(self, token, vocabulary) -> list:
        """A word the index does not know, written as two words it knows of four letters or
        more ("ประธานกรรมการ" → ประธาน, กรรมการ), is searched as those two; any other token
        stays as it is (short parts would match inside anything: "ออกงาน" is not ออก + งาน)."""
        if token in vocabulary or len(token) < 8 or token in QUESTION_WORDS or token.isascii():
            return [token]
        splits = [(token[:i], token[i:]) for i in range(4, len(token) - 3)
                  if token[:i] in vocabulary and token[i:] in vocabulary]
        if not splits:
            return [token]
        return list(min(splits, key=lambda parts: abs(len(parts[0]) - len(parts[1]))))

    def concept_keys(self, tokens):
        return [key for _, _, key in self.concept_phrases.find(tokens)]

    def with_concepts(self, tokens: list[str]) -> list[str]:
        """A document's words plus the key of every glossary term written in full."""
        return tokens + [k for k in self.concept_keys(tokens) if k not in tokens]

    def phrase_words(self, tokens: list[str]) -> list[str]:
        """Each thesaurus phrase of several words found in `tokens`, as one word (phrase_term)."""
        return [term for _, _, term in self.thesaurus_phrases.find(tokens)]

    def is_word(self, text: str, vocabulary=(), any_thai_word=True) -> bool:
        """Whether `text` is a word of the index (or a question word), or, unless
        `any_thai_word` is false, any word of Thai."""
        key = spaceless(text)
        return (key in vocabulary or key in QUESTION_WORDS or key in FUNCTION_WORDS
                or (any_thai_word and self.segmenter.is_word(key)))

    def _marks_left_out(self, q, typed, vocabulary) -> bool:
        """Whether `q` (its words: `typed`) was typed leaving tone marks out: it has none,
        and a small word that has one is there without it ("ได", "เปน") — a question may
        have no mark by right ("วิธีปลูกผักสวนครัว")."""
        if any(c in TONE_MARKS for c in q):
            return False
        return any(t not in vocabulary and not self.segmenter.is_word(t) and skeleton(t) in UNMARKED_SMALL_WORDS
                   for t in typed)

    def query(self, q: str, vocabulary) -> AnalysedQuery:
        typed = self.tokens(q)
        marks_left_out = vocabulary and self._marks_left_out(q, typed, vocabulary)
        # Who leaves every tone mark out: a word the index does not know is read as the
        # index's word with its marks ("ตองทำ" → ต้องทำ), even when it is a word of its own
        # ("ตอง", a banana leaf); who types them meant "เสือ", a tiger.
        slipped = vocabulary.slips.fix(
            q, lambda text: self.is_word(text, vocabulary, not marks_left_out)) if vocabulary else q
        tokens = typed if slipped == q else self.tokens(slipped)
        if marks_left_out:  # "ได", "นี": small words said without their marks
            tokens = [t if t in vocabulary else UNMARKED_SMALL_WORDS.get(skeleton(t), t) for t in tokens]
        did_you_mean = ""
        # A lone Thai letter is a word a typo broke apart ("สมัค" → ส, มัค), never a word.
        known = lambda t: (t.isdigit() or t.isascii() or len(t) > 1 and (  # noqa: E731
            t in vocabulary or t in QUESTION_WORDS or t in self.thesaurus_words
            or (len(t) > 2 and self.segmenter.is_word(t))))
        fixes = vocabulary.speller.fixes(tokens, known) if vocabulary else []
        if fixes or slipped != q:
            fixed, last = [], 0
            for start, end, word, _ in fixes:
                fixed += tokens[last:start] + [word]
                last = end
            tokens = fixed + tokens[last:]
            did_you_mean = " ".join(t for t in tokens if t not in QUESTION_WORDS)
        if vocabulary:
            tokens = [part for t in tokens for part in self.split_compound(t, vocabulary)]
        tokens = read_years(tokens)

        words, synonyms, highlight = {}, [], set()

        def add(term, weight):
            if term in FUNCTION_WORDS:
                weight *= FUNCTION_WORD_WEIGHT
            elif is_year(term):
                weight *= YEAR_WEIGHT
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
        grouped, written = set(), []
        spans = {}  # group index → the spans of the query already said in that group's words
        for start, end, group_ids in synonym_matches:
            said = tuple(tokens[start:end])
            if said in self.concept_phrases:
                continue  # a glossary term is found by its abbreviation and full form already
            # "ติดตามเคส" and the "ติดตาม" inside it say one thing, not two.
            group_ids = {g for g in group_ids if not any(s <= start and end <= e for s, e in spans.get(g, ()))}
            if end - start == 1 and any(s <= start < e and e - s > 1 for s, e, _ in synonym_matches):
                continue  # the "ประชาชน" of "บัตรประชาชน" is said by the longer phrase
            if not group_ids:
                continue
            for g in group_ids:
                spans.setdefault(g, []).append((start, end))
            if end - start == 1 and tokens[end:end + 1] in (["ไหน"], ["ใด"]):
                continue  # "ชุดไหน" is "which set": a classifier, not the word's sense (an outfit)
            if end - start == 1 and said[0] in CLASSIFIERS and (
                    tokens[end:end + 1] in (["นี้"], ["นั้น"]) or tokens[start - 1:start] == ["กี่"]):
                # "ความรู้ชุดนี้" is "this set of knowledge", "มีกี่ชุด" "how many sets": it
                # says nothing of what is asked.
                words[said[0]] = FUNCTION_WORD_WEIGHT
                continue
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
                written.append(said[0] if len(said) == 1 else said)
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
                             did_you_mean=did_you_mean, said=self._said(tokens, concepts, synonyms),
                             synonyms_written=written,
                             in_phrases=frozenset(t for start, end, _ in synonym_matches if end - start > 1
                                                  for t in tokens[start:end]))

    def _said(self, tokens, concepts, synonyms) -> list:
        """(term, {ways of saying it}) for each word of the query, in order, once each."""
        ways = {t: {t} for t in tokens}
        for start, end, key in concepts:
            for t in tokens[start:end]:
                ways[t].add(key)
        for group in synonyms:
            single = {t for t in group if isinstance(t, str)}
            for t in single & set(ways):
                ways[t] |= single
        return [(t, frozenset(w)) for t, w in ways.items()]


class Vocabulary(set):
    """Every word of the indexed text, with the speller and the slip fixer that correct
    queries towards them; grows as documents are added."""

    def __init__(self, words=()):
        super().__init__()
        self.speller = Speller(())
        self.slips = SlipFixer()
        self.add_words(words)

    def add_words(self, words):
        new = set(words) - self
        if not new:
            return
        self.update(new)
        self.speller.add(w for w in new if len(w) >= 3 and not w.isascii() and not w.isdigit())
        self.slips.add(new)
