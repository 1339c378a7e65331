"""Tone marks and vowel length, missing or wrong, are ignored where a word of the knowledge
base is otherwise typed exactly ("คาตอบแทน", "ค้าตอบแทน" find what "ค่าตอบแทน" finds), while
a slip that makes another real word is left alone ("เสือ" is not "เสื้อ") unless the question
was typed without any tone mark at all."""
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from knowledge.models import Item
from search import engine
from search.analysis import QUESTION_WORDS, SlipFixer, skeleton

pytestmark = pytest.mark.django_db

TONES = "\u0e48\u0e49\u0e4a\u0e4b"
LONG_SHORT = {"\u0e35": "\u0e34", "\u0e34": "\u0e35", "\u0e37": "\u0e36", "\u0e36": "\u0e37",
              "\u0e39": "\u0e38", "\u0e38": "\u0e39"}


def slippable_words():
    """Words of the indexed knowledge (four letters or more) with a tone mark or a vowel
    whose length can slip, that no other known word shares a skeleton with (question words
    such as "ช่วย" are left out: a query drops them, corrected or not)."""
    index = engine.current_index()
    by_skeleton = {}
    for w in index.vocabulary:
        by_skeleton.setdefault(skeleton(w), set()).add(w)
    words = [w for w in index.vocabulary
             if len(w) >= 4 and not w.isascii() and w not in QUESTION_WORDS
             and any(c in TONES or c in LONG_SHORT for c in w)
             and len(by_skeleton[skeleton(w)]) == 1 and engine.search(w, 1).hits]
    return sorted(words)


@st.composite
def slipped(draw, word):
    """`word` with some tone marks dropped or swapped and some vowel lengths changed."""
    out = []
    for c in word:
        if c in TONES:
            out.append(draw(st.sampled_from(["", c, *TONES])))
        elif c in LONG_SHORT:
            out.append(draw(st.sampled_from([c, LONG_SHORT[c]])))
        else:
            out.append(c)
    return "".join(out)


@pytest.fixture(scope="module")
def words(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        found = slippable_words()
    assert len(found) > 50
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_slipped_word_finds_what_the_word_finds(words, data):
    word = data.draw(st.sampled_from(words))
    typed = data.draw(slipped(word))
    index = engine.current_index()
    assume(typed != word and not index.analyzer.is_word(typed, index.vocabulary))
    wanted = [h.doc.key for h in engine.search(word, 3).hits]
    assert [h.doc.key for h in engine.search(typed, 3).hits][:1] == wanted[:1], (word, typed)
    # Inside a question, too, and the page offers the word as written.
    asked = engine.search(f"อพม. {typed} ไหม", 3)
    assert [h.doc.key for h in asked.hits][:1] == [h.doc.key for h in engine.search(f"อพม. {word} ไหม", 3).hits][:1]
    assert word in asked.did_you_mean.replace(" ", "")


def test_everyday_slips_find_the_item():
    for typed in ["อพม.ได้คาตอบแทนไหม", "อพม.ได้ค้าตอบแทนไหม", "เครืองแบบ อพม", "สมัครทางอิเลกทรอนิกส"]:
        assert engine.search(typed, 1).hits, typed
    assert engine.search("อพม.ได้คาตอบแทนไหม", 1).hits[0].doc.title == "ค่าตอบแทน"
    assert engine.search("เครืองแบบ อพม", 1).hits[0].doc.title == "การแต่งกายของ อพม."


def test_a_slip_that_makes_another_word_is_not_fixed():
    fixer = SlipFixer(["เสื้อ", "ค่าตอบแทน", "ไม่", "ไม้"])
    words = {"เสือ", "เสื้อ", "ไม่", "ไม้"}
    assert fixer.fix("เสือ", words.__contains__) == "เสือ"
    assert fixer.fix("คาตอบแทน", words.__contains__) == "ค่าตอบแทน"
    assert fixer.fix("ไม", words.__contains__) == "ไม"  # ไม่ or ไม้: ambiguous, left as typed


def test_a_question_typed_without_any_tone_mark_is_read_with_them():
    # "ตอง", "เรือง", "ขัน" are words of their own, but whoever types no mark at all left
    # them out: read as ต้อง, เรื่อง, ขั้น, and "ได", "นี" as ได้, นี้.
    analysed = engine.current_index().analyzer.query("ทำ KM เรืองนีเขาเริมจากอะไร ตองทำเป็นขันได",
                                                     engine.current_index().vocabulary)
    assert {"เรื่อง", "เริ่ม", "ขั้น"} <= set(analysed.words)
    assert not {"เรือง", "เริม", "ขัน", "ได", "นี", "ตอง"} & set(analysed.words)
    assert "เข้า" not in analysed.did_you_mean  # "เขา", a function word, is not a slip
    toneless = engine.search("ขันตอนการทำ KM มีอะไรบาง", 1).hits
    assert toneless and toneless[0].doc.title == engine.search("ขั้นตอนการทำ KM มีอะไรบ้าง", 1).hits[0].doc.title
    # Typed with marks elsewhere, a word of its own is meant as typed.
    assert "เรือง" in engine.current_index().analyzer.query("เรือง ที่ต้องรู้", engine.current_index().vocabulary).words


def test_a_small_word_typed_without_its_mark_in_an_items_question_is_read_as_the_word():
    # An item's question typed the way people type ("ใครเปนประธาน") does not make "เปน" a
    # word of the index: a query that says "เปน" is read as เป็น, not as something only
    # that item says.
    index = engine.current_index()
    assert index.analyzer.question_tokens("ใครเปนประธาน") == index.analyzer.question_tokens("ใครเป็นประธาน")
    item = Item.objects.get(title="การแต่งกายของ อพม.")
    item.asked_questions = [*item.asked_questions, "ใส่เสื้ออาสาไปงานบุญได้ไหม ถ้าเปนงานวัด"]
    item.save()
    index = engine.current_index()
    assert "เปน" not in index.vocabulary
    assert "เป็น" in index.analyzer.query("ใครเปนประธาน กอพม. จังหวัด", index.vocabulary).words
