"""Search analysis of Thai text: the search form of a text (abbreviation dots dropped),
word segmentation with the domain's own words (nlpo3), phrases, abbreviations and typo
fixing. Normalisation itself is volunteerkm.thai, shared by every app."""
import hashlib
import os
import re
import tempfile
from functools import lru_cache

from nlpo3 import load_dict
from nlpo3 import segment as nlpo3_segment
from pythainlp.corpus import thai_words
from pythainlp.corpus.phupha import unigram_word_freqs
from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from volunteerkm.thai import normalize


@lru_cache(maxsize=1)
def _base_words() -> frozenset:
    return frozenset(thai_words())


@lru_cache(maxsize=1)
def _word_counts() -> dict:
    """How often each word is written in Thai web text (Phupha, shipped with PyThaiNLP)."""
    return dict(unigram_word_freqs())

# Question words and particles: people type them, documents do not answer with them.
QUESTION_WORDS = frozenset("""
ไหม มั้ย ไม๊ มั๊ย มั้ยคะ มั้ยครับ หรือไม่ หรือเปล่า รึเปล่า เปล่า ป่าว รึป่าว หรือป่าว ป่ะ ปะ หรือยัง
อย่างไร ยังไง ยังงัย ยังไงบ้าง อย่างไรบ้าง ไง หรือไง รึไง อะไร อะไรบ้าง ไร บ้าง มั่ง ไหน ที่ไหน แห่งไหน
คือ เมื่อไร เมื่อไหร่ ตอนไหน กี่ ทำไม เพราะอะไร ใคร ใครบ้าง เท่าไร เท่าไหร่
ครับ ค่ะ คะ คับ ครับผม คร้าบ ค้าบ จ้า จ้ะ จ๊ะ นะ น่ะ นะคะ นะครับ เหรอ หรอ ล่ะ ละ ฮะ อ่ะ อะ เนี่ย งะ
อยากรู้ อยากทราบ สงสัย ขอถาม ถาม สอบถาม ช่วย บอก หน่อย ด้วย
""".split())

# Full stops of abbreviations (อพม. พ.ศ.), but not a decimal point; ฯ and ๆ carry no letters.
_ABBREVIATION_DOT = re.compile(r"(?<!\d)\.|\.(?!\d)")
_NON_LETTER_MARKS = re.compile("[ฯๆ]")
_TOKEN_EDGE = " .,;:!?()[]{}\"'“”‘’/\\-–—=|+*&%#@<>~_^`"
_HAS_WORD_CHAR = re.compile(r"\w")


def search_form(text: str) -> str:
    """normalize() and then drop abbreviation dots and ฯ/ๆ, so "อพม." and "อพม", "พ.ศ." and
    "พศ", "ระเบียบฯ" and "ระเบียบ" are the same words to search."""
    return normalize(_NON_LETTER_MARKS.sub(" ", _ABBREVIATION_DOT.sub("", text)))


def spaceless(text: str) -> str:
    """search_form(text) without spaces: how phrases are compared letter for letter."""
    return search_form(text).replace(" ", "")


class Segmenter:
    """Fast newmm word segmentation (nlpo3) with PyThaiNLP's dictionary plus the domain's
    own words. `tokens()` returns the words of search_form(text), punctuation dropped."""

    _loaded: dict = {}
    # Pairs of words whose likelier cut is remembered: enough for most of a large build's
    # pairs; few enough to forget in milliseconds (Python holds everything while it does).
    CUTS_KEPT = 50_000
    RESPLIT_REACH = 4  # letters the cut between two words may move
    RESPLIT_MARGIN = 15  # how much more often the other cut's words must be written

    def __init__(self, domain_words=()):
        extra = frozenset(search_form(w) for w in domain_words if search_form(w))
        self.domain_words = frozenset(w for w in extra if " " not in w)
        self.dictionary = _base_words() | self.domain_words
        self.name = self._load(self.dictionary)
        # The same pairs of words come back again and again.
        self._likelier_cut = lru_cache(maxsize=self.CUTS_KEPT)(self._likelier_cut)

    @classmethod
    def _load(cls, words: frozenset) -> str:
        content = "\n".join(sorted(words))
        name = "volunteerkm-" + hashlib.sha1(content.encode()).hexdigest()[:16]
        if name not in cls._loaded:
            path = os.path.join(tempfile.gettempdir(), name + ".txt")
            if not os.path.exists(path):
                tmp = f"{path}.{os.getpid()}"
                with open(tmp, "w", encoding="utf-8") as f:
                    f.write(content)
                os.replace(tmp, path)
            load_dict(path, name)  # a name already loaded keeps its words, which are the same
            cls._loaded[name] = path
        return name

    def tokens(self, text: str) -> list[str]:
        out = []
        for tok in nlpo3_segment(search_form(text), self.name):
            tok = tok.strip(_TOKEN_EDGE)
            if tok and _HAS_WORD_CHAR.search(tok):
                out.append(tok)
        return self._resplit(out)

    def _resplit(self, tokens: list) -> list:
        """Where two neighbouring words can be cut elsewhere into two other words, keep the
        cut whose words are written more often: newmm counts words, not how likely they
        are ("ตอบ|แทนที่" → "ตอบแทน|ที่"). The domain's own words are kept as they are."""
        for i in range(len(tokens) - 1):
            cut = self._likelier_cut(tokens[i], tokens[i + 1])
            if cut:
                tokens[i], tokens[i + 1] = cut
        return tokens

    def _likelier_cut(self, a, b):
        if a in self.domain_words or b in self.domain_words or a.isascii() or b.isascii():
            return None
        counts = _word_counts()
        joined, best, cut = a + b, counts.get(a, 0) * counts.get(b, 0), None
        for k in range(max(1, len(a) - self.RESPLIT_REACH), min(len(joined), len(a) + self.RESPLIT_REACH + 1)):
            x, y = joined[:k], joined[k:]
            if x != a and x in self.dictionary and y in self.dictionary:
                likely = counts.get(x, 0) * counts.get(y, 0)
                if likely > best * self.RESPLIT_MARGIN:
                    best, cut = likely, (x, y)
        return cut

    def is_word(self, token: str) -> bool:
        return token in self.dictionary or token.isdigit() or token.isascii()

    def forget_cuts(self):
        self._likelier_cut.cache_clear()


class Phrases:
    """Finds phrases (tuples of tokens, each with a value) in token lists."""

    def __init__(self, phrases: dict):
        self.values = dict(phrases)
        self.by_first: dict = {}
        for phrase, value in self.values.items():
            if phrase:
                self.by_first.setdefault(phrase[0], []).append((phrase, value))
        for candidates in self.by_first.values():
            candidates.sort(key=lambda pv: -len(pv[0]))

    def __contains__(self, phrase):
        return phrase in self.values

    def __getitem__(self, phrase):
        return self.values[phrase]

    def find(self, tokens: list[str]) -> list[tuple[int, int, object]]:
        """(start, end, value) for every occurrence, longest phrase first at each start."""
        found = []
        for i, tok in enumerate(tokens):
            for phrase, value in self.by_first.get(tok, ()):
                if len(phrase) == 1 or tuple(tokens[i:i + len(phrase)]) == phrase:
                    found.append((i, i + len(phrase), value))
        return found


def abbreviation_aliases(abbr: str, full: str) -> tuple[str, list[str]]:
    """The concept key of a glossary term (its abbreviation without dots or spaces) and
    the phrases that name it: the abbreviation, the full form, and a parenthesised
    alternative inside the full form ("การจัดการความรู้ (Knowledge Management)")."""
    key = spaceless(abbr)
    names = [abbr]
    if full:
        names.append(re.sub(r"\(.*?\)", " ", full))
        names.extend(re.findall(r"\((.*?)\)", full))
    return key, [n for n in names if search_form(n)]


class Speller:
    """Phone typos ("คุณสมบติ") break segmentation into odd pieces. For every run of tokens
    around an unknown piece, find the closest word of the vocabulary (rapidfuzz) among
    words of about the same length."""

    SWAP_SCORE = 95.0  # two neighbouring letters typed in the wrong order: the likeliest slip of all
    SHORT = 6  # letters: a run of tokens shorter than this is fixed by one letter at most

    def __init__(self, words, min_score: float = 80.0, reach: int = 4):
        self.min_score, self.reach = min_score, reach
        self.by_length: dict = {}
        self.words: set = set()
        self._near: dict = {}
        self.add(words)

    def add(self, words):
        for w in set(words) - self.words:
            self.by_length.setdefault(len(w), []).append(w)
            self.words.add(w)
        self._near.clear()

    def _swapped(self, window):
        """The word `window` is with two neighbouring letters swapped back ("อบมร" → อบรม), if any.
        (fuzz.ratio counts a swap as two edits, too many for a short word.)"""
        for i in range(len(window) - 1):
            word = window[:i] + window[i + 1] + window[i] + window[i + 2:]
            if word != window and word in self.words:
                return word
        return None

    def _candidates(self, length):
        near = self._near.get(length)
        if near is None:
            near = self._near[length] = [w for n in range(length - 2, length + 3) for w in self.by_length.get(n, ())]
        return near

    def fixes(self, tokens: list[str], is_known) -> list[tuple[int, int, str, float]]:
        """[(start, end, word, score)]: tokens[start:end] should read `word`."""
        found = []
        for i, tok in enumerate(tokens):
            if is_known(tok) or any(s <= i < e for s, e, _, _ in found):
                continue
            best = None
            for start in range(max(0, i - self.reach), i + 1):
                for end in range(i + 1, min(len(tokens), i + self.reach) + 1):
                    window = "".join(tokens[start:end])
                    if len(window) < 3 or any(s < end and start < e for s, e, _, _ in found):
                        continue
                    swapped = self._swapped(window)
                    if len(window) == 3 and not swapped:
                        continue  # too short to match loosely; a swap back ("อมพ" → อพม) is still sure
                    match = (swapped, self.SWAP_SCORE) if swapped else process.extractOne(
                        window, self._candidates(len(window)), scorer=fuzz.ratio, score_cutoff=self.min_score)
                    if match and not swapped and len(window) < self.SHORT \
                            and Levenshtein.distance(window, match[0]) > 1:
                        match = None  # two letters more or fewer make another word of a short one ("ในวง", ในหลวง)
                    if match and match[0] != window:
                        cand = (match[1], end - start, start, end, match[0])
                        if best is None or cand[:2] > best[:2]:
                            best = cand
            if best:
                score, _, start, end, word = best
                found.append((start, end, word, score))
        # A swap can also cut a word into pieces that are words themselves ("กรรมกรา" →
        # กรร, มกรา): two or three such pieces that read a longer word once swapped back.
        for start in range(len(tokens)):
            for end in range(start + 2, min(len(tokens), start + 3) + 1):
                window = "".join(tokens[start:end])
                if len(window) < 5 or window in self.words or any(s < end and start < e for s, e, _, _ in found):
                    continue
                swapped = self._swapped(window)
                if swapped:
                    found.append((start, end, swapped, self.SWAP_SCORE))
        return sorted(found)


# Marks people leave out or get wrong on a phone keyboard: the four tone marks, mai taikhu
# and the thanthakhat; and vowels typed short for long or long for short.
_SLIPS = str.maketrans({"\u0e48": None, "\u0e49": None, "\u0e4a": None, "\u0e4b": None, "\u0e47": None,
                        "\u0e4c": None, "\u0e35": "\u0e34", "\u0e37": "\u0e36", "\u0e39": "\u0e38"})


def skeleton(text: str) -> str:
    """`text` without tone marks, mai taikhu and thanthakhat, and with long ี ื ู read as
    short ิ ึ ุ: "ค่าตอบแทน", "คาตอบแทน" and "ค้าตอบแทน" have the same skeleton."""
    return text.translate(_SLIPS)


class SlipFixer:
    """Finds words of the vocabulary written with a tone mark or a vowel length slipped:
    a stretch of the query whose skeleton is exactly a word's skeleton, where what was
    typed is not a word itself ("คาตอบแทน" → "ค่าตอบแทน", but "เสือ" stays a tiger)."""

    MIN, MAX = 3, 24  # lengths (of skeletons) worth looking for

    def __init__(self, words=()):
        self.by_skeleton: dict = {}
        self.add(words)

    def add(self, words):
        for w in words:
            s = skeleton(w)
            if self.MIN <= len(s) <= self.MAX and not w.isascii() and not w.isdigit():
                # Two words with one skeleton (ไม้/ไม่) are ambiguous: fix to neither.
                self.by_skeleton[s] = w if self.by_skeleton.get(s, w) == w else None

    def fix(self, text: str, is_word) -> str:
        """`text` (spaceless or not) with every slipped word written as the vocabulary
        writes it; longest match first, left to right."""
        if not self.by_skeleton:
            return text
        # The skeleton of the text and, for each of its characters, where it came from.
        kept = [i for i, c in enumerate(text) if skeleton(c)]
        folded = "".join(skeleton(text[i]) for i in kept)
        out, pos, i = [], 0, 0
        while i < len(folded):
            for n in range(min(self.MAX, len(folded) - i), self.MIN - 1, -1):
                word = self.by_skeleton.get(folded[i:i + n])
                if not word:
                    continue
                start = kept[i]
                end = kept[i + n - 1] + 1
                while end < len(text) and not skeleton(text[end]):  # marks after the last letter
                    end += 1
                typed = text[start:end]
                if typed != word and not is_word(typed):
                    out.append(text[pos:start] + word)
                    pos = end
                    i += n
                    break
                if typed == word or is_word(typed):
                    i += n  # a word as written: nothing inside it to fix
                    break
            else:
                i += 1
        out.append(text[pos:])
        return "".join(out)
