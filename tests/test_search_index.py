"""The search index over the database: abbreviations both ways, digits, synonyms, typos,
and an index that follows every change editors make (glossary, thesaurus, items)."""
import pytest

from knowledge.models import GlossaryTerm, Item, ReportField, SynonymGroup
from search import engine
from search.analyzer import Analyzer
from search.models import IndexChange

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def own_index(monkeypatch):
    """Each test starts from an index of its own database: earlier tests' changes were rolled
    back, and SQLite may give their change-log ids to this test's changes."""
    monkeypatch.setattr(engine, "_live", engine.LiveIndex())


def titles(q, limit=5):
    return [h.doc.title for h in engine.search(q, limit).hits]


def top_text(q):
    hits = engine.search(q, 1).hits
    return hits[0].doc.text if hits else ""


@pytest.mark.parametrize("short, full, expected", [
    ("อปท.", "องค์กรปกครองส่วนท้องถิ่น", "บทบาทหน้าที่ของ อพม."),
    ("กทม.", "กรุงเทพมหานคร", "คณะกรรมการ อพม. กรุงเทพมหานคร (กอพม. กทม.)"),
])
def test_abbreviation_and_full_form_find_the_same_item(short, full, expected):
    assert titles(short)[0] == expected
    assert titles(full)[0] == expected


def test_full_form_finds_text_written_with_the_abbreviation():
    # The application item only ever writes "อพม."; asking in full still finds it.
    assert titles("การสมัครเป็นอาสาสมัครพัฒนาสังคมและความมั่นคงของมนุษย์")[0] == "การสมัครเป็น อพม."


def test_thai_and_arabic_digits_match():
    assert "ไม่น้อยกว่า 5 ปี" in top_text("ดีเด่นพิเศษ ๕ ปี")
    assert titles("พ.ศ. 2564") == titles("พ.ศ. ๒๕๖๔")


def test_a_year_written_short_names_the_regulation_not_a_length_of_time():
    # "ปี64" is the regulation of 2564; the years a volunteer must serve are not asked.
    assert titles("ระเบียบอพม.ปี64 มีกี่หมวด")[0] == "รายละเอียดความรู้ องค์ความรู้"


def test_everyday_words_reach_the_regulations_words():
    assert titles("ชุด อพม.")[0] == "การแต่งกายของ อพม."
    assert titles("ถูกไล่ออก")[0] == "การสิ้นสภาพความเป็น อพม."
    assert titles("อาสาได้ตังมั้ย")[:1] == ["ค่าตอบแทน"]  # ตัง: how chat spells ตังค์
    assert titles("ใครทำ KM ระเบียบ อพม")[0] == "คณะทำงาน KM Team"
    assert titles("อาสาสมัครพัฒนาสังคม ใช้ชื่อย่อว่าอะไร")[0] == "อพม. คือใคร"
    assert titles("อ่านระเบียบในเฟสได้มั้ย")[0].startswith("วิธีการขยายผล")  # เฟส: Facebook as chat says it
    # อบต. is one kind of local government, not another (อบจ., which sits on a committee).
    assert titles("อพม ช่วยงาน อบต ได้ไหม")[0] == "บทบาทหน้าที่ของ อพม."
    assert titles("นายก อบจ. เป็นกรรมการ อพม. จังหวัดไหม")[0] == "คณะกรรมการ อพม. จังหวัด (กอพม. จังหวัด)"


def test_a_title_that_adds_what_the_query_does_not_say_ranks_below_the_plain_one():
    # กอพม. is the national committee; กอพม. จังหวัด and กอพม. กทม. are asked by name.
    assert titles("กอพม ใครเป็นประธาน")[0] == "คณะกรรมการ อพม. (กอพม.)"
    assert titles("กอพม. จังหวัด ใครเป็นประธาน")[0] == "คณะกรรมการ อพม. จังหวัด (กอพม. จังหวัด)"
    assert titles("กอพม กทม มีใครบ้าง")[0] == "คณะกรรมการ อพม. กรุงเทพมหานคร (กอพม. กทม.)"


def test_money_from_the_people_helped_is_a_gift_not_the_compensation():
    assert titles("ชาวบ้านให้เงินตอบแทนที่ไปช่วย อพม รับได้มั้ยครับ")[0] == "จรรยาบรรณของ อพม."
    assert titles("ชาวบ้านยัดเงินให้เป็นค่าขอบใจ รับได้ป่าว")[0] == "จรรยาบรรณของ อพม."
    assert titles("อพม. ได้เงินตอบแทนที่ทำงานไหม")[0] == "ค่าตอบแทน"


def test_a_word_with_many_synonyms_counts_as_one_word():
    # "อาสาสมัคร" has six synonyms and "คนเดือดร้อน" five; each counts once, so the
    # question finds the duties rather than any text full of อพม. and ช่วยเหลือ.
    assert titles("อาสาสมัครต้องทำอะไรเมื่อเจอคนเดือดร้อน")[0] == "บทบาทหน้าที่ของ อพม."
    # "คืออะไร" only says a definition is wanted; what is asked about decides.
    assert titles("ศปง คืออะไร")[0] == "ศูนย์ประสานงาน อพม. (ศปง. อพม.)"


def test_the_subject_everything_is_about_does_not_outweigh_what_is_asked():
    # อาสาสมัคร (= อพม., in every title) and its synonyms are one alternative, and the
    # bigrams inside it (สมัคร) count for little, so the gift question finds the ethics.
    assert titles("อาสาสมัครรับของจากชาวบ้านได้ไหม")[0] == "จรรยาบรรณของ อพม."


def test_a_word_before_which_is_a_classifier_not_its_synonyms():
    # "ชุดไหน" is "which set": not an outfit.
    assert titles("ปลัดกระทรวงเป็นประธานกรรมการ อพม. ชุดไหน")[0] == "คณะกรรมการ อพม. (กอพม.)"
    # "กี่ชุด" is "how many sets".
    assert "การแต่งกายของ อพม." not in titles("คณะกรรมการ อพม. มีกี่ชุด")


def test_a_classifier_before_this_or_that_says_nothing_of_what_is_asked():
    # "ความรู้ชุดนี้" is "this set of knowledge": the KM report, not the uniform item.
    assert "การแต่งกายของ อพม." not in titles("ที่มาของการทำความรู้ชุดนี้")
    assert titles("ที่มาของการทำความรู้ชุดนี้")[0] == "ที่มาของการจัดการความรู้"
    # Worn, it is an outfit still.
    assert titles("ใส่ชุดนี้ไปงานได้ไหม")[0] == "การแต่งกายของ อพม."


def test_a_question_asked_in_a_regional_way_finds_what_standard_thai_finds():
    # Unread, "เฮ็ด" and "จั่งใด" were two things asked that nothing answers.
    assert titles("สมัคร อพม เฮ็ดจั่งใด")[:1] == titles("สมัคร อพม ทำอย่างไร")[:1] == ["การสมัครเป็น อพม."]


def test_question_words_do_not_change_the_answer():
    assert titles("คุณสมบัติ อพม. มีอะไรบ้าง ครับ")[0] == titles("คุณสมบัติ อพม.")[0] == "คุณสมบัติของ อพม."


def test_a_typo_is_fixed_and_offered_as_did_you_mean():
    results = engine.search("คุณสมบติ", 5)
    assert results.did_you_mean == "คุณสมบัติ"
    assert results.hits[0].doc.title == "คุณสมบัติของ อพม."


def test_an_abbreviation_typed_with_two_letters_swapped_is_fixed():
    results = engine.search("คุณสมบัติ อมพ", 5)
    assert "อพม" in results.did_you_mean
    assert results.hits[0].doc.title == "คุณสมบัติของ อพม."


def test_a_typo_that_leaves_a_lone_letter_is_fixed():
    # "สมัค" (ร left out) is cut into ส + มัค, each of which looks like a word.
    results = engine.search("สมัคอพม", 5)
    assert results.did_you_mean.startswith("สมัคร")
    assert results.hits[0].doc.title == "การสมัครเป็น อพม."


def test_unrelated_words_find_nothing():
    assert engine.search("ฟุตบอลโลก", 5).hits == []
    assert engine.search("ไหม", 5).hits == []


def test_snippet_marks_the_matched_words_and_escapes_text():
    hit = engine.search("สัญชาติไทย", 1).hits[0]
    assert "<mark>สัญชาติไทย</mark>" in hit.snippet
    hit = engine.search("อพม. กิตติมศักดิ์", 1).hits[0]
    assert "&quot;" in hit.snippet and '"' not in hit.snippet.replace('<mark>', '').replace('</mark>', '')


def test_report_fields_are_searchable_and_link_to_their_anchor():
    hit = engine.search("ทีมงาน KM มีใครบ้าง", 3).hits[0]
    field = ReportField.objects.get(key="team")
    assert hit.doc.url == field.get_absolute_url() and hit.doc.url.endswith("#team")


def test_a_glossary_term_added_by_an_editor_is_learned():
    assert engine.search("ผวจ.", 5).hits == []
    GlossaryTerm.objects.create(abbr="ผวจ.", full="ผู้ว่าราชการจังหวัด")
    assert titles("ผวจ.")[0] == "คณะกรรมการ อพม. จังหวัด (กอพม. จังหวัด)"


@pytest.mark.parametrize("first, second", [("ผู้ว่า", "ผวจ."), ("ผวจ.", "ผู้ว่า")])
def test_two_abbreviations_of_one_full_form_both_find_text_written_in_full(first, second):
    full = "ผู้ว่าราชการจังหวัด"
    analyzer = Analyzer([(first, full), (second, full)])
    concepts = set(analyzer.with_concepts(analyzer.tokens(f"{full}เป็นที่ปรึกษา")))
    for abbr in (first, second):
        assert set(analyzer.query(abbr, None).words) & concepts - set(analyzer.tokens(full))


def test_a_synonym_group_added_by_an_editor_is_used():
    assert engine.search("ปลอกแขน", 5).hits == []
    SynonymGroup.objects.create(words="ปลอกแขน, เครื่องแบบ")
    assert titles("ปลอกแขน")[0] == "การแต่งกายของ อพม."


def test_index_follows_edits_and_deletes():
    item = Item.objects.get(slug="dress")
    item.body += "\n\nสวมหมวกสีกรมท่าทุกครั้งที่ออกพื้นที่"
    item.save()
    assert IndexChange.objects.latest("id").key == f"item:{item.pk}"
    assert titles("หมวกสีกรมท่า")[0] == "การแต่งกายของ อพม."
    item.delete()
    assert "การแต่งกายของ อพม." not in titles("หมวกสีกรมท่า")
    assert "การแต่งกายของ อพม." not in titles("เครื่องแบบ")


def test_drafts_are_not_searchable():
    item = Item.objects.get(slug="dress")
    item.status = Item.DRAFT
    item.save()
    assert "การแต่งกายของ อพม." not in titles("เครื่องแบบ")


def test_words_nothing_uses_inside_a_thesaurus_phrase_are_asked_through_that_phrase():
    # "official", "arm" and "band" are in no document: alone they would be three things
    # asked that nothing answers; said as the phrase an editor put in the thesaurus, they
    # are a uniform.
    SynonymGroup.objects.create(words="official arm band, เครื่องแบบ")
    assert titles("official arm band")[:1] == ["การแต่งกายของ อพม."]


def test_a_question_asked_in_english_words_finds_what_thai_finds():
    # "who", "what", "why" are question words, "this" and "of" say nothing of what is asked.
    assert titles("who is the chairman of กอพม. จังหวัด")[:1] == titles("ใครเป็นประธาน กอพม. จังหวัด")[:1]
    assert titles("what is the uniform of อพม.")[:1] == ["การแต่งกายของ อพม."]


def test_a_question_of_an_item_said_in_full_amid_the_askers_story_finds_that_item():
    # What else is said ("คนที่ตลาดถามมา ตอบไม่ถูก") is the asker's story, in no item; the
    # definition item's own question "อพม. คืออะไร" is said in full.
    assert "อพม. คือใคร" in titles("อพม. คืออะไร คนที่ตลาดถามมา ฉันตอบไม่ถูก")
