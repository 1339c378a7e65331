"""The KM workspace on the real server (gunicorn) in Chromium: a unit's KM team creates a KM
from the 12-field template with two items (the live preview follows the typing) and submits
it; the unit's executive reads the diff and sends it back with a comment; the team fixes it and
submits again; the executive approves and publishes; the KM is then listed on /km/ and the home
page and found by search, and before that no public page and no search ever showed it. Every
workspace page is looked at on a 360 px phone and a 1280 px screen (var/screens/): no page wider
than the phone, body text at least 16 px, axe-core's WCAG 2.1 AA rules, no script or style the
Content Security Policy refuses."""
from pathlib import Path
from urllib.parse import urlparse

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.db import connections

from accounts.models import AuditEvent, Membership, Unit
from knowledge.models import KMReport
from workspace.models import Draft

from .helpers import ROOT, TRAINER_PASSWORD, WCAG_AA

pytestmark = pytest.mark.browser

SCREENS = ROOT / "var" / "screens"
TITLE = "ธนาคารขยะชุมชนกับงาน อพม. จังหวัดน่าน"
ITEM_1 = "เริ่มตั้งธนาคารขยะในหมู่บ้าน"
ITEM_2 = "บัญชีสมาชิกธนาคารขยะ"
WORD = "ธนาคารขยะ"
# What a reader reads: none of it under 16 px.
TEXT = ", ".join(f"main {tag}" for tag in "p li td th label textarea input summary del ins a".split())
COMMENT = "ขอให้เพิ่มวิธีคิดราคาขยะแต่ละชนิดในเรื่องบัญชีสมาชิก"


@pytest.fixture
def km_team(orm_beside_playwright, live_server_url, django_db_blocker):
    """A province office with its KM editor, its executive (reviewer) and a division KM
    administrator, committed for the real server; removed afterwards with what they made."""
    with django_db_blocker.unblock():
        unit = Unit.objects.create(code="pmj-ws-nan", name="สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดน่าน",
                                   short_name="พมจ.น่าน", province="น่าน")
        division = Unit.objects.create(code="ws-division-browser", name="กองกิจการอาสาสมัครและภาคประชาสังคม",
                                       kind=Unit.NATIONAL)
        users = []
        for name, first, where, role in (("ws-editor", "สมใจ", unit, Membership.KM_EDITOR),
                                         ("ws-reviewer", "ประเสริฐ", unit, Membership.KM_REVIEWER),
                                         ("ws-admin", "วันดี", division, Membership.KM_ADMIN)):
            user = get_user_model().objects.create_user(name, password=TRAINER_PASSWORD, first_name=first)
            Membership.objects.create(user=user, unit=where, role=role)
            users.append(user)
    yield unit
    with django_db_blocker.unblock():
        for draft in Draft.objects.filter(unit=unit):
            for attachment in draft.attachments.all():
                attachment.file.delete(save=False)
            if draft.report_id:
                KMReport.objects.filter(pk=draft.report_id).delete()
            draft.delete()
        AuditEvent.objects.filter(unit__in=[unit, division]).delete()
        for user in users:
            user.delete()
        unit.delete()
        division.delete()
        connections.close_all()


class Person:
    """One person's browser, logged in."""

    def __init__(self, browser, base, username=None):
        self.context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
        self.page = self.context.new_page()
        self.base = base
        self.refused = []
        self.page.on("console", self._console)
        if username:
            self.page.goto(f"{base}/accounts/login/?next=/workspace/")
            self.page.fill("input[name=username]", username)
            self.page.fill("input[name=password]", TRAINER_PASSWORD)
            self.page.click("main button[type=submit]")
            assert self.page.url.endswith("/workspace/"), self.page.url

    def _console(self, message):
        if "Content Security Policy" in message.text:
            self.refused.append(message.text)

    def go(self, path):
        response = self.page.goto(self.base + path)
        return response.status

    def main(self):
        return self.page.inner_text("main")


def look_at(person, name):
    """Screenshots at 360 px and 1280 px; the page fits a phone, reads at 16 px or more and
    passes WCAG 2.1 AA."""
    page = person.page
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, f"{name} is wider than a phone"
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16
    small = page.evaluate("""() => [...document.querySelectorAll('""" + TEXT + """')]
        .filter(e => e.offsetParent !== null && e.textContent.trim() && parseFloat(getComputedStyle(e).fontSize) < 16)
        .map(e => e.textContent.trim().slice(0, 40))""")
    assert small == [], (name, small)
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()
    page.screenshot(path=str(Path(SCREENS) / f"{name}-360.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(Path(SCREENS) / f"{name}-1280.png"), full_page=True)
    assert person.refused == [], person.refused


def public_shows_nothing_of_it(visitor, base, draft_path=None):
    for path in ("/", "/km/", f"/search/?q={WORD}"):
        visitor.go(path)
        text = visitor.main()
        assert TITLE not in text and ITEM_1 not in text and ITEM_2 not in text, path
    if draft_path:  # the draft's own page asks a visitor to sign in and shows nothing of it
        visitor.go(draft_path)
        assert "/accounts/login/" in visitor.page.url
        assert TITLE not in visitor.page.content() and ITEM_1 not in visitor.page.content()
    hits = visitor.page.request.get(f"{base}/api/search?q={WORD}").json()["results"]
    assert not any(ITEM_1 in r["title"] or ITEM_2 in r["title"] for r in hits)


def test_a_unit_writes_reviews_and_publishes_its_km(km_team, live_server_url, browser):
    base = live_server_url
    editor = Person(browser, base, "ws-editor")
    reviewer = Person(browser, base, "ws-reviewer")
    admin = Person(browser, base, "ws-admin")
    visitor = Person(browser, base)
    page = editor.page
    public_shows_nothing_of_it(visitor, base)

    # The KM team creates the KM from the template.
    look_at(editor, "workspace-home-empty")
    page.click("text=สร้าง KM ใหม่จากแบบฟอร์ม")
    look_at(editor, "workspace-new")
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=f_team]", "ทีม KM พมจ.น่าน: นางสมใจ (หัวหน้าทีม) และ อพม. ๕ คน")
    page.fill("textarea[name=f_topic]", "การตั้งธนาคารขยะในชุมชนโดย อพม.")
    page.fill("textarea[name=f_origin]", "ขยะในหมู่บ้านมากขึ้น ชาวบ้านอยากมีรายได้เสริม")
    page.fill("textarea[name=f_objectives]", "- ลดขยะในหมู่บ้าน\n- ชาวบ้านมีรายได้จากขยะ")
    page.fill("input[name=chapter]", "การตั้งธนาคารขยะ")
    page.click("main button[type=submit]")
    assert "สร้าง KM แล้ว" in editor.main()
    draft_path = urlparse(page.url).path

    # Two items; the live preview follows the typing.
    for title, body in ((ITEM_1, "อพม. ชวนชาวบ้านตั้ง**ธนาคารขยะ**ที่ศาลาหมู่บ้าน\n\n- รับซื้อขวดพลาสติก\n- รับซื้อกระดาษ"),
                        (ITEM_2, "สมาชิกฝากขยะแล้วบันทึกยอดในสมุดบัญชี")):
        page.click("text=เพิ่มเรื่องความรู้ในหมวดนี้")
        page.fill("input[name=title]", title)
        page.locator("textarea[name=body]").press_sequentially(body[:40], delay=5)
        page.fill("textarea[name=body]", body)
        page.locator("textarea[name=body]").press("End")
        page.locator("#preview strong, #preview p").first.wait_for()
        if title == ITEM_1:
            page.locator("#preview li", has_text="รับซื้อกระดาษ").wait_for()
            assert page.inner_html("#preview").count("<strong>") >= 1
            look_at(editor, "workspace-item")
        page.click("main button[name=save]")
        assert f"บันทึกเรื่อง “{title}” แล้ว" in editor.main()
    page.set_input_files("input[name=file]", files=[{"name": "อินโฟกราฟิกธนาคารขยะ.png", "mimeType": "image/png",
                                                     "buffer": b"\x89PNG\r\n\x1a\n" + bytes(64)}])
    page.click("main button:has-text('แนบไฟล์')")
    assert "แนบ “อินโฟกราฟิกธนาคารขยะ.png” แล้ว" in editor.main()
    look_at(editor, "workspace-draft")
    page.click("main a:has-text('แก้ไขหมวด')")
    look_at(editor, "workspace-chapter")
    page.go_back()
    page.click("text=แก้ไขหัวข้อ KM")
    look_at(editor, "workspace-edit")
    page.go_back()
    page.click("main button:has-text('เสนอผู้บริหาร')")
    assert "เสนอผู้บริหารแล้ว" in editor.main()
    public_shows_nothing_of_it(visitor, base, draft_path)

    # The executive reads the diff and sends it back with a comment.
    rp = reviewer.page
    reviewer.go("/workspace/")
    assert "รอท่านพิจารณา" in reviewer.main()
    look_at(reviewer, "workspace-home-reviewer")
    rp.click(f"main a:has-text('{TITLE}') >> nth=0")
    assert "/review/" in rp.url
    assert rp.locator("ins", has_text="ชวนชาวบ้านตั้ง").count() == 1
    look_at(reviewer, "workspace-review")
    rp.check("input[name=decision][value=return]")
    rp.fill("textarea[name=comment]", COMMENT)
    rp.click("main button:has-text('บันทึกผลการพิจารณา')")
    assert "ส่งกลับให้ทีม KM แก้ไขแล้ว" in reviewer.main()

    # The team sees the comment, fixes the item and submits again.
    editor.go("/workspace/")
    page.click(f"main a:has-text('{TITLE}')")
    assert COMMENT in editor.main() and "ผู้บริหารส่งกลับให้แก้ไข" in editor.main()
    look_at(editor, "workspace-draft-returned")
    page.click(f"main a:has-text('{ITEM_2}')")
    page.fill("textarea[name=body]", "สมาชิกฝากขยะแล้วบันทึกยอดในสมุดบัญชี\n\nราคาขยะแต่ละชนิดตามราคาร้านรับซื้อในอำเภอ")
    page.fill("input[name=review_by]", "1/1/2568")  # already past: listed for review
    page.click("main button[name=save]")
    page.click("main button:has-text('เสนอผู้บริหาร')")
    public_shows_nothing_of_it(visitor, base, draft_path)
    editor.go("/workspace/")
    assert "เลยกำหนดทบทวน" in editor.main() and "๑ มกราคม พ.ศ. ๒๕๖๘" in editor.main()
    look_at(editor, "workspace-home-editor")

    # The administrators' view of every unit.
    admin.go("/workspace/pipeline/")
    assert km_team.short_name in admin.main()
    look_at(admin, "workspace-pipeline")

    # The executive approves and publishes.
    reviewer.go("/workspace/")
    rp.click(f"main a:has-text('{TITLE}') >> nth=0")
    assert rp.locator("ins", has_text="ราคาขยะแต่ละชนิด").count() == 1
    rp.check("input[name=decision][value=approve]")
    rp.click("main button:has-text('บันทึกผลการพิจารณา')")
    assert "อนุมัติแล้ว" in reviewer.main()
    public_shows_nothing_of_it(visitor, base, draft_path)
    look_at(reviewer, "workspace-draft-approved")
    rp.click("main button:has-text('เผยแพร่')")
    assert "/km/" in rp.url and TITLE in reviewer.main()

    # Now it is public: listed by unit, on the home page, found by search.
    visitor.go("/km/")
    assert km_team.name in visitor.main() and TITLE in visitor.main()
    visitor.go("/")
    assert TITLE in visitor.main()
    visitor.go(f"/search/?q={WORD}")
    assert ITEM_1 in visitor.main()
    visitor.page.select_option("select[name=km]", label=f"{TITLE} ({km_team.name})")
    visitor.page.click("main button:has-text('ค้นหา')")
    assert "km=pmj-ws-nan-" in visitor.page.url and ITEM_1 in visitor.main()
    look_at(visitor, "search-within-one-km")
    visitor.page.click(f"main a:has-text('{ITEM_1}')")
    assert "ศาลาหมู่บ้าน" in visitor.main()

    editor.go("/workspace/")
    assert "เผยแพร่แล้ว" in editor.main()
    for person in (editor, reviewer, admin, visitor):
        assert person.refused == []
        person.context.close()
