"""loadkm / dumpkm carry every KM of the workspace with where it stands in the workflow: each
KM in its own folder (km/<slug>/workspace/ beside what the public reads), so a dump loaded into
an empty database and dumped again gives the same files; a KM the database already has is left
as its team left it; a bad file is refused in Thai and changes nothing; the seed KM loads as
before and stays the first published KM."""
import io
import shutil
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client

from accounts.models import Unit
from knowledge.models import Item, KMReport
from workspace import workflow
from workspace.adopt import adopt
from workspace.models import DRAFT, PUBLISHED, SUBMITTED, Draft, DraftChapter, DraftItem, Transition
from workspace.publishing import publish

from .helpers import CONTENT

pytestmark = pytest.mark.django_db


def dump(root):
    call_command("dumpkm", str(root), verbosity=0, stdout=io.StringIO())
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def load(root):
    out = io.StringIO()
    call_command("loadkm", str(root), stdout=out)
    return out.getvalue()


@pytest.fixture
def kms():
    """The seed KM adopted by the division; a province's KM published once and now in a new
    round; another province KM waiting for its executive, never published."""
    User = get_user_model()
    editor, reviewer = User.objects.create_user("files-editor"), User.objects.create_user("files-reviewer")
    division = Unit.objects.create(code="dvcs", name="กองกิจการอาสาสมัครและภาคประชาสังคม", kind=Unit.NATIONAL)
    nan = Unit.objects.create(code="pmj-nan", name="พมจ.น่าน", province="น่าน")
    adopt(KMReport.objects.get(slug="regulation-2564"), division, editor)

    draft = Draft.objects.create(unit=nan, title="ตลาดนัดชุมชนกับงาน อพม. น่าน", project="หนึ่งหน่วยงานหนึ่ง KM",
                                 fields={"team": "ทีม KM พมจ.น่าน", "topic": "ตลาดนัดชุมชน"}, created_by=editor)
    chapter = DraftChapter.objects.create(draft=draft, number=1, title="เปิดตลาด", summary="เริ่มจากชุมชน")
    DraftItem.objects.create(chapter=chapter, order=1, title="หาที่ตั้งตลาด", body="ใช้ลานวัดทุกวันอาทิตย์",
                             review_by=date(2027, 3, 31))
    DraftItem.objects.create(chapter=chapter, order=2, title="ชวนผู้ค้า", body="อพม. ชวนผู้สูงอายุมาขายผักปลอดสาร")
    workflow.move(draft, "submit", editor)
    workflow.move(draft, "return", reviewer, "กรุณาเพิ่มวันเวลาที่ตลาดเปิด")
    workflow.move(draft, "submit", editor)
    workflow.move(draft, "approve", reviewer, "เห็นชอบ")
    publish(draft, reviewer)
    workflow.move(draft, "reopen", editor)
    item = DraftItem.objects.get(chapter__draft=draft, order=2)
    item.body = "อพม. ชวนผู้สูงอายุมาขายผักปลอดสาร ทุกวันอาทิตย์ ๗ โมงเช้า (รอบใหม่)"
    item.save()

    waiting = Draft.objects.create(unit=nan, title="ธนาคารเวลาของ อพม. น่าน", fields={"topic": "ธนาคารเวลา"})
    chapter = DraftChapter.objects.create(draft=waiting, number=1, title="แลกเวลา")
    DraftItem.objects.create(chapter=chapter, order=1, title="ฝากเวลา", body="ช่วยเพื่อนบ้านหนึ่งชั่วโมงได้หนึ่งแต้ม")
    workflow.move(waiting, "submit", editor)
    return draft, waiting


def test_every_km_has_its_folder_with_its_workflow(kms, tmp_path):
    draft, waiting = kms
    files = dump(tmp_path / "dump")
    assert draft.slug == "pmj-nan-1" and waiting.slug == "pmj-nan-2"
    # Published: what the public reads, and the team's new round beside it.
    assert "km/pmj-nan-1/report.md" in files and "km/pmj-nan-1/workspace/report.md" in files
    public = files["km/pmj-nan-1/chapters/01-chapter-1/02-item-2.md"].decode()
    working = files["km/pmj-nan-1/workspace/chapters/01-chapter-1/02-item-2.md"].decode()
    assert "(รอบใหม่)" in working and "(รอบใหม่)" not in public
    report = files["km/pmj-nan-1/workspace/report.md"].decode()
    assert "status: draft" in report and "unit: pmj-nan" in report and "by: files-reviewer" in report
    assert "comment: กรุณาเพิ่มวันเวลาที่ตลาดเปิด" in report
    assert "review_by: 2027-03-31" in files["km/pmj-nan-1/workspace/chapters/01-chapter-1/01-item-1.md"].decode()
    # Never published: only the team's folder.
    assert [p for p in files if p.startswith("km/pmj-nan-2/")] == [
        "km/pmj-nan-2/workspace/chapters/01-chapter-1/01-item-1.md",
        "km/pmj-nan-2/workspace/chapters/01-chapter-1/chapter.md",
        "km/pmj-nan-2/workspace/fields/02-topic.md",
        "km/pmj-nan-2/workspace/report.md",
    ]
    assert "status: submitted" in files["km/pmj-nan-2/workspace/report.md"].decode()
    assert "km/regulation-2564/workspace/report.md" in files


def test_a_dump_loaded_into_an_empty_database_dumps_the_same(kms, tmp_path):
    first = dump(tmp_path / "first")
    if connection.vendor == "postgresql":  # TRUNCATE refuses while this test's foreign-key checks wait
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    assert not (Draft.objects.exists() or KMReport.objects.exists() or Unit.objects.exists())

    said = load(tmp_path / "first")
    assert "KM ในพื้นที่ทำงาน: สร้างใหม่ 3 เรื่อง" in said and "สร้างหน่วยงานที่ยังไม่มี" in said
    second = dump(tmp_path / "second")
    assert set(second) == set(first)
    for path, data in first.items():
        assert second[path] == data, f"{path} เปลี่ยนไปหลังนำเข้าฐานข้อมูลใหม่แล้วเขียนออก"

    # The seed KM is still the first published KM; each KM's state and record came back.
    assert KMReport.objects.order_by("id").first().slug == "regulation-2564" == KMReport.objects.main().slug
    draft, waiting = Draft.objects.get(slug="pmj-nan-1"), Draft.objects.get(slug="pmj-nan-2")
    assert (draft.status, waiting.status) == (DRAFT, SUBMITTED)
    assert draft.report.slug == "pmj-nan-1" and draft.report.in_workspace and waiting.report is None
    assert [t.to_status for t in draft.transitions.all()] == ["submitted", "returned", "submitted", "approved",
                                                              "published", "draft"]
    assert Transition.objects.get(draft=draft, to_status="returned").actor_name == "files-reviewer"
    # The record names who moved it though the accounts are not in this database.
    superuser = Client()
    superuser.force_login(get_user_model().objects.create_superuser("files-admin"))
    page = superuser.get(f"/workspace/{draft.pk}/").content.decode()
    assert "files-reviewer" in page and "กรุณาเพิ่มวันเวลาที่ตลาดเปิด" in page
    # The public still reads the published version, not the new round.
    assert "(รอบใหม่)" not in Item.objects.get(chapter__report=draft.report, slug="item-2").body
    assert Draft.objects.get(slug="regulation-2564").status == PUBLISHED


def test_loading_again_keeps_what_the_workspace_has(kms, tmp_path):
    draft, _ = kms
    files = tmp_path / "files"
    dump(files)
    item = DraftItem.objects.get(chapter__draft=draft, order=1)
    item.body = "แก้ในพื้นที่ทำงานหลังเขียนไฟล์"
    item.save()
    history = Draft.history.count() + DraftItem.history.count()

    said = load(files)
    assert "มีอยู่แล้วจึงคงไว้ตามเดิม 3 เรื่อง" in said
    item.refresh_from_db()
    assert item.body == "แก้ในพื้นที่ทำงานหลังเขียนไฟล์"
    assert Draft.history.count() + DraftItem.history.count() == history


@pytest.mark.parametrize("edit, message", [
    (("report.md", "status: submitted", "status: waiting"), "status ต้องเป็นหนึ่งใน"),
    (("report.md", "to: returned", "to: sent-back"), "from และ to ต้องเป็นหนึ่งใน"),
    (("report.md", "unit: pmj-nan", "unit: พมจ.น่าน"), "unit ต้องเป็นรหัสหน่วยงาน"),
    (("chapters/01-chapter-1/01-item-1.md", "order: 1", "order: หนึ่ง"), "ค่าของ 'order' ต้องเป็นจำนวนเต็ม"),
])
def test_a_bad_workspace_file_is_refused_in_thai_and_changes_nothing(kms, tmp_path, edit, message):
    files = tmp_path / "files"
    dump(files)
    shutil.rmtree(files / "km" / "pmj-nan-2")
    # A new KM in the files together with a broken one: neither may be loaded.
    shutil.copytree(files / "km" / "pmj-nan-1" / "workspace", files / "km" / "pmj-nan-9" / "workspace")
    new_report = files / "km" / "pmj-nan-9" / "workspace" / "report.md"
    new_report.write_text(new_report.read_text(encoding="utf-8").replace("slug: pmj-nan-1", "slug: pmj-nan-9")
                          .replace("status: draft", "status: submitted"), encoding="utf-8")
    name, old, new = edit
    broken = files / "km" / "pmj-nan-9" / "workspace" / name
    text = broken.read_text(encoding="utf-8")
    assert old in text
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    before = (Draft.objects.count(), DraftItem.objects.count(), Transition.objects.count(), Unit.objects.count())

    with pytest.raises(CommandError) as refused:
        load(files)
    assert "นำเข้าไม่สำเร็จ ไม่มีการเปลี่ยนแปลงข้อมูล" in str(refused.value) and message in str(refused.value)
    assert "pmj-nan-9" in str(refused.value)
    assert (Draft.objects.count(), DraftItem.objects.count(), Transition.objects.count(),
            Unit.objects.count()) == before


def test_a_published_km_needs_its_published_files(kms, tmp_path):
    files = tmp_path / "files"
    dump(files)
    for part in ("report.md", "fields", "chapters"):
        target = files / "km" / "pmj-nan-1" / part
        target.unlink() if target.is_file() else shutil.rmtree(target)
    report = files / "km" / "pmj-nan-1" / "workspace" / "report.md"
    report.write_text(report.read_text(encoding="utf-8").replace("status: draft", "status: published"),
                      encoding="utf-8")
    with pytest.raises(CommandError, match="ไม่มีไฟล์ report.md ของฉบับเผยแพร่"):
        load(files)


def test_the_seed_content_still_loads_alone(tmp_path):
    said = load(CONTENT)
    assert "นำเข้าแล้ว: รายงาน 1 เรื่อง" in said and "KM ในพื้นที่ทำงาน" not in said
    assert KMReport.objects.main().slug == "regulation-2564"
