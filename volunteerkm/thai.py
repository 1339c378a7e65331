"""Thai text for every app: the one place that normalises Thai, converts digits and
writes Buddhist-Era dates, so search, import and display agree on what two strings
"are the same". Search-only analysis (segmentation, typos, phrases) lives in
search/analysis.py.
"""
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache

from django.utils import timezone
from pythainlp import thai_above_vowels, thai_below_vowels, thai_follow_vowels, thai_lead_vowels, thai_tonemarks
from pythainlp.tokenize import word_tokenize
from pythainlp.util import arabic_digit_to_thai_digit, thai_digit_to_arabic_digit, thai_strftime
from pythainlp.util import normalize as pythainlp_normalize
from pythainlp.util.date import thai_abbr_months, thai_full_months

__all__ = ["BE_OFFSET", "MONTHS", "MONTHS_SHORT", "be_year", "compact", "fold_digits", "line_chunks", "normalize",
           "thai_date", "thai_digits", "thai_month_year", "wrap"]

BE_OFFSET = 543
MONTHS = tuple(thai_full_months)  # มกราคม … ธันวาคม
MONTHS_SHORT = tuple(thai_abbr_months)  # ม.ค. … ธ.ค.

# Zero-width and invisible characters that phones and PDFs leave in copied text.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_SPACES = re.compile(r"\s+")
# NIKHAHIT + SARA AA typed as two keys is the composed SARA AM.
_SARA_AM = re.compile("\u0e4d\u0e32")
# Where pythainlp's normalize could change anything: a dangling mark at the start or after
# a space, เเ, a tone mark before a vowel, nikhahit, a follow vowel before a tone mark,
# lakkhangyao, a repeated vowel or sign, repeated tone marks. Text without any of these
# (almost all text) skips its thirty-odd regular expressions.
_DANGLING = f"{thai_above_vowels}{thai_below_vowels}{thai_tonemarks}\u0e3a\u0e4c\u0e4d\u0e4e"
_NO_REPEAT = f"{thai_follow_vowels}{thai_lead_vowels}{thai_above_vowels}{thai_below_vowels}\u0e3a\u0e4c\u0e4d\u0e4e"
_PYTHAINLP_MAY_CHANGE = re.compile(
    f"^ ?[{_DANGLING}]| [{_DANGLING}]|\u0e40\u0e40|[{thai_tonemarks}\u0e4c][{thai_above_vowels}{thai_below_vowels}]"
    f"|\u0e4d|[{thai_follow_vowels}][{thai_tonemarks}]|\u0e45|([{_NO_REPEAT}]) *\\1|[{thai_tonemarks}]{{2,}}"
)


def _pythainlp_normalize(text: str) -> str:
    """pythainlp.util.normalize for text whose whitespace is already single spaces, applied
    until nothing changes: one pass can leave a repeat that its reordering just created
    ("่ิ่ิ" → "ิ่ิ่" → "ิ่")."""
    for _ in range(4):  # each pass only shortens or reorders; two are almost always enough
        if not _PYTHAINLP_MAY_CHANGE.search(text):
            return text.strip()
        fixed = _SPACES.sub(" ", pythainlp_normalize(text))  # a removed mark can leave two spaces
        if fixed == text:
            return text
        text = fixed
    return text


def fold_digits(text: str) -> str:
    """Thai digits → Arabic digits (๒๕๖๔ → 2564)."""
    return thai_digit_to_arabic_digit(text) if text else ""


def thai_digits(value) -> str:
    """Arabic digits → Thai digits (2564 → ๒๕๖๔); any value is written as text first."""
    return arabic_digit_to_thai_digit(str(value))


def normalize(text: str) -> str:
    """Canonical form for comparing and indexing: NFC, no invisible characters, Arabic
    digits, composed vowels in the right order, Latin in lower case, single spaces."""
    text = unicodedata.normalize("NFC", text or "")
    text = _INVISIBLE.sub("", text)
    text = _SARA_AM.sub("\u0e33", _SPACES.sub(" ", text))
    text = _pythainlp_normalize(text)
    text = fold_digits(text).lower()
    return _SPACES.sub(" ", text).strip()


def compact(text: str) -> str:
    """Normalised text without any spaces: how a Thai reader compares phrases."""
    return normalize(text).replace(" ", "")


def be_year(value) -> int:
    """Buddhist-Era year (พ.ศ. = ค.ศ. + 543) of a date or datetime."""
    return value.year + BE_OFFSET


def thai_date(value, digits: str = "thai") -> str:
    """'24 พฤศจิกายน พ.ศ. ๒๕๖๙' — the date form of Thai official documents."""
    if value is None:
        return ""
    if isinstance(value, date) and not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    text = thai_strftime(value, "%-d %B พ.ศ. %Y")
    return thai_digits(text) if digits == "thai" else text


def thai_datetime(value) -> str:
    """A date as thai_date writes it; a datetime in the project's time zone, with its time:
    '30 พฤศจิกายน พ.ศ. ๒๕๖๙ ๑๔:๐๕ น.'."""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return f"{thai_date(value)} {thai_digits(value.strftime('%H:%M'))} น."
    return thai_date(value)


def thai_month_year(value) -> str:
    """'พ.ย. ๖๙' — a month on a chart axis: short month name, last two BE digits."""
    return f"{MONTHS_SHORT[value.month - 1]} {thai_digits(str(be_year(value))[-2:])}"


# Line breaking: Thai has no spaces between words, so a line may only break between the
# words PyThaiNLP finds (or at spaces). PDFs (fpdf2) and images (Pillow) both wrap with it.
_OPENING = set("([{“‘\"'")
_CLOSING = set(")]}”’\"'.,;:!?%ฯ")


def _abbreviation_piece(previous: str, token: str) -> bool:
    return (token.endswith(".") and len(token) <= 4 and not previous[-1:].isspace()
            and (len(previous) <= 3 or previous.endswith(".")))


@lru_cache(maxsize=4096)
def line_chunks(text: str) -> tuple[str, ...]:
    """Chunks that a line may break between: Thai words, with an opening bracket kept
    on the word after it, closing punctuation on the word before it, and the pieces of
    an abbreviation together (the segmenter reads "พมจ." as "พม" + "จ.")."""
    out = []
    glue_next = False
    for token in word_tokenize(text, engine="newmm", keep_whitespace=True):
        if out and not token.isspace() and (glue_next or token[0] in _CLOSING or _abbreviation_piece(out[-1], token)):
            out[-1] += token
        else:
            out.append(token)
        glue_next = not token.isspace() and token[-1] in _OPENING
    return tuple(out)


def wrap(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Break ``text`` into lines no wider than ``width`` as ``measure`` (a font's width
    of a string) counts it, only between Thai words or at spaces; newlines are kept. A
    single word wider than the line (a long URL) is cut by characters."""
    out = []
    for para in str(text).split("\n"):
        line = ""
        for word in line_chunks(para):
            trial = line + word
            if line and measure(trial) > width:
                out.append(line.rstrip())
                line = word.lstrip()
            else:
                line = trial
            while measure(line.rstrip()) > width and len(line) > 1:
                cut = len(line)
                while cut > 1 and measure(line[:cut]) > width:
                    cut -= 1
                out.append(line[:cut])
                line = line[cut:]
        out.append(line.rstrip())
    return out
