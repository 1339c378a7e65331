"""A training day as it happens in a room, on the real server started by `make run` with
HOST=0.0.0.0: the trainer's laptop and the phones reach it at the room's address
(192.168.1.20:PORT, carried to 127.0.0.1 by tests/roomnet.py — no traffic leaves
loopback). A phone joins by the projector's QR address, the numbers agree between the
phone, its review, the projector, the report and the Excel file, the answers show when the
trainer closes the test, and the certificate's QR code opens a working page. Screenshots
(phone 360 px, projector 1366×768 and 1920×1080, the report), the Excel file and the PDF
pages are kept under var/screenshots."""
import re
import subprocess
import tempfile
from pathlib import Path

import pytest
import segno
from openpyxl import load_workbook
from PIL import Image, ImageChops

from assessments.models import QuestionVersion, TrainingSession
from reports import pdf, xlsx
from reports.certificates import qr_png
from reports.session_report import session_report
from volunteerkm.thai import fold_digits, thai_digits

from .helpers import SCREENSHOTS, TRAINER_PASSWORD, keep_pngs, needs_poppler, screenshot
from .roomnet import RoomProxy

pytestmark = [pytest.mark.browser, needs_poppler]
LONG_NAME = "สมศรีมีสุขสวัสดิ์ยิ่งยืนยงคงกระพันชาตรีศรีสวัสดิ์วัฒนาถาวรรุ่งเรืองกิจ"


VIOLATIONS = []  # every Content Security Policy violation any page of the room reports
REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", function (e) {
  window.cspViolation(e.violatedDirective + " " + e.blockedURI + " @ " + location.pathname); });"""


def watched(context):
    """The context's pages report CSP violations (no inline style or script is allowed)."""
    context.expose_function("cspViolation", lambda text: VIOLATIONS.append(text))
    context.add_init_script(REPORT_VIOLATIONS)
    return context


def phone_context(browser, proxy):
    return watched(browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                       is_mobile=True, has_touch=True, locale="th-TH", proxy={"server": proxy.server}))


def answer(page, blocker, wrong_numbers):
    """Answer every question, wrong on the given question numbers; returns {number: version id}."""
    numbers = {}
    for fs in page.query_selector_all("fieldset.q"):
        number = int(fold_digits(re.search(r"ข้อ ([๐-๙]+)\.", fs.inner_text()).group(1)))
        numbers[number] = int(fs.get_attribute("data-q"))
    with blocker.unblock():
        versions = QuestionVersion.objects.in_bulk(list(numbers.values()))
    for number, vid in numbers.items():
        right = versions[vid].correct
        keys = page.eval_on_selector_all(f"input[name=a{vid}]", "els => els.map(e => e.value)")
        key = next(k for k in keys if k != right) if number in wrong_numbers else right
        page.check(f"input[name=a{vid}][value={key}]")
    return numbers


def test_a_training_day_in_a_room(room_server, room_trainer, browser, django_db_blocker):
    port = room_server
    room = f"192.168.1.20:{port}"
    base = f"http://{room}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with RoomProxy(room, port) as proxy:
        # The trainer's laptop opens the site at the room's address.
        desk_context = watched(browser.new_context(viewport={"width": 1366, "height": 768}, locale="th-TH",
                                                   proxy={"server": proxy.server}))
        desk = desk_context.new_page()
        desk.goto(base + "/trainer/new/")
        desk.fill("input[name=username]", "trainer-phrae")
        desk.fill("input[name=password]", TRAINER_PASSWORD)
        desk.click("main button[type=submit]")
        # The session form: Thai date lists in พ.ศ., the trainer's settings.
        assert desk.locator("select[name=date_year] option:checked").inner_text().startswith("๒๕")
        assert "(pre-test)" not in desk.inner_text("main")
        desk.fill("input[name=title]", "อบรม อพม. ใหม่ จังหวัดแพร่ รุ่นที่ ๑")
        desk.select_option("select[name=date_day]", "30")
        desk.select_option("select[name=date_month]", "11")
        desk.fill("input[name=time_limit]", "20")
        desk.fill("input[name=pass_mark]", "60")
        screenshot(desk, "room-01-session-form")
        desk.click("main button[type=submit]")
        main = desk.inner_text("main")
        assert "๓๐ พฤศจิกายน พ.ศ. ๒๕" in main and "เวลาทำ ๒๐ นาที" in main
        assert "โทรศัพท์ของผู้เข้าอบรมเปิดที่อยู่" not in main, "the room's address is not loopback"
        code = re.search(r"รหัส ([A-Z0-9]{6})", desk.inner_text("main .meta")).group(1)
        join_url = f"{base}/j/{code}/"
        assert join_url in main
        session_url = desk.url

        # The projector: its QR code is the room's join address; it fits both screens.
        projector = desk_context.new_page()
        projector.goto(session_url + "projector/")
        svg = projector.inner_html(".projector-qr")
        expected = segno.make(join_url, error="m").svg_inline(omitsize=True, dark="#000", light="#fff",
                                                               title="คิวอาร์โค้ดสำหรับเข้าร่วมแบบทดสอบ")
        paths = re.compile(r'd="([^"]+)"')
        assert paths.findall(expected) == paths.findall(svg), "the QR code of the join address"
        for w, h in ((1366, 768), (1920, 1080)):
            projector.set_viewport_size({"width": w, "height": h})
            bottom = projector.evaluate("document.querySelector('#counts').getBoundingClientRect().bottom")
            assert bottom <= h, f"count tiles clipped at {w}×{h}"
            tiles = projector.evaluate("""[...document.querySelectorAll('#counts div')].every(
                d => d.scrollWidth <= d.clientWidth + 1 && d.scrollHeight <= d.clientHeight + 1)""")
            assert tiles, f"a count tile's text is cut at {w}×{h}"
            screenshot(projector, f"room-02-projector-{w}x{h}", full_page=False)

        # The loopback address is warned about in Thai.
        local = browser.new_context(locale="th-TH")
        local_page = local.new_page()
        local_page.goto(f"http://127.0.0.1:{port}/accounts/login/?next=/trainer/")
        local_page.fill("input[name=username]", "trainer-phrae")
        local_page.fill("input[name=password]", TRAINER_PASSWORD)
        local_page.click("main button[type=submit]")
        local_page.goto(session_url.replace(base, f"http://127.0.0.1:{port}"))
        assert "โทรศัพท์ของผู้เข้าอบรมเปิดที่อยู่ http://127.0.0.1" in local_page.inner_text("main")
        local.close()

        desk.click("text=เปิดแบบทดสอบก่อนอบรม")

        # Two phones scan the QR code: they open the join address as the QR says.
        phones = []
        for name in (LONG_NAME, "บุญมี มีสุข"):
            context = phone_context(browser, proxy)
            page = context.new_page()
            page.goto(join_url)
            page.fill("input[name=name]", name)
            page.click("main button[type=submit]")
            page.click("button[value=yes]")
            page.wait_for_selector("fieldset.q")
            shown = re.findall(r"ข้อ ([๐-๙]+)\.", page.inner_text("#test"))
            assert shown == [thai_digits(n) for n in range(1, 15)], "numbers in order on every phone, Thai digits"
            assert page.evaluate("document.documentElement.scrollWidth") <= 360
            phones.append((context, page))
        first = phones[0][1]
        screenshot(first, "room-03-phone-test")
        numbers = answer(first, django_db_blocker, wrong_numbers={3, 7})
        first.click("#send")
        first.wait_for_url("**/result/pre/")
        text = first.inner_text("main")
        assert "๑๒ / ๑๔ คะแนน" in text and "ไม่มีผ่านหรือไม่ผ่าน" in text and "ผ่านเกณฑ์" not in text
        assert "คำตอบที่ถูก" not in text and "เฉลยจะแสดงที่นี่" in text
        assert first.evaluate("document.documentElement.scrollWidth") <= 360, "a long name wraps"
        screenshot(first, "room-04-phone-result-waiting")
        second = phones[1][1]
        answer(second, django_db_blocker, wrong_numbers={3})
        second.click("#send")
        second.wait_for_url("**/result/pre/")

        # The trainer closes the pre-test; the result pages show the answers by themselves.
        desk.bring_to_front()
        desk.goto(session_url)
        desk.click("button:has-text('ปิดแบบทดสอบก่อนอบรม')")
        first.wait_for_selector("ol.review", timeout=20000)
        wrong = [int(fold_digits(n)) for n in re.findall(r"ข้อ ([๐-๙]+)\.", " ".join(
            first.locator("ol.review li.wrong").all_inner_texts()))]
        assert wrong == [3, 7], "the review's numbers are the phone's numbers"
        assert re.search(r"ตอบถูก: [กขคง]\. ", first.inner_text("ol.review")), "the right option by its letter"
        screenshot(first, "room-05-phone-result-revealed")

        # The projector's review: hardest first, question 3 (wrong on both phones) on top.
        projector.goto(f"{session_url}review/pre/")
        for w, h in ((1366, 768), (1920, 1080)):
            projector.set_viewport_size({"width": w, "height": h})
            assert projector.evaluate("document.documentElement.scrollWidth") <= w
            screenshot(projector, f"room-06-review-{w}x{h}", full_page=False)
        heads = projector.locator(".review-q h2 .num").all_inner_texts()
        assert heads[:2] == ["ข้อ ๓", "ข้อ ๗"] and len(heads) == 14
        assert "ตอบถูก ๐%" in projector.locator(".review-q").first.inner_text().replace("\n", " ")
        font = projector.evaluate("parseFloat(getComputedStyle(document.querySelector('.review-q h2')).fontSize)")
        assert font >= 28, "readable from the back of the room"

        # The post-test; then the most improved on the projector.
        desk.goto(session_url)
        desk.click("text=เปิดแบบทดสอบหลังอบรม")
        for _, page in phones:
            page.goto(join_url + "test/")
            page.wait_for_selector("fieldset.q")
        answer(first, django_db_blocker, wrong_numbers=set())
        first.click("#send")
        first.wait_for_url("**/result/post/")
        answer(second, django_db_blocker, wrong_numbers={1, 2, 3, 4, 5, 6, 7, 8, 9})
        second.click("#send")
        second.wait_for_url("**/result/post/")
        assert "ยังไม่ผ่านเกณฑ์" in second.inner_text("main")
        desk.goto(session_url)
        desk.click("button:has-text('ปิดแบบทดสอบหลังอบรม')")
        projector.goto(f"{session_url}review/post/")
        improved = projector.inner_text(".improved")
        assert LONG_NAME in improved and "+๑๔" in improved
        screenshot(projector, "room-07-review-post", full_page=False)

        # The certificate: its QR code is the room's address of a working page.
        first.wait_for_selector("text=ดูและดาวน์โหลดวุฒิบัตร")
        first.click("text=ดูและดาวน์โหลดวุฒิบัตร")
        first.wait_for_url("**/c/**")
        assert "ใช้ได้" in first.inner_text("main")
        verify_url = first.url
        assert verify_url.startswith(base + "/c/")
        screenshot(first, "room-08-certificate-check")
        fetched = first.context.request.get(verify_url + "pdf")
        assert fetched.status == 200 and fetched.headers["content-type"] == "application/pdf", (fetched.status,
                                                                                              fetched.text()[:300])
        pdf_bytes = fetched.body()
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "c.pdf").write_bytes(pdf_bytes)
            subprocess.run(["pdfimages", "-png", str(Path(tmp) / "c.pdf"), str(Path(tmp) / "img")], check=True)
            printed = Image.open(Path(tmp) / "img-000.png").convert("1")
        expected_qr = Image.open(qr_png(verify_url)).convert("1")
        assert printed.size == expected_qr.size and ImageChops.difference(printed, expected_qr).getbbox() is None
        keep_pngs(pdf_bytes, "room-09-certificate")
        checker = phone_context(browser, proxy)  # someone else scans the printed certificate
        check = checker.new_page()
        check.goto(verify_url)
        assert "ใช้ได้" in check.inner_text("main") and LONG_NAME in check.inner_text("main")
        checker.close()

        # The session report, its Excel file and PDF: the same numbers.
        desk.goto(session_url.replace("/trainer/", "/reports/sessions/"))
        assert LONG_NAME in desk.inner_text("main")
        assert desk.evaluate("document.documentElement.scrollWidth") <= 1366
        screenshot(desk, "room-10-session-report")
        with django_db_blocker.unblock():
            session = TrainingSession.objects.get(code=code)
            book = xlsx.session_workbook(session)
            report_pdf = pdf.session_pdf(session_report(session))
        (SCREENSHOTS / "room-11-session.xlsx").write_bytes(book)
        wb = load_workbook(SCREENSHOTS / "room-11-session.xlsx")
        answers = list(wb["คำตอบ"].iter_rows(min_row=2))
        mine = [r for r in answers if r[1].value == LONG_NAME and r[2].value == "ก่อนอบรม"]
        assert sorted(r[3].value for r in mine if r[8].value == "ผิด") == [3, 7]
        assert {r[6].value for r in mine} <= {"ก", "ข", "ค", "ง", "จ", "ถูก", "ผิด"} and all(r[9].is_date for r in mine)
        assert {r[9].number_format for r in answers} == {xlsx.DATETIME}
        people = list(wb["คะแนนรายบุคคล"].iter_rows(min_row=2))
        assert all(r[1].is_date and r[1].number_format == xlsx.DATE for r in people)
        keep_pngs(report_pdf, "room-12-session-report-pdf")
        assert numbers  # the phone's numbers were read from its own page
    for context, _ in phones:
        context.close()
    desk_context.close()
    assert VIOLATIONS == [], "no page of the day breaks the Content Security Policy"
    # Every request the browsers sent for the room's address went through the loopback proxy.
    assert proxy.forwarded and all(host == room for _, host, _ in proxy.forwarded)
