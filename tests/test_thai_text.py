"""volunteerkm.thai: normalisation, digits and Buddhist-Era dates, shared by every app."""
import unicodedata
from datetime import date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.strategies import INVISIBLE, thaiish
from volunteerkm.thai import compact, fold_digits, normalize, thai_date, thai_digits, thai_month_year


@given(thaiish)
def test_normalize_is_idempotent(text):
    assert normalize(normalize(text)) == normalize(text)


@given(thaiish)
def test_normalized_text_has_no_invisible_characters_thai_digits_or_double_spaces(text):
    out = normalize(text)
    assert not any(c in out for c in INVISIBLE)
    assert not any(c in out for c in "๐๑๒๓๔๕๖๗๘๙")
    assert "  " not in out and out == out.strip()
    assert unicodedata.normalize("NFC", out) == out


@given(st.integers(min_value=0, max_value=10**9))
def test_thai_and_arabic_digits_are_the_same_number(n):
    assert fold_digits(thai_digits(n)) == str(n)
    assert normalize(f"พ.ศ. {thai_digits(n)}") == normalize(f"พ.ศ. {n}")


def test_a_repeat_left_by_reordering_is_removed_too():
    # one pass of pythainlp's normalize reorders "่ิ่ิ" into "ิ่ิ่", a new repeat
    assert normalize("0\u0e48\u0e34\u0e48\u0e34") == normalize(normalize("0\u0e48\u0e34\u0e48\u0e34")) == "0ิ่"


def test_typing_habits_fold_to_one_form():
    assert normalize("ระเบียบ\u200bฯ  อพม.  ๒๕๖๔") == "ระเบียบฯ อพม. 2564"
    assert normalize("ท\u0e4d\u0e32") == normalize("ทำ")  # nikhahit + sara aa typed as two keys
    assert compact("ผู้แทน อพม. ๑ คน") == compact("ผู้แทนอพม.1คน")


def test_dates_are_written_in_the_buddhist_era():
    assert thai_date(date(2026, 11, 30)) == "๓๐ พฤศจิกายน พ.ศ. ๒๕๖๙"
    assert thai_date(datetime(2021, 1, 5, 14, 0), digits="arabic") == "5 มกราคม พ.ศ. 2564"
    assert thai_date(None) == ""
    assert thai_month_year(date(2026, 11, 30)) == "พ.ย. ๖๙"


@settings(max_examples=1000)
@given(thaiish)
def test_fast_path_agrees_with_pythainlp_normalize(text):
    from pythainlp.util import normalize as pythainlp_normalize

    from volunteerkm.thai import _INVISIBLE, _SPACES, _pythainlp_normalize

    text = _SPACES.sub(" ", _INVISIBLE.sub("", text))  # as normalize() hands it over
    expected = pythainlp_normalize(text)
    while pythainlp_normalize(expected) != expected:
        expected = pythainlp_normalize(expected)
    assert _pythainlp_normalize(text) == expected
