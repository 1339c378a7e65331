"""search.thai: normalisation, digits, segmentation with the domain's words, typo fixing."""
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from search.thai import (
    QUESTION_WORDS,
    Phrases,
    Segmenter,
    Speller,
    abbreviation_aliases,
    compact,
    fold_digits,
    normalize,
    search_form,
    thai_digits,
)

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# Thai letters, digits of both kinds, Latin, spaces, punctuation and invisible characters.
thaiish = st.text(alphabet=st.sampled_from(
    list("กขคงจฉชซญฎดตถทธนบปผพฟมยรลวศษสหอฮะัาำิีึืุูเแโใไ็่้๊๋์ๆฯ") + list("๐๑๒๓๔๕๖๗๘๙0123456789")
    + list("abcXYZ .,()/\t\n") + list(INVISIBLE) + ["\u0e4d"]), max_size=60)


@given(thaiish)
def test_normalize_is_idempotent(text):
    assert normalize(normalize(text)) == normalize(text)
    assert search_form(search_form(text)) == search_form(text)


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


def test_typing_habits_fold_to_one_form():
    assert normalize("ระเบียบ\u200bฯ  อพม.  ๒๕๖๔") == "ระเบียบฯ อพม. 2564"
    assert normalize("ท\u0e4d\u0e32") == normalize("ทำ")  # nikhahit + sara aa typed as two keys
    assert search_form("อพม.") == search_form("อพม") == "อพม"
    assert search_form("ระเบียบฯ พ.ศ. ๒๕๖๔ ข้อ 2.5") == "ระเบียบ พศ 2564 ข้อ 2.5"
    assert compact("ผู้แทน อพม. ๑ คน") == compact("ผู้แทนอพม.1คน")


def test_segmentation_keeps_domain_abbreviations_whole():
    seg = Segmenter({"อพม.", "กอพม.", "ศปง."})
    assert seg.tokens("สมัครอพม.ออนไลน์ได้ไหม") == ["สมัคร", "อพม", "ออนไลน์", "ได้", "ไหม"]
    assert "กอพม" in seg.tokens("กอพม.จังหวัด") and "อพม" not in seg.tokens("กอพม.จังหวัด")
    assert seg.tokens("ระเบียบ อพม. พ.ศ. ๒๕๖๔") == seg.tokens("ระเบียบ อพม พศ 2564")


def test_question_words_are_listed():
    assert {"ไหม", "อย่างไร", "อะไรบ้าง", "หรือเปล่า", "ยังไง"} <= QUESTION_WORDS
    assert "สมัคร" not in QUESTION_WORDS


def test_abbreviation_aliases_include_the_full_form_and_its_parenthesised_name():
    key, names = abbreviation_aliases("ศปง. อพม.", "ศูนย์ประสานงานอาสาสมัครพัฒนาสังคมและความมั่นคงของมนุษย์")
    assert key == "ศปงอพม" and "ศูนย์ประสานงานอาสาสมัครพัฒนาสังคมและความมั่นคงของมนุษย์" in names
    key, names = abbreviation_aliases("KM", "การจัดการความรู้ (Knowledge Management)")
    assert key == "km" and "Knowledge Management" in names and any(n.strip() == "การจัดการความรู้" for n in names)
    assert abbreviation_aliases("กปม.", "") == ("กปม", ["กปม."])


def test_phrases_are_found_longest_first_at_each_start():
    phrases = Phrases({("ศปง", "อพม"): "centre", ("ศปง",): "short", ("กทม",): "bkk"})
    assert phrases.find(["ศปง", "อพม", "กทม"]) == [(0, 2, "centre"), (0, 1, "short"), (2, 3, "bkk")]
    assert phrases.find(["อพม", "ศปง"]) == [(1, 2, "short")]


def test_speller_fixes_phone_typos_to_known_words():
    seg = Segmenter()
    speller = Speller(["คุณสมบัติ", "จรรยาบรรณ", "เครื่องแบบ", "ลาออก"])
    vocab = {"อพม", "คุณสมบัติ", "จรรยาบรรณ", "เครื่องแบบ", "ลาออก"}
    known = lambda t: t in vocab  # noqa: E731
    for typed, meant in [("คุณสมบติ", "คุณสมบัติ"), ("จรรยาบรรน", "จรรยาบรรณ"), ("เครื่องแบ", "เครื่องแบบ")]:
        tokens = seg.tokens(typed)
        fixes = speller.fixes(tokens, known)
        assert [f[2] for f in fixes] == [meant], (typed, tokens, fixes)
    assert speller.fixes(seg.tokens("ฟุตบอลโลก"), known) == []


@settings(max_examples=1000)
@given(thaiish)
def test_fast_path_agrees_with_pythainlp_normalize(text):
    from pythainlp.util import normalize as pythainlp_normalize

    from search.thai import _INVISIBLE, _SPACES, _pythainlp_normalize

    text = _SPACES.sub(" ", _INVISIBLE.sub("", text))  # as normalize() hands it over
    assert _pythainlp_normalize(text) == pythainlp_normalize(text)
