"""Shared fixtures: the seed KM loaded once into the test database, and the real server
(gunicorn, as `make run` starts it) for browser and HTTP tests."""
import os
import socket
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
CHROMIUM = "/usr/bin/chromium"
# Playwright's sync API keeps an event loop in the test thread once a browser is open;
# Django would then refuse the (truly synchronous) ORM calls of later tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker):
    """The test database holds the seed KM, committed, for every test and for the server.

    Set up here rather than by pytest-django's own fixture, which creates the database only
    when a collected test is marked django_db: server-only test files must work alone too."""
    from django.test.utils import setup_databases, teardown_databases

    with django_db_blocker.unblock():
        config = setup_databases(verbosity=0, interactive=False, aliases={"default"}, serialized_aliases=set())
        call_command("loadkm", str(CONTENT), verbosity=0)
        call_command("loadquestions", str(CONTENT / "questions"), verbosity=0)
    yield
    with django_db_blocker.unblock():
        try:
            teardown_databases(config, verbosity=0)
        except Exception as exc:  # a lingering server connection; the next run recreates the database
            warnings.warn(f"ลบฐานข้อมูลทดสอบไม่สำเร็จ: {exc!r}")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url_of_test_db():
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db.get('USER') or ''}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def gunicorn(**env):
    """gunicorn with two workers on the test database, `env` added to its environment;
    yields its address."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url_of_test_db(), "DEBUG": "false", **env}
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "volunteerkm.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("เซิร์ฟเวอร์ทดสอบไม่เริ่มทำงานภายใน 30 วินาที")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:  # a worker stuck on a busy machine
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture(scope="session")
def live_server_url(django_db_setup, django_db_blocker):
    """gunicorn with two workers on the test database."""
    yield from gunicorn()


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"ไม่พบ Chromium ที่ {CHROMIUM} (ติดตั้งด้วย apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run", "--disable-quic"],
        )
        yield b
        b.close()


@pytest.fixture
def phone(browser):
    """A small phone: 360 × 740 CSS pixels, touch, Thai locale."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="th-TH")
    page = context.new_page()
    yield page
    context.close()


SCREENSHOTS = ROOT / "var" / "screenshots"


def screenshot(page, name, full_page=True):
    """Keep a picture of what the user saw, for people to look at: the whole page, or just
    the screen (where a sticky bar sits as the phone shows it)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)


@pytest.fixture
def line_api(settings):
    """A LINE channel whose API is the local stand-in (outreach/line/standin.py); the test
    fails if the bot sent it anything the SDK's models or LINE's limits refuse."""
    from outreach.line.standin import StandIn

    from .line_helpers import SECRET, TOKEN

    with StandIn(token=TOKEN) as api:
        settings.LINE_CHANNEL_SECRET, settings.LINE_CHANNEL_ACCESS_TOKEN = SECRET, TOKEN
        settings.LINE_API_BASE = settings.LINE_API_DATA_BASE = api.url
        settings.LINE_BASIC_ID = "@volkm"
        yield api
    assert not api.problems, api.problems


@pytest.fixture
def run_task_worker():
    """Run the task queue's worker (`volunteerkm db_worker`, as `make run` starts it) on the
    test database until the queue is empty; `env` adds settings (e.g. the LINE stand-in)."""

    def run(**env):
        result = subprocess.run(
            [str(Path(sys.executable).parent / "volunteerkm"), "db_worker", "--batch", "--no-startup-delay",
             "--interval", "0.1"],
            cwd=ROOT, env={**os.environ, "DATABASE_URL": database_url_of_test_db(), **env},
            capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr[-2000:]
        return result

    return run


@pytest.fixture(scope="module")
def line_server(django_db_setup):
    """The real server with a LINE channel whose API is the local stand-in: (address, stand-in)."""
    from outreach.line.standin import StandIn

    from .line_helpers import SECRET, TOKEN

    with StandIn(token=TOKEN) as api:
        for url in gunicorn(LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN=TOKEN, LINE_API_BASE=api.url,
                            LINE_BASIC_ID="@volkm"):
            yield url, api
    assert not api.problems, api.problems
