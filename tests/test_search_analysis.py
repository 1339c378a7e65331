"""search.analysis: the search form of text, segmentation with the domain's words, phrases, typo fixing."""
import pytest
from hypothesis import given

from search.analysis import QUESTION_WORDS, Phrases, Segmenter, Speller, abbreviation_aliases, search_form
from search.analyzer import Analyzer, read_years
from tests.strategies import thaiish


@given(thaiish)
def test_search_form_is_idempotent(text):
    assert search_form(search_form(text)) == search_form(text)


def test_abbreviation_dots_and_marks_do_not_matter_to_search():
    assert search_form("อพม.") == search_form("อพม") == "อพม"
    assert search_form("ระเบียบฯ พ.ศ. ๒๕๖๔ ข้อ 2.5") == "ระเบียบ พศ 2564 ข้อ 2.5"


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


def test_speller_fixes_two_letters_typed_in_the_wrong_order():
    seg = Segmenter()
    words = ["ต้อง", "กรรมการ", "ทำ", "กรร", "มกรา"]
    speller = Speller(words)
    known = lambda t: t in words  # noqa: E731
    # In a short word a swap is two edits of four letters: too far for fuzzy matching.
    assert [f[2] for f in speller.fixes(seg.tokens("ต้งอทำ"), known)] == ["ต้อง"]
    # Cut into pieces that are words themselves, it is found by the pieces it makes.
    assert [f[2] for f in speller.fixes(["กรร", "มกรา"], known)] == ["กรรมการ"]
    # Words that are right stay as they are.
    assert speller.fixes(["ต้อง", "ทำ"], known) == []


def test_two_words_are_cut_where_the_likelier_words_are():
    # newmm finds "ตอบ|แทนที่" as short as "ตอบแทน|ที่"; the words written more often win.
    seg = Segmenter()
    assert seg.tokens("เงินตอบแทนที่ไปช่วย")[:3] == ["เงิน", "ตอบแทน", "ที่"]
    assert seg.tokens("ต้องเก็บความลับไหม")[1:3] == ["เก็บ", "ความลับ"]
    # The domain's own words are kept as they are.
    assert "ศปง" in Segmenter(["ศปง"]).tokens("ศปงที่ไหน")


def test_a_three_letter_word_is_fixed_only_when_two_letters_are_swapped_back():
    words = ["อพม", "ศปง", "อบรม"]
    speller = Speller(words)
    known = lambda t: t in words  # noqa: E731
    assert [f[2] for f in speller.fixes(["อมพ"], known)] == ["อพม"]
    # Any other slip of three letters is too short to tell what was meant.
    assert speller.fixes(["อพร"], known) == []


def test_a_short_run_of_words_is_fixed_by_one_letter_at_most():
    words = ["ในหลวง", "สมัคร"]
    speller = Speller(words)
    known = lambda t: t in words or t == "ใน"  # noqa: E731
    # "ในวง" (in the circle) is two letters short of ในหลวง: another word, not a typo.
    assert speller.fixes(["ใน", "วง"], known) == []
    assert [f[2] for f in speller.fixes(["สมัค"], known)] == ["สมัคร"]


def test_a_year_is_read_as_the_year_it_names():
    # "ปี 64" is the year 2564, not a question of how many years.
    assert read_years(["ระเบียบ", "ปี", "64"]) == ["ระเบียบ", "2564"]
    assert read_years(["พศ", "2564"]) == ["2564"]
    assert read_years(["ทำงาน", "5", "ปี"]) == ["ทำงาน", "5", "ปี"]


def test_question_words_typed_as_in_chat_read_as_written_out():
    analyzer = Analyzer(synonym_groups=[["หน้าที่", "ต้องทำอะไรบ้าง"]])
    assert analyzer.tokens("ต้องทำไรมั่ง") == analyzer.tokens("ต้องทำอะไรบ้าง")
    assert analyzer.tokens("สมัครยังไงมั้ย") == analyzer.tokens("สมัครอย่างไรไหม")
    # So the thesaurus phrase is found however it is typed.
    assert analyzer.query("ต้องทำไรมั่ง", None).synonyms


def test_question_words_of_the_regions_read_as_standard_thai():
    analyzer = Analyzer()
    assert analyzer.tokens("ไผเป็นประธาน") == analyzer.tokens("ใครเป็นประธาน")
    assert analyzer.tokens("สมัครเฮ็ดจั่งใด") == analyzer.tokens("สมัครทำอย่างไร")
    assert analyzer.tokens("ได้อะหยังแหน่") == analyzer.tokens("ได้อะไรบ้าง")


def test_a_thesaurus_phrase_in_a_body_is_scored_as_its_phrase_query_would_score_it():
    import tantivy

    from search.analyzer import phrase_term
    from search.index import Doc, SearchIndex

    docs = [Doc(key="said", title="ก", context="", url="/a", body="ผู้สูงอายุต้องขอใบอนุญาตก่อนออกพื้นที่"),
            Doc(key="apart", title="ข", context="", url="/b", body="ใบอนุญาตนี้ผู้สูงอายุขอได้ที่อำเภอ"),
            Doc(key="other", title="ค", context="", url="/c", body="ขอใบอนุญาตสองครั้งแล้วไปขอใบอนุญาตอีก")]
    index = SearchIndex(docs, synonym_groups=[["ขอใบอนุญาต", "permit"]])
    phrase = tuple(index.analyzer.tokens("ขอใบอนุญาต"))
    assert len(phrase) > 1
    part, searcher = index.part, index.part.searcher

    def scores(query):
        return {searcher.doc(a)["key"][0]: s for s, a in searcher.search(query, limit=10).hits}

    as_phrase = scores(tantivy.Query.phrase_query(part.schema, "body_words", list(phrase)))
    as_word = scores(tantivy.Query.boost_query(
        tantivy.Query.term_query(part.schema, "body_phrases", phrase_term(phrase)), part._phrase_idf("body", phrase)))
    assert as_phrase.keys() == as_word.keys() == {"said", "other"}
    for key, score in as_phrase.items():
        assert as_word[key] == pytest.approx(score, rel=1e-5)
    assert [h.doc.key for h in index.search("permit").hits][:2] in (["other", "said"], ["said", "other"])
    assert "apart" not in [h.doc.key for h in index.search("permit").hits]
