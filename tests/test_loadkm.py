"""loadkm / dumpkm: all-or-nothing import with Thai errors, idempotence, exact round trip."""
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from knowledge.models import Chapter, GlossaryTerm, Item, KMReport, ReportField

from .helpers import CONTENT

pytestmark = pytest.mark.django_db


def history_rows():
    return sum(m.history.count() for m in (KMReport, ReportField, Chapter, Item, GlossaryTerm))


def snapshot(tmp_path, name):
    out = tmp_path / name
    call_command("dumpkm", str(out), verbosity=0)
    return {p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_seed_km_has_the_report_and_seven_chapters():
    report = KMReport.objects.get(slug="regulation-2564")
    assert report.fields.count() == 12
    assert list(report.chapters.values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6, 7]
    for chapter in report.chapters.all():
        assert chapter.items.exists(), f"หมวด {chapter.number} ไม่มีเรื่องความรู้"
    assert GlossaryTerm.objects.filter(abbr="อพม.").exists()


def test_loading_again_changes_nothing_and_adds_no_revision():
    before = history_rows()
    call_command("loadkm", str(CONTENT), verbosity=0)
    assert history_rows() == before


def test_dump_writes_back_the_same_files(tmp_path):
    dumped = snapshot(tmp_path, "dump")
    files = [*(CONTENT / "km").rglob("*.md"), CONTENT / "glossary.yaml", CONTENT / "thesaurus.yaml"]
    source = {p.relative_to(CONTENT): p.read_bytes() for p in files}
    assert set(dumped) == set(source)
    for path, data in source.items():
        assert dumped[path] == data, f"{path} เปลี่ยนไปหลังนำเข้าแล้วเขียนออก"


def first_item_file(root: Path) -> Path:
    return sorted((root / "km" / "regulation-2564" / "chapters").glob("*/0*.md"))[0]


def test_malformed_front_matter_names_file_and_line_and_changes_nothing(tmp_path, content_copy):
    before, history = snapshot(tmp_path, "before"), history_rows()
    # One good edit and one broken file in the same load: neither may be applied.
    good = first_item_file(content_copy)
    good.write_text(good.read_text(encoding="utf-8").replace("---\n", "---\n", 1) + "\nเพิ่มบรรทัดใหม่\n", encoding="utf-8")
    broken = content_copy / "km" / "regulation-2564" / "fields" / "03-origin.md"
    lines = broken.read_text(encoding="utf-8").split("\n")
    lines[2] = "title: [ไม่ได้ปิดวงเล็บ"
    broken.write_text("\n".join(lines), encoding="utf-8")

    with pytest.raises(CommandError) as exc:
        call_command("loadkm", str(content_copy), verbosity=0)
    message = str(exc.value)
    assert "03-origin.md" in message and "บรรทัด" in message and "ไม่มีการเปลี่ยนแปลงข้อมูล" in message
    assert snapshot(tmp_path, "after") == before
    assert history_rows() == history


@pytest.mark.parametrize(
    "change, expected",
    [
        (lambda t: t.replace("status: published", "status: เผยแพร่"), "status ต้องเป็น published หรือ draft"),
        (lambda t: t.replace("order:", "ordre:"), "ไม่รู้จักคีย์ 'ordre'"),
        (lambda t: t.split("---\n", 2)[0] + "---\n" + t.split("---\n", 2)[1] + "---\n", "เนื้อหาของเรื่องความรู้ต้องไม่ว่าง"),
        (lambda t: t.replace("---\n", "", 1), "ต้องขึ้นต้นด้วยบรรทัด ---"),
        (lambda t: t.replace("slug: ", "slug: ชื่อไทย-", 1), "slug ต้องเป็นอักษรอังกฤษ"),
    ],
)
def test_bad_item_files_are_rejected_in_thai(tmp_path, content_copy, change, expected):
    before = snapshot(tmp_path, "before")
    target = first_item_file(content_copy)
    target.write_text(change(target.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(CommandError) as exc:
        call_command("loadkm", str(content_copy), verbosity=0)
    assert expected in str(exc.value) and target.name in str(exc.value)
    assert snapshot(tmp_path, "after") == before


def test_duplicate_slug_is_rejected(tmp_path, content_copy):
    target = first_item_file(content_copy)
    shutil.copy(target, target.with_name("99-copy.md"))
    with pytest.raises(CommandError, match="ซ้ำกับไฟล์"):
        call_command("loadkm", str(content_copy), verbosity=0)


def test_changed_content_is_loaded_and_recorded_as_a_revision(content_copy):
    target = first_item_file(content_copy)
    text = target.read_text(encoding="utf-8")
    target.write_text(text.rstrip("\n") + "\n\nย่อหน้าที่เพิ่มโดยบรรณาธิการ\n", encoding="utf-8")
    call_command("loadkm", str(content_copy), verbosity=0)
    slug = [line.split(": ", 1)[1] for line in text.split("\n") if line.startswith("slug: ")][0]
    item = Item.objects.get(slug=slug)
    assert item.body.endswith("ย่อหน้าที่เพิ่มโดยบรรณาธิการ")
    assert item.history.first().history_change_reason == "นำเข้าจากไฟล์เนื้อหา (loadkm)"


def test_removed_item_file_removes_the_item(content_copy):
    target = first_item_file(content_copy)
    lines = target.read_text(encoding="utf-8").split("\n")
    slug = [line.split(": ", 1)[1] for line in lines if line.startswith("slug: ")][0]
    target.unlink()
    call_command("loadkm", str(content_copy), verbosity=0)
    assert not Item.objects.filter(slug=slug).exists()
