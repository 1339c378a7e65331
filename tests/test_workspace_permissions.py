"""Who may do what in the KM workspace, for every role and unit pair: a unit's KM team writes
and submits only its own unit's KMs and never approves; the unit's executive approves or returns
only its own unit's; the division's KM administrators see every unit's KMs and pipeline but
approve nothing; a member without a KM role and other units' people see nothing of a draft;
anonymous visitors are sent to the login page."""
import pytest
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import AuditEvent, Membership, Unit
from workspace.models import APPROVED, DRAFT, PUBLISHED, RETURNED, SUBMITTED, Attachment, Draft, DraftChapter, DraftItem

pytestmark = pytest.mark.django_db

ROLES = {
    "editor_a": ("a", Membership.KM_EDITOR),
    "reviewer_a": ("a", Membership.KM_REVIEWER),
    "editor_b": ("b", Membership.KM_EDITOR),
    "reviewer_b": ("b", Membership.KM_REVIEWER),
    "admin": ("division", Membership.KM_ADMIN),
    "trainer_a": ("a", Membership.TRAINER),
    "volunteer": (None, None),  # signed in, no membership at all
}
TITLE_A = "KM ทดสอบสิทธิ์ของหน่วยงานเอ"
TITLE_B = "KM ทดสอบสิทธิ์ของหน่วยงานบี"


def make_draft(unit, title, status):
    draft = Draft.objects.create(unit=unit, title=title, status=status, fields={"topic": "ประเด็นความรู้"})
    chapter = DraftChapter.objects.create(draft=draft, number=1, title="หมวดทดสอบ")
    DraftItem.objects.create(chapter=chapter, order=1, title=f"เรื่องของ {title}", body="เนื้อหาทดสอบ")
    return draft


@pytest.fixture
def world():
    units = {
        "a": Unit.objects.create(code="ws-a", name="พมจ.ทดสอบเอ", province="ลำพูน"),
        "b": Unit.objects.create(code="ws-b", name="พมจ.ทดสอบบี", province="แพร่"),
        "division": Unit.objects.create(code="ws-division", name="กองกิจการอาสาสมัครและภาคประชาสังคม",
                                        kind=Unit.NATIONAL),
    }
    clients = {"anonymous": Client()}
    users = {}
    for name, (unit, role) in ROLES.items():
        user = get_user_model().objects.create_user(f"ws-{name}")
        if role:
            Membership.objects.create(user=user, unit=units[unit], role=role)
        users[name] = user
        clients[name] = Client()
        clients[name].force_login(user)
    return {"units": units, "clients": clients, "users": users}


def draft_of(world, unit, status):
    return make_draft(world["units"][unit], TITLE_A if unit == "a" else TITLE_B, status)


def expect(response, wanted):
    if wanted == "login":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), response
    else:
        assert response.status_code == wanted, (response.status_code, response.content.decode()[:300])


# Seeing a draft ------------------------------------------------------------------------------

@pytest.mark.parametrize(("who", "wanted"), [
    ("editor_a", 200), ("reviewer_a", 200), ("admin", 200),
    ("editor_b", 404), ("reviewer_b", 404), ("trainer_a", 403), ("volunteer", 403), ("anonymous", "login"),
])
def test_who_sees_a_units_draft(world, who, wanted):
    draft = draft_of(world, "a", DRAFT)
    response = world["clients"][who].get(f"/workspace/{draft.pk}/")
    expect(response, wanted)
    if wanted == 200:
        assert TITLE_A in response.content.decode()


@pytest.mark.parametrize(("who", "sees_a", "sees_b"), [
    ("editor_a", True, False), ("reviewer_a", True, False), ("editor_b", False, True), ("reviewer_b", False, True),
    ("admin", True, True),
])
def test_the_workspace_home_lists_only_the_units_the_user_works_for(world, who, sees_a, sees_b):
    draft_of(world, "a", DRAFT)
    draft_of(world, "b", SUBMITTED)
    html = world["clients"][who].get("/workspace/").content.decode()
    assert (TITLE_A in html) is sees_a
    assert (TITLE_B in html) is sees_b


@pytest.mark.parametrize("who", ["trainer_a", "volunteer"])
def test_a_member_without_a_km_role_is_refused_in_thai(world, who):
    response = world["clients"][who].get("/workspace/")
    assert response.status_code == 403
    assert "ยังไม่มีบทบาทในพื้นที่ทำงาน KM" in response.content.decode()


def test_the_menu_shows_the_workspace_only_to_people_with_a_km_role(world):
    link = 'href="/workspace/"'
    assert link not in world["clients"]["trainer_a"].get("/").content.decode()
    assert link not in world["clients"]["volunteer"].get("/").content.decode()
    assert link not in world["clients"]["anonymous"].get("/").content.decode()
    assert link in world["clients"]["editor_a"].get("/").content.decode()


@pytest.mark.parametrize("path", ["/workspace/", "/workspace/new/", "/workspace/pipeline/"])
def test_anonymous_visitors_are_sent_to_login(world, path):
    expect(world["clients"]["anonymous"].get(path), "login")
    expect(world["clients"]["anonymous"].post("/workspace/preview/", {"body": "ข้อความ"}), "login")


# Writing -----------------------------------------------------------------------------------

@pytest.mark.parametrize(("who", "wanted"), [
    ("editor_a", 200), ("reviewer_a", 403), ("admin", 403), ("editor_b", 404), ("reviewer_b", 404),
    ("trainer_a", 403), ("volunteer", 403), ("anonymous", "login"),
])
def test_only_the_units_km_team_edits_its_draft(world, who, wanted):
    draft = draft_of(world, "a", RETURNED)
    item = DraftItem.objects.get(chapter__draft=draft)
    client = world["clients"][who]
    expect(client.get(f"/workspace/{draft.pk}/edit/"), wanted)
    expect(client.get(f"/workspace/{draft.pk}/items/{item.pk}/"), wanted)
    response = client.post(f"/workspace/{draft.pk}/items/{item.pk}/",
                           {"chapter": item.chapter_id, "order": 1, "title": "แก้โดยผู้อื่น", "body": "แก้แล้ว"})
    expect(response, 302 if wanted == 200 else wanted)
    item.refresh_from_db()
    assert (item.title == "แก้โดยผู้อื่น") is (wanted == 200)


@pytest.mark.parametrize(("who", "wanted"), [
    ("editor_a", 302), ("reviewer_a", 403), ("admin", 403), ("editor_b", 404), ("reviewer_b", 404),
    ("trainer_a", 403), ("volunteer", 403), ("anonymous", "login"),
])
def test_only_the_units_km_team_submits(world, who, wanted):
    draft = draft_of(world, "a", DRAFT)
    expect(world["clients"][who].post(f"/workspace/{draft.pk}/submit/"), wanted)
    draft.refresh_from_db()
    assert (draft.status == SUBMITTED) is (wanted == 302)


def test_an_editor_creates_a_km_only_for_a_unit_of_their_own(world):
    editor = world["clients"]["editor_a"]
    page = editor.get("/workspace/new/").content.decode()
    assert "พมจ.ทดสอบเอ" in page and "พมจ.ทดสอบบี" not in page
    fields = {"title": "KM ที่แอบสร้างให้หน่วยงานอื่น", "chapter": "หมวดหนึ่ง"}
    response = editor.post("/workspace/new/", {**fields, "unit": world["units"]["b"].pk})
    assert response.status_code == 200 and "ws-errors" in response.content.decode()
    assert not Draft.objects.filter(title=fields["title"]).exists()
    response = editor.post("/workspace/new/", {**fields, "unit": world["units"]["a"].pk})
    assert response.status_code == 302
    assert Draft.objects.get(title=fields["title"]).unit == world["units"]["a"]
    for who in ("reviewer_a", "reviewer_b", "admin", "trainer_a", "volunteer"):
        expect(world["clients"][who].get("/workspace/new/"), 403)
        expect(world["clients"][who].post("/workspace/new/", {**fields, "unit": world["units"]["a"].pk}), 403)
    assert Draft.objects.filter(title=fields["title"]).count() == 1


# Reviewing and publishing ---------------------------------------------------------------------

@pytest.mark.parametrize(("who", "wanted"), [
    ("reviewer_a", 302), ("editor_a", 403), ("admin", 403), ("reviewer_b", 404), ("editor_b", 404),
    ("trainer_a", 403), ("volunteer", 403), ("anonymous", "login"),
])
@pytest.mark.parametrize(("decision", "status"), [("approve", APPROVED), ("return", RETURNED)])
def test_only_the_units_executive_approves_or_returns(world, who, wanted, decision, status):
    draft = draft_of(world, "a", SUBMITTED)
    client = world["clients"][who]
    reads = 200 if who in ("reviewer_a", "admin") else wanted  # the division's administrators read the diff
    page = client.get(f"/workspace/{draft.pk}/review/")
    expect(page, reads)
    if reads == 200:
        assert ('name="decision"' in page.content.decode()) is (who == "reviewer_a")
    expect(client.post(f"/workspace/{draft.pk}/review/", {"decision": decision, "comment": "ขอแก้หัวข้อ"}), wanted)
    draft.refresh_from_db()
    assert (draft.status == status) is (wanted == 302)
    assert AuditEvent.objects.filter(action=f"km.{decision}").exists() is (wanted == 302)


def test_a_reviewer_of_unit_a_cannot_approve_unit_bs_km(world):
    draft_b = draft_of(world, "b", SUBMITTED)
    response = world["clients"]["reviewer_a"].post(f"/workspace/{draft_b.pk}/review/", {"decision": "approve"})
    assert response.status_code == 404
    draft_b.refresh_from_db()
    assert draft_b.status == SUBMITTED


def test_returning_needs_a_comment(world):
    draft = draft_of(world, "a", SUBMITTED)
    reviewer = world["clients"]["reviewer_a"]
    response = reviewer.post(f"/workspace/{draft.pk}/review/", {"decision": "return", "comment": "  "})
    assert response.status_code == 200 and "กรุณาเขียนความเห็น" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == SUBMITTED


@pytest.mark.parametrize(("who", "wanted"), [
    ("editor_a", 302), ("reviewer_a", 302), ("admin", 403), ("editor_b", 404), ("reviewer_b", 404),
    ("trainer_a", 403), ("volunteer", 403), ("anonymous", "login"),
])
def test_who_publishes_an_approved_km(world, who, wanted):
    draft = draft_of(world, "a", APPROVED)
    expect(world["clients"][who].post(f"/workspace/{draft.pk}/publish/"), wanted)
    draft.refresh_from_db()
    assert (draft.status == PUBLISHED) is (wanted == 302)
    assert (draft.report_id is not None) is (wanted == 302)


@pytest.mark.parametrize("status", [DRAFT, SUBMITTED, RETURNED])
def test_nothing_unapproved_is_published(world, status):
    draft = draft_of(world, "a", status)
    response = world["clients"]["reviewer_a"].post(f"/workspace/{draft.pk}/publish/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == status and draft.report_id is None


@pytest.mark.parametrize(("who", "wanted"), [
    ("admin", 200), ("editor_a", 403), ("reviewer_a", 403), ("editor_b", 403), ("reviewer_b", 403),
    ("trainer_a", 403), ("volunteer", 403), ("anonymous", "login"),
])
def test_only_km_administrators_see_every_units_pipeline(world, who, wanted):
    draft_of(world, "a", DRAFT)
    draft_of(world, "b", SUBMITTED)
    response = world["clients"][who].get("/workspace/pipeline/")
    expect(response, wanted)
    if wanted == 200:
        html = response.content.decode()
        assert "พมจ.ทดสอบเอ" in html and "พมจ.ทดสอบบี" in html


def test_a_chapter_that_is_not_a_number_or_not_this_kms_is_ignored(world):
    draft = draft_of(world, "a", DRAFT)
    other = draft_of(world, "b", DRAFT)
    editor = world["clients"]["editor_a"]
    for wanted in ("abc", "", str(other.chapters.get().pk), "99999999999999999999"):
        response = editor.get(f"/workspace/{draft.pk}/items/new/", {"chapter": wanted})
        assert response.status_code == 200
        assert "หมวดทดสอบ" in response.content.decode()


@pytest.mark.parametrize(("who", "wanted"), [
    ("editor_a", 302), ("reviewer_a", 403), ("admin", 403), ("editor_b", 404), ("reviewer_b", 404),
    ("trainer_a", 403), ("volunteer", 403), ("anonymous", "login"),
])
def test_only_the_team_throws_away_a_km_never_published(world, who, wanted):
    draft = draft_of(world, "a", DRAFT)
    expect(world["clients"][who].post(f"/workspace/{draft.pk}/delete/"), wanted)
    assert Draft.objects.filter(pk=draft.pk).exists() is (wanted != 302)
    assert AuditEvent.objects.filter(action="km.delete").exists() is (wanted == 302)


def test_a_published_km_is_not_thrown_away(world):
    draft = draft_of(world, "a", APPROVED)
    world["clients"]["reviewer_a"].post(f"/workspace/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.status == PUBLISHED
    assert world["clients"]["editor_a"].post(f"/workspace/{draft.pk}/delete/").status_code == 403
    assert Draft.objects.filter(pk=draft.pk).exists()


def test_editing_a_chapter_shows_its_own_number(world):
    draft = draft_of(world, "a", DRAFT)
    DraftChapter.objects.create(draft=draft, number=2, title="หมวดสอง")
    first = draft.chapters.get(number=1)
    page = world["clients"]["editor_a"].get(f"/workspace/{draft.pk}/chapters/{first.pk}/").content.decode()
    assert 'name="number" value="1"' in page
    new = world["clients"]["editor_a"].get(f"/workspace/{draft.pk}/chapters/new/").content.decode()
    assert 'name="number" value="3"' in new


# Source documents ------------------------------------------------------------------------------

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@pytest.mark.parametrize(("who", "opens", "attaches"), [
    ("editor_a", 200, 302), ("reviewer_a", 200, 403), ("admin", 200, 403), ("editor_b", 404, 404),
    ("reviewer_b", 404, 404), ("trainer_a", 403, 403), ("volunteer", 403, 403), ("anonymous", "login", "login"),
])
def test_who_opens_and_attaches_a_kms_source_documents(world, who, opens, attaches, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft = draft_of(world, "a", DRAFT)
    document = Attachment.objects.create(draft=draft, file=ContentFile(PDF, name="source.pdf"), name="ต้นฉบับ.pdf",
                                         content_type="application/pdf", size=len(PDF))
    client = world["clients"][who]
    expect(client.get(f"/workspace/{draft.pk}/files/{document.pk}/"), opens)
    upload = SimpleUploadedFile("เพิ่มเติม.pdf", PDF, content_type="application/pdf")
    expect(client.post(f"/workspace/{draft.pk}/files/", {"file": upload}), attaches)
    assert Attachment.objects.filter(draft=draft).count() == (2 if attaches == 302 else 1)
    expect(client.post(f"/workspace/{draft.pk}/files/{document.pk}/delete/"), attaches)
    assert Attachment.objects.filter(pk=document.pk).exists() is (attaches != 302)
