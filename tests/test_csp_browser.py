"""The Content Security Policy in a real browser against the real server: every main page
(public, a volunteer's phone with and without JavaScript, the trainer's and the reports'
pages, the admin, the API docs) is served with the policy and loads with no violation:
Chromium reports none on the console and fires no `securitypolicyviolation` event, and
the pages still do their work (htmx polling, the test sent by take.js, an export)."""
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model

from assessments.models import PRE, TestForm, TrainingSession

from .helpers import TRAINER_PASSWORD, screenshot

pytestmark = pytest.mark.browser

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  window.cspViolation(e.violatedDirective + " " + e.blockedURI + " " + (e.sample || "") + " @ " + location.pathname);
});
"""


class Watched:
    """A browser context whose pages report every CSP violation into `violations`."""

    def __init__(self, browser, javascript=True, **options):
        self.violations = []
        self.context = browser.new_context(java_script_enabled=javascript, locale="th-TH", **options)
        self.context.expose_function("cspViolation", lambda text: self.violations.append(text))
        self.context.add_init_script(REPORT_VIOLATIONS)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        self.headers = {}

    def _console(self, message):
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.violations.append(f"console: {message.text} @ {self.page.url}")

    def visit(self, url):
        response = self.page.goto(url)
        self.page.wait_for_load_state("networkidle")
        self.headers = response.headers
        return response

    def close(self):
        self.context.close()


def assert_strict_policy(headers):
    policy = headers["content-security-policy"]
    directives = dict((d.strip().split(" ", 1) + [""])[:2] for d in policy.split(";") if d.strip())
    # styles: the site's files, and on pages with the site's own stylesheet inside them, the
    # one <style> carrying this response's nonce
    assert directives["script-src"] == "'self'"
    assert re.fullmatch(r"'self'( 'nonce-[A-Za-z0-9+/=]{16,}')?", directives["style-src"]), directives["style-src"]
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"


def test_public_pages_load_without_violations(live_server_url, browser):
    watched = Watched(browser, viewport={"width": 360, "height": 740})
    for path in ["/", "/km/regulation-2564/", "/glossary/", "/search/?q=สมัครเป็น อพม. ได้อย่างไร", "/privacy/",
                 "/j/", "/no-such-page/", "/api/docs"]:
        watched.visit(live_server_url + path)
        assert_strict_policy(watched.headers)
        assert "{#" not in watched.page.inner_text("body")  # no template comment shown as text
        if path in ("/", "/j/"):  # the stylesheet inside the page is allowed by its nonce and applied
            assert "'nonce-" in watched.headers["content-security-policy"]
            assert "Sarabun" in watched.page.evaluate("getComputedStyle(document.body).fontFamily")
    # a chapter from the home page, and an item from the chapter, by their links
    watched.visit(live_server_url + "/")
    watched.page.locator("main a[href^='/km/regulation-2564/committees/']").first.click()
    watched.page.wait_for_load_state("networkidle")
    watched.page.locator("main a[href^='/km/regulation-2564/committees/']").first.click()
    watched.page.wait_for_load_state("networkidle")
    assert "/km/regulation-2564/committees/" in watched.page.url
    # search suggestions (search/suggest.js) as the reader types
    watched.visit(live_server_url + "/search/")
    watched.page.locator("input[name=q]").first.press_sequentially("อพม", delay=50)
    watched.page.wait_for_timeout(800)
    assert watched.violations == []
    watched.close()


@pytest.fixture
def open_session(trainer_account, django_db_blocker):
    unit, user = trainer_account
    with django_db_blocker.unblock():
        session = TrainingSession.objects.create(
            title="อบรมทดสอบนโยบายความปลอดภัย", unit=unit, date=date(2026, 6, 1), trainer=user,
            pre_form=TestForm.objects.get(key="volunteer-pre-a"),
            post_form=TestForm.objects.get(key="volunteer-post-b"))
        session.set_phase(PRE, "open")
    return session


@pytest.mark.parametrize("javascript", [True, False], ids=["with-javascript", "without-javascript"])
def test_a_volunteer_takes_the_test_without_violations(live_server_url, browser, open_session, javascript):
    watched = Watched(browser, javascript=javascript, viewport={"width": 360, "height": 740}, is_mobile=True,
                      has_touch=True)
    page = watched.page
    watched.visit(f"{live_server_url}/j/")
    page.fill("input[name=code]", open_session.code)
    page.click("main button[type=submit]")
    page.fill("input[name=name]", "สมหญิง ทดสอบ")
    page.click("main button[type=submit]")
    assert page.locator("main a[href='/privacy/']").count() == 1
    page.click("button[name=agree][value=yes]")
    page.wait_for_url("**/test/")
    assert_strict_policy(page.context.request.get(page.url).headers)
    for fieldset in page.locator("fieldset.q").all():
        fieldset.locator("input[type=radio]").first.check()
    page.locator("main button[type=submit]").last.click()
    page.wait_for_url("**/result/pre/")
    assert "คะแนน" in page.inner_text("main")
    screenshot(page, f"csp-result-{'js' if javascript else 'nojs'}-phone")
    assert watched.violations == []
    watched.close()


def test_trainer_report_and_admin_pages_load_without_violations(live_server_url, browser, committed,
                                                               django_db_blocker):
    s = committed["session"]
    watched = Watched(browser, viewport={"width": 1280, "height": 800}, accept_downloads=True)
    page = watched.page
    watched.visit(f"{live_server_url}/accounts/login/?next=/trainer/")
    page.fill("input[name=username]", "rb-trainer")
    page.fill("input[name=password]", TRAINER_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/trainer/")
    for path in [f"/trainer/{s.pk}/", f"/trainer/{s.pk}/projector/", "/reports/", "/reports/provinces/น่าน/",
                 f"/reports/sessions/{s.pk}/", f"/reports/forms/{s.pre_form_id}/items/", "/tests/"]:
        watched.visit(live_server_url + path)
        assert_strict_policy(watched.headers)
    watched.visit(f"{live_server_url}/trainer/{s.pk}/projector/")
    page.wait_for_timeout(3500)  # the live counts poll every 3 s
    watched.visit(f"{live_server_url}/reports/sessions/{s.pk}/")
    page.get_by_role("button", name="Excel").click()
    page.get_by_role("link", name="ดาวน์โหลด").wait_for(timeout=60_000)
    with django_db_blocker.unblock():
        person = s.participants.order_by("pk").first()
    watched.visit(f"{live_server_url}/privacy/people/{person.pk}/")
    screenshot(page, "csp-privacy-person-desktop")
    assert watched.violations == []
    watched.close()

    with django_db_blocker.unblock():
        admin_user = get_user_model().objects.create_superuser("csp-admin", "csp@example.go.th", TRAINER_PASSWORD)
    try:
        watched = Watched(browser, viewport={"width": 1280, "height": 800})
        watched.visit(f"{live_server_url}/admin/login/")
        watched.page.fill("input[name=username]", "csp-admin")
        watched.page.fill("input[name=password]", TRAINER_PASSWORD)
        watched.page.click("input[type=submit]")
        watched.page.wait_for_url("**/admin/")
        for path in ["/admin/", "/admin/assessments/question/", "/admin/accounts/auditevent/",
                     "/admin/assessments/attempt/", f"/admin/assessments/trainingsession/{s.pk}/change/",
                     "/admin/knowledge/item/"]:
            watched.visit(live_server_url + path)
            assert_strict_policy(watched.headers)
        assert watched.violations == []
        watched.close()
    finally:
        with django_db_blocker.unblock():
            admin_user.delete()
