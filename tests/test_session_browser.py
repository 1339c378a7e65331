"""A whole training on the real server (gunicorn): the trainer opens a session and shows
the projector page; three phones join by code, take the pre-test (one loses its network
mid-test and gets it back); the trainer switches to the post-test; they take it; the
trainer's page shows the paired results. Phone pages are 360 px wide, pass axe-core's
WCAG 2.1 AA rules and have big touch targets; screenshots are kept in var/screenshots."""
import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from assessments.models import Attempt, Participant, QuestionVersion, TrainingSession

from .helpers import TRAINER_PASSWORD, WCAG_AA, screenshot

pytestmark = pytest.mark.browser


def check_phone_page(page, name):
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()
    assert page.evaluate("document.documentElement.lang") == "th"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360, "nothing wider than the phone"
    assert page.evaluate("document.fonts.check('16px Sarabun', 'อพม.')")
    # Every button and answer option is a big touch target.
    small = page.evaluate("""() => [...document.querySelectorAll('main button, main label.opt, main a.button')]
        .filter(e => e.offsetParent !== null && e.getBoundingClientRect().height < 48)
        .map(e => e.textContent.trim())""")
    assert small == [], small
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 18
    screenshot(page, name)


BLOCKER = []


def right_answers(page):
    """{version id: the right option key} for the questions on the page, in page order
    (the test reads the database; the phone does not know)."""
    ids = [int(v) for v in page.eval_on_selector_all("fieldset.q", "els => els.map(e => e.dataset.q)")]
    with BLOCKER[0].unblock():
        versions = QuestionVersion.objects.in_bulk(ids)
    return {vid: versions[vid].correct for vid in ids}


def choose(page, answers):
    for vid, key in answers.items():
        page.check(f"input[name=a{vid}][value={key}]")


def wrong_key(page, vid, right):
    keys = page.eval_on_selector_all(f"input[name=a{vid}]", "els => els.map(e => e.value)")
    return next(k for k in keys if k != right)


def join_by_code(page, base, code, name):
    page.goto(base + "/j/")
    page.fill("input[name=code]", code.lower())
    page.click("button[type=submit]")
    page.fill("input[name=name]", name)
    page.click("button[type=submit]")
    assert "การใช้ข้อมูลของคุณ" in page.inner_text("main")


def test_a_whole_training_from_phones(orm_beside_playwright, live_server_url, trainer_account, django_db_blocker,
                                      browser):
    base = live_server_url
    unit, user = trainer_account
    BLOCKER[:] = [django_db_blocker]

    # The trainer logs in, opens a session, shows the projector page.
    desk_context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="th-TH")
    desk = desk_context.new_page()
    desk.goto(base + "/trainer/new/")
    assert "/accounts/login/" in desk.url
    desk.fill("input[name=username]", "trainer-lampang")
    desk.fill("input[name=password]", TRAINER_PASSWORD)
    desk.click("main button[type=submit]")
    desk.fill("input[name=title]", "อบรม อพม. ใหม่ จังหวัดลำปาง รุ่นที่ ๑")
    desk.click("main button[type=submit]")
    code = re.search(r"รหัส ([A-Z0-9]{6})", desk.inner_text("main .meta")).group(1)
    session_url = desk.url
    projector = desk_context.new_page()
    projector.goto(session_url + "projector/")
    assert projector.inner_text(".join-code") == code
    assert projector.locator(".projector-qr svg").is_visible()
    assert f"/j/{code}/" in projector.inner_text(".short-url")
    screenshot(projector, "assess-10-projector")
    desk.click("text=เปิดแบบทดสอบก่อนอบรม")
    assert "เปิดแบบทดสอบก่อนอบรมแล้ว" in desk.inner_text("main")

    # Three phones join by typing the code.
    phones = []
    names = ["สมศรี ใจดี", "สมชาย ใจกล้า", "บุญมี มีสุข"]
    for n, name in enumerate(names):
        context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
                                      has_touch=True, locale="th-TH")
        page = context.new_page()
        if n == 0:
            page.goto(base + "/j/")
            check_phone_page(page, "assess-01-enter-code")
            page.fill("input[name=code]", code.lower())
            page.click("button[type=submit]")
            check_phone_page(page, "assess-02-join")
            page.fill("input[name=name]", name)
            page.click("button[type=submit]")
            check_phone_page(page, "assess-03-consent")
        else:
            join_by_code(page, base, code, name)
        page.click("button[value=yes]")
        assert page.url.endswith(f"/j/{code}/test/")
        assert page.locator("fieldset.q").count() == 14
        phones.append((context, page))
    check_phone_page(phones[0][1], "assess-04-pre-test")

    # Phone 1 answers (5 wrong) and sends.
    page = phones[0][1]
    answers = right_answers(page)
    for vid in list(answers)[:5]:
        answers[vid] = wrong_key(page, vid, answers[vid])
    choose(page, answers)
    page.click("#send")
    page.wait_for_url(f"**/j/{code}/result/pre/")
    assert "๙ / ๑๔ คะแนน" in page.inner_text("main")
    assert page.locator("ol.review").count() == 0, "the answers wait until the trainer closes the test"
    check_phone_page(page, "assess-05-pre-result")

    # Phone 2: a reload keeps its answers; it loses the network, answers the rest, sends,
    # waits, gets the network back, and the submission goes through by itself.
    context, page = phones[1]
    answers = right_answers(page)
    for vid in list(answers)[:7]:
        answers[vid] = wrong_key(page, vid, answers[vid])
    first_half = dict(list(answers.items())[:6])
    choose(page, first_half)
    page.reload()
    for vid, key in first_half.items():
        assert page.is_checked(f"input[name=a{vid}][value={key}]"), "answers survive a reload"
    context.set_offline(True)
    choose(page, dict(list(answers.items())[6:]))
    page.click("#send")
    # (locators, not wait_for_function: the page's CSP forbids the eval that polling a string needs)
    page.locator("#status", has_text="ยังส่งไม่สำเร็จ").wait_for()
    assert "คำตอบยังเก็บอยู่ในเครื่อง" in page.inner_text("#status")
    screenshot(page, "assess-06-offline")
    screenshot(page, "assess-06-offline-screen", full_page=False)
    stored = page.evaluate(f"JSON.parse(localStorage.getItem('{page.get_attribute('#test', 'data-storage')}'))")
    assert stored["pending"] is True and len(stored["answers"]) == 14
    with django_db_blocker.unblock():
        assert Attempt.objects.filter(session__code=code).count() == 1
    context.set_offline(False)
    page.wait_for_url(f"**/j/{code}/result/pre/", timeout=30000)
    assert "๗ / ๑๔ คะแนน" in page.inner_text("main")

    # Phone 3 answers all right.
    page = phones[2][1]
    choose(page, right_answers(page))
    page.click("#send")
    page.wait_for_url(f"**/j/{code}/result/pre/")
    assert "๑๔ / ๑๔ คะแนน" in page.inner_text("main")

    # Everyone waits; the projector's live count shows three joined and three sent.
    for _, page in phones:
        page.goto(base + f"/j/{code}/test/")
        assert "กรุณารอผู้จัดอบรม" in page.inner_text("main") or "คุณส่งแบบทดสอบก่อนอบรมแล้ว" in page.inner_text("main")
    screenshot(phones[0][1], "assess-07-waiting")
    projector.locator("#counts", has_text=re.compile(r"ส่งก่อนอบรม\s*๓\s*คน")).wait_for(timeout=10000)

    # The trainer switches to the post-test; the waiting phones move to it by themselves.
    desk.click("text=เปิดแบบทดสอบหลังอบรม")
    assert "เปิดแบบทดสอบหลังอบรมแล้ว" in desk.inner_text("main")
    for _, page in phones:
        page.wait_for_url(f"**/j/{code}/test/", timeout=15000)
        page.wait_for_selector("fieldset.q", timeout=15000)
        assert "แบบทดสอบหลังอบรม" in page.inner_text("h1"), page.content()[:6000]
    check_phone_page(phones[0][1], "assess-08-post-test")
    for n, (_, page) in enumerate(phones):
        answers = right_answers(page)
        for vid in list(answers)[: n]:  # 0, 1 and 2 wrong
            answers[vid] = wrong_key(page, vid, answers[vid])
        choose(page, answers)
        page.click("#send")
        page.wait_for_url(f"**/j/{code}/result/post/")
    result = phones[0][1]
    assert "๑๔ / ๑๔ คะแนน" in result.inner_text("main") and "+๓๖" in result.inner_text("main")
    check_phone_page(result, "assess-09-post-result")

    # The trainer's page pairs each person's pre-test and post-test.
    desk.goto(session_url)
    table = desk.inner_text("#pairs")
    for name, pre, post, gain in [("สมศรี ใจดี", "๙/๑๔", "๑๔/๑๔", "+๓๖%"), ("สมชาย ใจกล้า", "๗/๑๔", "๑๓/๑๔", "+๔๓%"),
                                  ("บุญมี มีสุข", "๑๔/๑๔", "๑๒/๑๔", "-๑๔%")]:
        row = desk.locator("#pairs tr", has_text=name).inner_text()
        assert pre in row and post in row and gain in row, (row, table)
    assert "จับคู่ได้ ๓ คน" in desk.inner_text("main")
    results = Axe().run(desk, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()
    screenshot(desk, "assess-11-trainer-results")

    with django_db_blocker.unblock():
        attempts = Attempt.objects.filter(session__code=code)
        assert attempts.count() == 6
        assert sorted(attempts.values_list("kind", flat=True)) == ["post"] * 3 + ["pre"] * 3
        for p in Participant.objects.filter(session__code=code):
            assert set(p.attempts.values_list("kind", flat=True)) == {"pre", "post"}
            assert all(a.answers.count() == 14 for a in p.attempts.all())
    for context, _ in phones:
        context.close()
    desk_context.close()


def test_a_phone_without_javascript_takes_the_test(orm_beside_playwright, live_server_url, trainer_account,
                                                   django_db_blocker, browser):
    """The join form, the consent, the test form and the result all work as plain HTML."""
    unit, user = trainer_account
    BLOCKER[:] = [django_db_blocker]
    with django_db_blocker.unblock():
        from assessments.models import TestForm

        session = TrainingSession.objects.create(
            title="อบรมที่ไม่มีจาวาสคริปต์", unit=unit, date="2026-03-02", trainer=user,
            pre_form=TestForm.objects.get(key="volunteer-pre-a"),
            post_form=TestForm.objects.get(key="volunteer-post-b"))
        session.set_phase("pre", "open")
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740}, locale="th-TH")
    page = context.new_page()
    join_by_code(page, live_server_url, session.code, "สมจิต ไม่ใช้แอป")
    page.click("button[value=yes]")
    assert page.locator("fieldset.q").count() == 14
    answers = right_answers(page)
    for vid in list(answers)[:4]:
        answers[vid] = wrong_key(page, vid, answers[vid])
    choose(page, answers)
    page.click("#send")
    assert page.url.endswith(f"/j/{session.code}/result/pre/")
    assert "๑๐ / ๑๔ คะแนน" in page.inner_text("main")
    # Going back to the test shows it is done, not a second blank test.
    page.go_back()
    assert "คุณส่งแบบทดสอบก่อนอบรมแล้ว" in page.inner_text("main")
    with django_db_blocker.unblock():
        assert Attempt.objects.filter(session=session).count() == 1
    context.close()
