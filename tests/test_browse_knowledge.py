"""A person on a phone walks home → chapter → item → glossary on the real server; every
page passes axe-core's WCAG 2.1 AA rules and carries Open Graph tags."""
from urllib.parse import unquote

import pytest
from axe_playwright_python.sync_playwright import Axe

from .helpers import WCAG_AA, screenshot

pytestmark = pytest.mark.browser


def check_page(page, name):
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()
    assert page.locator('meta[property="og:title"]').get_attribute("content")
    assert page.locator('meta[property="og:description"]').get_attribute("content")
    assert page.evaluate("document.documentElement.lang") == "th"
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The Thai face is the shipped Sarabun, not a fallback.
    assert page.evaluate("document.fonts.check('16px Sarabun', 'อพม.')")
    screenshot(page, name)


def test_walk_home_chapter_item_glossary(phone_page, live_server_url):
    page = phone_page
    page.goto(live_server_url + "/")
    page.wait_for_load_state("networkidle")
    assert "ระเบียบ" in page.locator("h1").inner_text()
    assert page.locator("a.card").count() == 7
    assert page.locator("input[type=search]").is_visible()
    check_page(page, "01-home")

    page.get_by_role("link", name="หมวดที่ ๒").click()
    assert page.locator("h1").inner_text().startswith("หมวดที่ ๒")
    check_page(page, "02-chapter")

    page.locator("a.card", has_text="คุณสมบัติ").first.click()
    assert "คุณสมบัติ" in page.locator("h1").inner_text()
    assert "มีสัญชาติไทย" in page.locator("article").inner_text()
    assert "ปรับปรุงเมื่อ" in page.locator(".meta").inner_text()
    assert "พ.ศ." in page.locator(".meta").inner_text()
    check_page(page, "03-item")

    # An abbreviation in the item text links to its glossary entry.
    page.locator("article a.abbr").first.click()
    assert page.url.split("#")[0].endswith("/glossary/")
    anchor = unquote(page.url.split("#")[1])
    assert page.locator(f'dt[id="{anchor}"]').is_visible()
    check_page(page, "04-glossary")


def test_report_page_shows_the_twelve_fields(phone_page, live_server_url):
    phone_page.goto(live_server_url + "/km/regulation-2564/")
    assert phone_page.locator("section[id]").count() == 12
    assert "แสงทอง" in phone_page.locator("section#team").inner_text()
    check_page(phone_page, "05-report")


@pytest.mark.parametrize("path", ["/", "/glossary/", "/km/regulation-2564/"])
def test_pages_work_without_javascript(browser, live_server_url, path):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    response = page.goto(live_server_url + path)
    assert response.status == 200
    assert page.locator("main h1").inner_text()
    context.close()
