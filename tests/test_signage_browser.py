"""Signage in Chromium at 1920×1080 against the real server: large type, every card fits,
the cards advance by themselves, an edit shows after the next refresh, and when the
server stops the screen keeps turning the cards it has and says it is offline."""
import pytest
from django.db import connections
from playwright.sync_api import expect

from knowledge.models import Item

from .helpers import screenshot

pytestmark = pytest.mark.browser

CURRENT_KEY = "document.querySelector('#deck .slide.current').dataset.key"
# (expect, not wait_for_function: the page's CSP forbids the eval that polling a string needs)
CURRENT = "#deck .slide.current"


@pytest.fixture
def screen(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="th-TH")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def edited_item(orm_beside_playwright, django_db_blocker):
    """An item whose title the test changes on the server's database; put back afterwards."""
    with django_db_blocker.unblock():
        item = Item.objects.published().get(slug="code-of-ethics")
        original = item.title
    yield item
    with django_db_blocker.unblock():
        item.title = original
        item.save()
        connections.close_all()  # so that the test database can be dropped at the end


def test_every_card_is_large_and_fits_the_screen(screen, live_server_url):
    screen.goto(f"{live_server_url}/signage/?seconds=600")
    sizes = screen.evaluate("""() => ['body', '.slide.current .slide-points li', '.slide.current .slide-lead']
        .map(s => document.querySelector(s)).filter(Boolean).map(e => parseFloat(getComputedStyle(e).fontSize))""")
    assert min(sizes) >= 36
    screenshot(screen, "signage-1920", full_page=False)
    overflowing = screen.evaluate("""() => {
        const slides = [...document.querySelectorAll('#deck .slide')];
        const bad = [];
        for (const slide of slides) {
            slides.forEach(s => s.classList.toggle('current', s === slide));
            const text = slide.querySelector('.slide-text');
            if (text.scrollHeight > text.clientHeight + 1 || text.scrollWidth > text.clientWidth + 1)
                bad.push(slide.dataset.key);
        }
        return [slides.length, bad];
    }""")
    assert overflowing[0] >= 15 and overflowing[1] == []


def test_signage_advances_refreshes_and_survives_a_server_stop(stoppable_server, screen, edited_item,
                                                               django_db_blocker):
    # (the server is asked for first, so the browser closes before the server stops)
    screen.goto(f"{stoppable_server.url}/signage/?chapters=6,7&seconds=3&refresh=4")
    first = screen.evaluate(CURRENT_KEY)
    expect(screen.locator(CURRENT)).not_to_have_attribute("data-key", first, timeout=10_000)  # advanced by itself

    with django_db_blocker.unblock():
        edited_item.title = "จรรยาบรรณของ อพม. ฉบับปรับปรุงบนป้าย"
        edited_item.save()
    # refreshed without reloading the page
    expect(screen.locator("#deck")).to_contain_text("ฉบับปรับปรุงบนป้าย", timeout=15_000)
    assert screen.locator("#signage-offline").is_hidden()

    stoppable_server.stop()
    screen.wait_for_selector("#signage-offline", state="visible", timeout=20_000)
    assert "ขาดการเชื่อมต่อ" in screen.inner_text("#signage-offline")
    shown = screen.evaluate(CURRENT_KEY)
    expect(screen.locator(CURRENT)).not_to_have_attribute("data-key", shown, timeout=10_000)  # still turning the cards
    assert "ฉบับปรับปรุงบนป้าย" in screen.text_content("#deck")  # the last good content is kept
    assert screen.locator("#deck .slide").count() >= 2
    screenshot(screen, "signage-offline", full_page=False)

    stoppable_server.start()  # its workers load the Thai dictionary on their first request: give them time
    screen.wait_for_selector("#signage-offline", state="hidden", timeout=60_000)
