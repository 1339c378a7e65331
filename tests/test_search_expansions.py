"""Related search terms (คำค้นที่เกี่ยวข้อง): search expansions, not synonyms. A directional
entry lets everyday words find the regulation's words and never the reverse; editors see
them under that name; no public page presents an expansion as a synonym."""
import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from knowledge.models import SynonymGroup
from search import engine
from search.analyzer import Analyzer

pytestmark = pytest.mark.django_db


def expanded(analyzer, q):
    return {"".join(t) if isinstance(t, tuple) else t for group in analyzer.query(q, None).synonyms for t in group}


def test_a_directional_entry_expands_one_way_only():
    analyzer = Analyzer(synonym_groups=[(["ต่างด้าว", "คนต่างด้าว"], ["สัญชาติไทย"]), ["ชุด", "เครื่องแบบ"]])
    assert "สัญชาติไทย" in expanded(analyzer, "ต่างด้าว")
    assert "ต่างด้าว" not in expanded(analyzer, "สัญชาติไทย") and "คนต่างด้าว" not in expanded(analyzer, "สัญชาติไทย")
    # A plain group still works both ways.
    assert "เครื่องแบบ" in expanded(analyzer, "ชุด") and "ชุด" in expanded(analyzer, "เครื่องแบบ")


def test_the_shipped_entries_for_foreigners_and_salary_are_one_way():
    groups = list(SynonymGroup.objects.all())
    for word, finds in [("ต่างด้าว", "สัญชาติไทย"), ("เงินเดือน", "ค่าตอบแทน")]:
        one_way = [g for g in groups if word in g.word_list()]
        assert one_way and all(finds in g.finds_list() for g in one_way)
        # Nowhere is the pair written as words that find each other.
        assert not any(word in g.word_list() + g.finds_list() and finds in g.word_list() and not g.finds_list()
                       for g in groups)


def test_search_finds_the_regulation_from_the_everyday_word_and_not_the_reverse():
    hits = engine.search("คนต่างด้าวเป็น อพม. ได้ไหม", 3).hits
    assert hits and "สัญชาติไทย" in hits[0].doc.body
    hits = engine.search("อพม. ได้เงินเดือนไหม", 3).hits
    assert hits and hits[0].doc.title == "ค่าตอบแทน"
    analysed = engine.current_index().analyzer.query("สัญชาติไทย", None)
    assert not any("ต่างด้าว" in (t if isinstance(t, str) else "".join(t)) for g in analysed.synonyms for t in g)
    assert not any("เงินเดือน" in h for h in engine.current_index().analyzer.query("ค่าตอบแทน", None).highlight)


def test_editors_see_related_search_terms_not_synonyms(editor_client):
    index = editor_client.get(reverse("admin:index")).content.decode()
    assert "คำค้นที่เกี่ยวข้อง" in index and "คำพ้อง" not in index
    page = editor_client.get(reverse("admin:knowledge_synonymgroup_changelist")).content.decode()
    assert "ต่างด้าว" in page and "→" in page
    form = editor_client.get(reverse("admin:knowledge_synonymgroup_add")).content.decode()
    assert "ค้นพบด้วย (ทางเดียว)" in form


@pytest.mark.parametrize("q", ["อพม. ได้เงินเดือนไหม", "คนต่างด้าวเป็น อพม. ได้ไหม", "ชุด อพม."])
def test_no_public_search_page_calls_an_expansion_a_synonym(client, q):
    html = client.get("/search/", {"q": q}).content.decode()
    for word in ("คำพ้อง", "synonym", "ความหมายเดียวกัน", "อรรถาภิธาน"):
        assert word not in html.lower()
    data = client.get("/api/search", {"q": q}).content.decode()
    assert "synonym" not in data.lower() and "คำพ้อง" not in data


def test_a_directional_entry_missing_finds_is_refused_in_thai(content_copy):
    path = content_copy / "thesaurus.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "- words: [ปลอกแขน]\n", encoding="utf-8")
    before = list(SynonymGroup.objects.values_list("words", "finds"))
    with pytest.raises(CommandError) as exc:
        call_command("loadkm", str(content_copy), verbosity=0)
    assert "words (คำค้น) และ finds (คำที่ค้นพบด้วย)" in str(exc.value) and "thesaurus.yaml" in str(exc.value)
    assert list(SynonymGroup.objects.values_list("words", "finds")) == before


def test_a_directional_entry_round_trips_through_the_files(content_copy, tmp_path):
    path = content_copy / "thesaurus.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "- words: [ปลอกแขน]\n  finds: [เครื่องแบบ]\n", encoding="utf-8")
    call_command("loadkm", str(content_copy), verbosity=0)
    group = SynonymGroup.objects.get(words="ปลอกแขน")
    assert group.finds_list() == ["เครื่องแบบ"]
    call_command("dumpkm", str(tmp_path / "dump"), verbosity=0)
    assert (tmp_path / "dump" / "thesaurus.yaml").read_bytes() == path.read_bytes()
