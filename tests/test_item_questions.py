"""The questions people ask, as content: every item carries them (`questions:` in its
front matter), the loader checks and loads them, the dump writes them back, editors edit
them in the admin one a line (a revision), and search indexes them as their own field."""
import shutil

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from knowledge.contentfiles.read import read_tree
from knowledge.models import Item
from search import engine

from .helpers import CONTENT

pytestmark = pytest.mark.django_db


@pytest.fixture
def content_copy(tmp_path):
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    return copy


def item_file(root, slug):
    return next(p for p in (root / "km").rglob("*.md") if f"\nslug: {slug}\n" in p.read_text(encoding="utf-8"))


def titles(q, limit=5):
    return [h.doc.title for h in engine.search(q, limit).hits]


def test_every_published_item_carries_questions_people_ask():
    items = Item.objects.published()
    assert items.exists()
    for item in items:
        assert len(item.asked_questions) >= 5, item.slug
        assert all(isinstance(q, str) and q.strip() for q in item.asked_questions)
    tree = read_tree(CONTENT)
    in_files = {i["slug"]: i.get("questions", []) for r in tree.reports for c in r["chapters"] for i in c["items"]}
    assert {i.slug: i.asked_questions for i in items} == {s: q for s, q in in_files.items() if s in set(
        items.values_list("slug", flat=True))}


def test_a_word_only_the_questions_use_finds_the_item():
    item = Item.objects.get(slug="dress")
    assert "การแต่งกายของ อพม." not in titles("ผ้าผูกคอลายดอกพิกุล")
    item.add_question("ต้องผูกผ้าผูกคอลายดอกพิกุลด้วยไหม")
    item.save()
    assert titles("ผ้าผูกคอลายดอกพิกุล")[0] == "การแต่งกายของ อพม."
    # The question is what people ask, not what the regulation says: never a snippet or an answer.
    hit = engine.search("ผ้าผูกคอลายดอกพิกุล", 1).hits[0]
    assert "ดอกพิกุล" not in hit.doc.text and "ดอกพิกุล" not in hit.snippet


def test_questions_round_trip_through_the_files(tmp_path, content_copy):
    target = item_file(content_copy, "compensation")
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("questions:\n", "questions:\n- อพม. ได้ค่าเหนื่อยไหม\n", 1), encoding="utf-8")
    call_command("loadkm", str(content_copy), verbosity=0)
    item = Item.objects.get(slug="compensation")
    assert item.asked_questions[0] == "อพม. ได้ค่าเหนื่อยไหม"
    assert item.history.first().history_change_reason == "นำเข้าจากไฟล์เนื้อหา (loadkm)"
    out = tmp_path / "dump"
    call_command("dumpkm", str(out), verbosity=0)
    dumped = item_file(out, "compensation").read_text(encoding="utf-8")
    assert dumped == target.read_text(encoding="utf-8")


@pytest.mark.parametrize("change, expected", [
    (lambda t: t.replace("questions:\n", "questions: อพม. ได้เงินไหม\nx:\n", 1), "ไม่รู้จักคีย์ 'x'"),
    (lambda t: t.replace("questions:\n", "questions:\n- ''\n", 1), "ต้องเป็นข้อความที่ไม่ว่าง"),
    (lambda t: t.replace("questions:\n", "questions:\n- " + "ก" * 201 + "\n", 1), "ยาวเกิน 200 ตัวอักษร"),
    (lambda t: t.replace("questions:\n- ", "questions:\n- อพม. มีเบี้ยเลี้ยงไหม\n- ", 1), "ซ้ำกัน"),
    (lambda t: t.replace("questions:\n", "questions: ได้เงินไหม\nquestion_list:\n", 1), "ไม่รู้จักคีย์"),
])
def test_bad_questions_are_rejected_in_thai_and_nothing_changes(content_copy, change, expected):
    target = item_file(content_copy, "compensation")
    target.write_text(change(target.read_text(encoding="utf-8")), encoding="utf-8")
    before = list(Item.objects.get(slug="compensation").asked_questions)
    with pytest.raises(CommandError) as exc:
        call_command("loadkm", str(content_copy), verbosity=0)
    assert expected in str(exc.value) and target.name in str(exc.value) and "บรรทัด" in str(exc.value)
    assert Item.objects.get(slug="compensation").asked_questions == before


def test_questions_must_be_a_list(content_copy):
    target = item_file(content_copy, "dress")
    text = target.read_text(encoding="utf-8")
    head, rest = text.split("questions:\n", 1)
    body = rest[rest.index("---\n"):]
    target.write_text(head + "questions: อพม. มีชุดไหม\n" + body, encoding="utf-8")
    with pytest.raises(CommandError, match="ค่าของ 'questions' ต้องเป็นรายการ"):
        call_command("loadkm", str(content_copy), verbosity=0)


def test_editors_edit_questions_one_a_line_in_the_admin_as_a_revision(client):
    editor = User.objects.create_superuser("editor", "editor@example.go.th", "รหัสผ่านยาว-12345")
    client.force_login(editor)
    item = Item.objects.get(slug="dress")
    page = client.get(f"/admin/knowledge/item/{item.pk}/change/").content.decode()
    assert "คำถามที่ผู้คนถาม" in page and item.asked_questions[0] in page
    data = {"chapter": item.chapter_id, "slug": item.slug, "title": item.title, "order": item.order,
            "source": item.source, "status": item.status, "review": item.review, "body": item.body,
            "asked_questions": "ใส่ผ้าพันคอสีเหลืองได้ไหม\n\n  ใส่ผ้าพันคอสีเหลืองได้ไหม  \nมีหมวกประจำตำแหน่งไหม"}
    response = client.post(f"/admin/knowledge/item/{item.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    item.refresh_from_db()
    assert item.asked_questions == ["ใส่ผ้าพันคอสีเหลืองได้ไหม", "มีหมวกประจำตำแหน่งไหม"]
    assert item.history.first().history_user == editor
    assert titles("ผ้าพันคอสีเหลือง")[0] == "การแต่งกายของ อพม."

    data["asked_questions"] = "ก" * 201
    response = client.post(f"/admin/knowledge/item/{item.pk}/change/", data)
    assert response.status_code == 200 and "ยาวเกิน 200 ตัวอักษร" in response.content.decode()
    item.refresh_from_db()
    assert item.asked_questions == ["ใส่ผ้าพันคอสีเหลืองได้ไหม", "มีหมวกประจำตำแหน่งไหม"]


def test_km_report_fields_carry_questions_too_and_search_indexes_them(tmp_path):
    from knowledge.models import ReportField

    team = ReportField.objects.get(key="team")
    assert len(team.asked_questions) >= 3
    assert "ผู้จัดทำองค์ความรู้รุ่นแรกเป็นใคร" not in [q for q in team.asked_questions]
    team.add_question("ใครคือผู้ก่อตั้งคลังความรู้")
    team.save()
    assert titles("ผู้ก่อตั้งคลังความรู้")[0] == team.title
    out = tmp_path / "dump"
    call_command("dumpkm", str(out), verbosity=0)
    dumped = next((out / "km").rglob("01-team.md")).read_text(encoding="utf-8")
    assert "- ใครคือผู้ก่อตั้งคลังความรู้\n" in dumped


def test_a_query_that_says_what_one_question_says_counts_more_than_scattered_words():
    from search.index import Doc, SearchIndex

    def doc(key, questions):
        return Doc(key=key, title=f"เรื่อง {key}", context="", url=f"/{key}", body="เนื้อหาทั่วไปเรื่องอาสาสมัคร",
                   questions=tuple(questions))

    # Both documents use every word of the query among their questions; only one asks it whole.
    index = SearchIndex([
        doc("scattered", ["ใครดูแลอาสา", "สมัครอาสาที่ไหน", "ใครรับเอกสาร", "อาสาสมัครรับอะไร สมัครได้ไหม"]),
        doc("whole", ["ใครรับสมัครอาสา"]),
        *(doc(f"other-{n}", [f"ค่าเดินทางเบิกได้กี่บาท {n}"]) for n in range(4)),
    ])
    assert [h.doc.key for h in index.search("ใครรับสมัครอาสา").hits][0] == "whole"
    said = index.analyzer.query("ใครรับสมัครอาสา", index.vocabulary).said
    assert index.question_sets.match("whole", said) == 1.0
    assert index.question_sets.match("scattered", said) < 0.9
