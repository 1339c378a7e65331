"""`volunteerkm search`: one query, or a batch file of {"q": ...} lines → one JSON line each."""
import json

import pytest
from django.core.management import CommandError, call_command

from knowledge.models import Item
from knowledge.render import plain_text

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("search", *args, stdout=out)
    return out.getvalue()


def test_batch_prints_one_json_line_per_query_in_order(tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_text('{"q": "ชุด อพม."}\n\n{"q": "ฟุตบอลโลก"}\n{"q": "ค่าตอบแทน"}\n', encoding="utf-8")
    lines = [json.loads(line) for line in run("--batch", str(batch), "--json", "--limit", "2").splitlines()]
    assert [line["q"] for line in lines] == ["ชุด อพม.", "ฟุตบอลโลก", "ค่าตอบแทน"]
    assert lines[1]["results"] == []
    top = lines[0]["results"][0]
    assert set(top) == {"title", "text", "url", "score", "sure"} and len(lines[0]["results"]) <= 2
    assert top["sure"] is True  # the best result is always one that answers
    dress = Item.objects.get(slug="dress")
    assert top["title"] == dress.title and top["url"] == dress.get_absolute_url()
    assert top["text"] == f"{dress.title} {plain_text(dress.body)}"


def test_a_hit_reads_as_the_page_does_without_the_content_files_review_markers():
    roles = Item.objects.get(slug="roles-and-duties")
    assert "รอตรวจสอบ" in roles.body
    top = json.loads(run("บทบาทหน้าที่ อพม.", "--json", "--limit", "1"))["results"][0]
    assert top["url"] == roles.get_absolute_url()
    assert "รอตรวจสอบ" not in top["text"] and "ชี้นำ เฝ้าระวัง" in top["text"]


def test_single_query_prints_ranked_titles_and_json():
    assert run("คุณสมบติ").splitlines()[:2] == ["หมายถึง: คุณสมบัติ", run("คุณสมบัติ").splitlines()[0]]
    data = json.loads(run("คุณสมบัติ", "อพม.", "--json", "--limit", "1"))
    assert data["q"] == "คุณสมบัติ อพม." and data["results"][0]["title"] == "คุณสมบัติของ อพม."


@pytest.mark.parametrize("content, message", [
    ('{"q": "อพม"}\nไม่ใช่ JSON\n', "บรรทัด 2"),
    ('{"query": "อพม"}\n', "บรรทัด 1"),
    ('{"q": 5}\n', "q ต้องเป็นข้อความ"),
])
def test_bad_batch_file_stops_with_a_thai_message(tmp_path, content, message):
    batch = tmp_path / "q.jsonl"
    batch.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError, match=message):
        run("--batch", str(batch), "--json")


def test_missing_file_and_bad_arguments(tmp_path):
    with pytest.raises(CommandError, match="เปิดไฟล์"):
        run("--batch", str(tmp_path / "none.jsonl"))
    with pytest.raises(CommandError, match="อย่างใดอย่างหนึ่ง"):
        run()
    with pytest.raises(CommandError, match="--limit"):
        run("อพม", "--limit", "0")
