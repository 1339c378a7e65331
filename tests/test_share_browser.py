"""The share buttons in Chromium on the real server: on a phone and on a desktop, with
and without JavaScript; the copy button puts the page's address on the clipboard, the QR
code opens in <details>, the page passes axe-core's WCAG 2.1 AA rules."""
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .helpers import WCAG_AA, screenshot

pytestmark = pytest.mark.browser

ITEM = "/km/regulation-2564/volunteers/application/"


def open_qr(page):
    page.get_by_text("คิวอาร์โค้ดของหน้านี้").click()
    qr = page.locator(".share-qr img")
    qr.wait_for(state="visible")
    # (not wait_for_function: the page's CSP forbids the eval that polling a string needs)
    expect(qr).to_have_js_property("complete", True)
    assert qr.evaluate("img => img.naturalWidth") > 0
    return qr


def test_share_buttons_on_a_phone_copy_the_address(browser, live_server_url):
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="th-TH")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server_url)
    page = context.new_page()
    page.goto(live_server_url + ITEM)
    share = page.locator("section.share")
    line = share.get_by_role("link", name="ส่งทาง LINE").get_attribute("href")
    assert line.startswith("https://line.me/R/share?text=")
    assert share.get_by_role("link", name="แชร์ทาง Facebook").get_attribute("href").startswith(
        "https://www.facebook.com/sharer/sharer.php?u=")
    page.get_by_role("button", name="คัดลอกลิงก์").click()
    expect(page.locator(".share-status")).to_have_text("คัดลอกลิงก์แล้ว วางในแชตหรือโพสต์ได้เลย")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == live_server_url + ITEM
    open_qr(page)
    results = Axe().run(page, options=WCAG_AA)
    assert results.violations_count == 0, results.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    share.scroll_into_view_if_needed()
    screenshot(page, "share-item-360")
    context.close()


def test_share_buttons_on_a_desktop(browser, live_server_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="th-TH")
    page = context.new_page()
    page.goto(live_server_url + ITEM)
    open_qr(page)
    screenshot(page, "share-item-desktop")
    context.close()


def test_share_buttons_work_without_javascript(browser, live_server_url):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server_url + ITEM)
    assert page.locator(".share-copy-button").is_hidden()  # nothing that would not work
    assert page.locator("#share-url").input_value() == live_server_url + ITEM
    assert page.get_by_role("link", name="ส่งทาง LINE").is_visible()
    assert open_qr(page).is_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="ดาวน์โหลดคิวอาร์โค้ด (PNG)").click()
    assert download.value.suggested_filename.startswith("qr-item-")
    context.close()
