"""Thai text handling: the one place that normalises, segments and dates Thai text.

Everything else in the project calls these functions, so search, import and display
agree on what two strings "are the same".
"""
import re
import unicodedata
from datetime import date, datetime
from functools import lru_cache

from pythainlp.corpus import thai_words
from pythainlp.tokenize import Tokenizer
from pythainlp.util import normalize as pythainlp_normalize
from pythainlp.util import thai_strftime

THAI_DIGITS = "๐๑๒๓๔๕๖๗๘๙"
_DIGIT_FOLD = str.maketrans(THAI_DIGITS, "0123456789")
_TO_THAI_DIGITS = str.maketrans("0123456789", THAI_DIGITS)
# Zero-width and invisible characters that phones and PDFs leave in copied text.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")
# NIKHAHIT + SARA AA typed as two keys is the composed SARA AM.
_SARA_AM = re.compile("\u0e4d\u0e32")
BE_OFFSET = 543


def fold_digits(text: str) -> str:
    """Thai digits → Arabic digits (๒๕๖๔ → 2564)."""
    return text.translate(_DIGIT_FOLD)


def thai_digits(text) -> str:
    return str(text).translate(_TO_THAI_DIGITS)


def normalize(text: str) -> str:
    """Canonical form for comparing and indexing: NFC, no invisible characters, Arabic
    digits, composed vowels in the right order, Latin in lower case, single spaces."""
    text = unicodedata.normalize("NFC", text or "")
    text = _INVISIBLE.sub("", text)
    text = _SARA_AM.sub("\u0e33", text)
    text = pythainlp_normalize(text)
    text = fold_digits(text).lower()
    return _SPACES.sub(" ", text).strip()


def compact(text: str) -> str:
    """Normalised text without any spaces: how a Thai reader compares phrases."""
    return normalize(text).replace(" ", "")


@lru_cache(maxsize=1)
def _base_words() -> frozenset:
    return frozenset(thai_words())


_tokenizers: dict = {}


def tokenizer(domain_words: frozenset = frozenset()) -> Tokenizer:
    """A newmm tokenizer whose dictionary is PyThaiNLP's plus the domain's own words
    (abbreviations, terms from the glossary), cached per dictionary."""
    tok = _tokenizers.get(domain_words)
    if tok is None:
        tok = Tokenizer(custom_dict=_base_words() | domain_words, engine="newmm")
        _tokenizers.clear()  # only the current dictionary is worth keeping
        _tokenizers[domain_words] = tok
    return tok


def segment(text: str, domain_words: frozenset = frozenset()) -> list[str]:
    """Word tokens of normalised text, spaces and punctuation dropped."""
    words = tokenizer(domain_words).word_tokenize(normalize(text))
    return [w for w in (w.strip(" .,;:!?()[]{}\"'“”‘’/-–—=|") for w in words) if w]


def be_year(value) -> int:
    """Buddhist-Era year (พ.ศ. = ค.ศ. + 543)."""
    return value.year + BE_OFFSET


def thai_date(value, digits: str = "thai") -> str:
    """'24 พฤศจิกายน พ.ศ. ๒๕๖๙' — the date form of Thai official documents."""
    if value is None:
        return ""
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    text = thai_strftime(value, "%-d %B พ.ศ. %Y")
    return thai_digits(text) if digits == "thai" else text
