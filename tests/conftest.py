"""The tests' fixtures: the seed KM loaded once into the test database, the real server
(gunicorn, as `make run` starts it) and Chromium for browser tests, and the people, sessions
and data sets the tests work with. Plain helpers are in helpers.py."""
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import warnings
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connections, models
from django.test import Client
from django_tasks_db.models import DBTaskResult

from accounts.models import AuditEvent, Membership, Unit
from assessments.models import POST, PRE, Attempt, Participant, Question, QuestionVersion, TestForm, TrainingSession
from reports import certificates, sample
from reports.models import Certificate, ExportJob, SectionSummary, SessionSummary

from .helpers import CONTENT, ROOT, TRAINER_PASSWORD, chosen, database_url_of_test_db, join, make_session

CHROMIUM = "/usr/bin/chromium"
# Playwright's sync API keeps an event loop in the test thread once a browser is open;
# Django would then refuse the (truly synchronous) ORM calls of later tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    """A test that drives Chromium or the real server is marked `browser`, so that
    `make test-fast` (-m "not browser") never starts them."""
    server_fixtures = {"browser", "live_server_url", "real_server", "stoppable_server"}
    for item in items:
        real = server_fixtures & set(item.fixturenames)
        if real and not item.get_closest_marker("browser"):
            raise pytest.UsageError(f"{item.nodeid} ใช้เบราว์เซอร์หรือเซิร์ฟเวอร์จริง ต้องมีเครื่องหมาย pytest.mark.browser")


@pytest.fixture(autouse=True)
def fresh_cache():
    """Every test starts with empty rate-limit counters (the cache is this process's memory
    unless REDIS_URL is set): the Django test client always comes from 127.0.0.1."""
    from django.core.cache import cache

    cache.clear()


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
            warnings.warn(f"ลบฐานข้อมูลทดสอบไม่สำเร็จ: {exc!r}", stacklevel=1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gunicorn(**env):
    """The server as `make run` starts it, on the test database: gunicorn with two workers
    and a task worker (`volunteerkm db_worker`) beside it, `env` added to their environment.
    Yields (url, gunicorn process, task worker process)."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url_of_test_db(), "DEBUG": "false", **env}
    bin_dir = Path(sys.executable).parent
    proc = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "volunteerkm.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    # Its worker takes the default queue only: news to LINE followers (queue "line") is run
    # by the tests that send it, with their own worker pointed at the LINE stand-in.
    worker = subprocess.Popen([str(bin_dir / "volunteerkm"), "db_worker", "--no-reload", "--queue-name", "default",
                               "--interval", "0.2",
                               "--no-startup-delay", "-v0"], cwd=ROOT, env=env)
    if not wait_for_port(port):
        proc.kill()
        worker.kill()
        pytest.fail("เซิร์ฟเวอร์ทดสอบไม่เริ่มทำงานภายใน 30 วินาที")
    # The first page a worker serves loads the search index and the caches; on a loaded
    # machine that may take longer than a browser test's own timeout, so it is done here.
    for _ in range(2):  # one request per worker, most likely
        urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=180).read()
    yield f"http://127.0.0.1:{port}", proc, worker
    for p in (proc, worker):
        p.terminate()
    for p in (proc, worker):
        try:
            p.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a loaded machine: do not leave it running
            p.kill()
            p.wait()


@pytest.fixture(scope="session")
def real_server(django_db_setup, django_db_blocker):
    yield from gunicorn()


@pytest.fixture(scope="session")
def live_server_url(real_server):
    return real_server[0]


def start_gunicorn(port: int) -> subprocess.Popen:
    """gunicorn alone (no task worker) with two workers on the test database, answering on ``port``."""
    env = {**os.environ, "DATABASE_URL": database_url_of_test_db(), "DEBUG": "false"}
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "volunteerkm.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--log-level", "warning"],
        cwd=ROOT, env=env,
    )
    if not wait_for_port(port):
        proc.kill()
        pytest.fail("เซิร์ฟเวอร์ทดสอบไม่เริ่มทำงานภายใน 30 วินาที")
    return proc


def wait_for_port(port, seconds=30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.2)
    return False


class StoppableServer:
    """A server of the test's own, which the test may stop and start again on the same port."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = start_gunicorn(self.port)

    def stop(self):
        """Stop at once, as a server that fails would (SIGQUIT: gunicorn's quick shutdown;
        SIGTERM waits for each worker's idle wait to end, up to 15 s)."""
        if self.proc:
            self.proc.send_signal(signal.SIGQUIT)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:  # a worker still serving a browser's open connection
                self.proc.kill()
                self.proc.wait(timeout=10)
            self.proc = None

    def start(self):
        if not self.proc:
            self.proc = start_gunicorn(self.port)


@pytest.fixture
def stoppable_server(django_db_setup):
    server = StoppableServer()
    yield server
    server.stop()


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


# Browser pages ------------------------------------------------------------------------

@pytest.fixture
def phone_page(browser):
    """A Playwright page on a small phone: 360 × 740 CSS pixels, touch, Thai locale."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True, locale="th-TH")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def orm_beside_playwright(monkeypatch):
    """Playwright's sync API keeps an event loop in this thread; the test's own database
    reads and writes are plain synchronous ORM calls, which Django then refuses unless told."""
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def committed_trainer(blocker, province, username):
    """A province office and its trainer (password TRAINER_PASSWORD), committed so the real
    server sees them; removed afterwards with everything the training stored."""
    with blocker.unblock():
        unit = Unit.objects.create(code=f"pmj-{username}", name=f"สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัด{province}",
                                   short_name=f"พมจ.{province}", province=province)
        user = get_user_model().objects.create_user(username, password=TRAINER_PASSWORD)
        Membership.objects.create(user=user, unit=unit)
    yield unit, user
    with blocker.unblock():
        from reports.models import SectionSummary, SessionSummary

        sessions = TrainingSession.objects.filter(unit=unit)
        attempts = Attempt.objects.filter(session__in=sessions)
        # What other apps made from these results (e.g. certificates) goes first.
        for rel in Attempt._meta.related_objects:
            if rel.on_delete is models.PROTECT and rel.related_model._meta.app_label != "assessments":
                rel.related_model.objects.filter(**{f"{rel.field.name}__in": attempts}).delete()
        SessionSummary.objects.filter(session__in=sessions).delete()
        SectionSummary.objects.filter(session__in=sessions).delete()
        attempts.delete()
        Participant.objects.filter(session__in=sessions).update(merged_into=None)
        Participant.objects.filter(session__in=sessions).delete()
        sessions.delete()
        AuditEvent.objects.filter(unit=unit).delete()
        unit.delete()
        user.delete()
        connections.close_all()  # so that the test database can be dropped at the end


@pytest.fixture
def trainer_account(orm_beside_playwright, live_server_url, django_db_blocker):
    """The trainer of Lampang, for the browser tests on the real server."""
    yield from committed_trainer(django_db_blocker, "ลำปาง", "trainer-lampang")


@pytest.fixture
def in_process_wsgi():
    """The Django application to call in this process (httpx's WSGITransport, schemathesis),
    inside the test's transaction: as Django's test client does, the database connection is
    not closed at the start and end of each request."""
    from django.core.wsgi import get_wsgi_application

    for request_signal in (request_started, request_finished):
        request_signal.disconnect(close_old_connections)
    yield get_wsgi_application()
    for request_signal in (request_started, request_finished):
        request_signal.connect(close_old_connections)


# A training room on the real server -------------------------------------------------------

@pytest.fixture
def room_server(django_db_setup):
    """`make run HOST=0.0.0.0` on the test database; the room's address allowed."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url_of_test_db(), "DEBUG": "false",
           "ALLOWED_HOSTS": "192.168.1.20,127.0.0.1,localhost", "SITE_URL": ""}
    proc = subprocess.Popen(["make", "run", "HOST=0.0.0.0", f"PORT={port}", "WORKERS=2"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    lines, listening = [], threading.Event()

    def read():  # keeps the pipe drained for as long as the server runs
        for line in proc.stdout:
            lines.append(line)
            if "Listening at: http://0.0.0.0:" in line:
                listening.set()

    threading.Thread(target=read, daemon=True).start()
    if not listening.wait(timeout=180):
        os.killpg(proc.pid, signal.SIGTERM)
        pytest.fail("make run ไม่เริ่มเซิร์ฟเวอร์:\n" + "".join(lines[-20:]))
    yield port
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=20)


@pytest.fixture
def room_trainer(orm_beside_playwright, django_db_blocker):
    """The trainer of Phrae, for the training room test."""
    yield from committed_trainer(django_db_blocker, "แพร่", "trainer-phrae")


# Training sessions through Django's test client -----------------------------------------

@pytest.fixture
def unit(db):
    return Unit.objects.create(code="pmj-chiangmai", name="สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดเชียงใหม่",
                               short_name="พมจ.เชียงใหม่", kind=Unit.PROVINCE, province="เชียงใหม่", region="เหนือ")


@pytest.fixture
def trainer(unit):
    user = get_user_model().objects.create_user("trainer-cm")  # tests log in with force_login
    Membership.objects.create(user=user, unit=unit, role=Membership.TRAINER)
    return user


@pytest.fixture
def session(unit, trainer):
    """A session of the Chiang Mai office on the seed forms, asking for a name only."""
    return make_session(unit, trainer)


@pytest.fixture
def phone_client(session):
    """Django's test client as a volunteer's phone that has joined the session, with the
    pre-test open."""
    session.set_phase("pre", "open")
    client = Client()
    join(client, session)
    return client


@pytest.fixture
def open_test(session):
    """A phone joined through the API with the pre-test open: (client, code, ticket,
    {question id: option keys})."""
    phone = Client()
    session.set_phase("pre", "open")
    api = f"/api/assessments/sessions/{session.code}"
    joined = phone.post(f"{api}/join", {"name": "สมศรี ใจดี", "consent": True, "device": "fuzz-device-0001"},
                        content_type="application/json").json()
    test = phone.get(f"{api}/test", HTTP_X_PARTICIPANT=joined["participant_token"]).json()
    options = {str(q["id"]): [o["key"] for o in q["options"]] for q in test["questions"]}
    return phone, session.code, test["ticket"], options


@pytest.fixture
def desk(trainer):
    """The trainer's own computer: a test client logged in as the trainer."""
    client = Client()
    client.force_login(trainer)
    return client


@pytest.fixture
def other_unit_session(db):
    """A session of another province office (Nan), with its own trainer."""
    unit = Unit.objects.create(code="pmj-nan", name="สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดน่าน",
                               short_name="พมจ.น่าน", province="น่าน")
    user = get_user_model().objects.create_user("trainer-nan")
    Membership.objects.create(user=user, unit=unit)
    return make_session(unit, user)


@pytest.fixture
def staff(unit):
    """A test client logged in as a staff member of the unit (the user is client.user)."""
    user = get_user_model().objects.create_user("staff-cm")
    Membership.objects.create(user=user, unit=unit, role=Membership.STAFF)
    client = Client()
    client.force_login(user)
    client.user = user
    return client


# Reports --------------------------------------------------------------------------------

# The known data set. Five questions, one on each of chapters 1–5 (right option "a").
# 1 = right, 0 = wrong. The report tests' expected figures are worked out from these.
PRE_ANSWERS = {
    "ก้อง": [1, 0, 0, 0, 0],   # 1/5 = 20 %
    "ขวัญ": [1, 1, 0, 0, 0],   # 2/5 = 40 %
    "คณิน": [1, 1, 1, 0, 0],   # 3/5 = 60 %
    "ดวงใจ": [1, 1, 1, 1, 0],  # 4/5 = 80 %
    "เอก": [0, 0, 0, 0, 0],    # 0/5 =  0 %
    "ฟ้า": [1, 0, 1, 0, 0],    # 2/5 = 40 %  (no post-test)
}
POST_ANSWERS = {
    "ก้อง": [1, 1, 1, 1, 0],   # 80 %
    "ขวัญ": [1, 1, 0, 0, 0],   # 40 %
    "คณิน": [1, 1, 1, 1, 1],   # 100 %
    "ดวงใจ": [1, 1, 1, 0, 0],  # 60 %
    "เอก": [1, 1, 1, 0, 0],    # 60 %
}
# A second province: two people.
PRE_2 = {"กานต์": [1, 1, 1, 0, 0], "หทัย": [1, 1, 1, 1, 1]}     # 60 %, 100 %
POST_2 = {"กานต์": [1, 1, 1, 1, 1], "หทัย": [1, 1, 1, 1, 0]}    # 100 %, 80 %


@pytest.fixture
def known(db):
    """The known data set above: sessions s1 (Chiang Rai, u1) and s2 (Trang, u2) with one
    trainer, on the forms pre_f and post_f."""
    versions = sample.question_bank("rq", per_chapter=1, chapters=[1, 2, 3, 4, 5])
    pre_f = sample.form("ก่อนอบรม", PRE, versions, pass_mark=60)
    post_f = sample.form("หลังอบรม", POST, versions, pass_mark=60)
    u1 = sample.unit("rq-north", "พมจ.เชียงราย", "เชียงราย", "ภาคเหนือ")
    u2 = sample.unit("rq-south", "พมจ.ตรัง", "ตรัง", "ภาคใต้")
    trainer = sample.user("rq-trainer", [u1])
    s1 = sample.session("อบรม อพม. เชียงราย", u1, trainer, pre_f, post_f, date(2026, 3, 5))
    s2 = sample.session("อบรม อพม. ตรัง", u2, trainer, pre_f, post_f, date(2026, 4, 9))
    people = {}
    for s, pre, post in ((s1, PRE_ANSWERS, POST_ANSWERS), (s2, PRE_2, POST_2)):
        for name, pattern in pre.items():
            p = people[name] = sample.participant(s, name)
            sample.record_attempt(pre_f, PRE, versions, chosen(versions, pattern), session_obj=s, participant_obj=p)
            if name in post:
                sample.record_attempt(post_f, POST, versions, chosen(versions, post[name]), session_obj=s,
                                      participant_obj=p)
    return {"versions": versions, "s1": s1, "s2": s2, "u1": u1, "u2": u2, "pre_f": pre_f, "post_f": post_f,
            "people": people}


@pytest.fixture
def known_trainer(client, known):
    """The known data set's trainer, logged in on `client`: a member of the Chiang Rai unit only."""
    client.force_login(known["s1"].trainer)
    return known["s1"].trainer


@pytest.fixture
def km_team(client):
    """A KM team member (staff, in no unit), logged in on `client`."""
    user = get_user_model().objects.create_user("km-team", password="x", is_staff=True)
    client.force_login(user)
    return user


@pytest.fixture(scope="module")
def committed(django_db_setup, django_db_blocker):
    """A session in Nan with 30 people's pre- and post-tests and one certificate, committed
    so the real server sees them (its trainer "rb-trainer" has password TRAINER_PASSWORD);
    removed after the module."""
    with django_db_blocker.unblock():
        rng = random.Random(7)
        versions = sample.question_bank("rb", per_chapter=2)
        pre_f = sample.form("แบบทดสอบก่อนอบรม (ทดสอบเบราว์เซอร์)", PRE, versions)
        post_f = sample.form("แบบทดสอบหลังอบรม (ทดสอบเบราว์เซอร์)", POST, versions)
        unit = sample.unit("rb-nan", "สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัดน่าน", "น่าน", "ภาคเหนือ")
        trainer = sample.user("rb-trainer", [unit], first_name="ผู้จัด", last_name="น่าน")
        trainer.set_password(TRAINER_PASSWORD)
        trainer.save()
        s = sample.session("อบรมทบทวนความรู้ระเบียบฯ อพม. จังหวัดน่าน", unit, trainer, pre_f, post_f, date(2026, 6, 12))
        for i in range(30):
            p = sample.participant(s, f"ผู้เข้าอบรม {i + 1:02d}")
            pre = rng.randint(3, 9)
            sample.record_attempt(pre_f, PRE, versions, sample.chosen_for(versions, pre, rng), session_obj=s,
                                  participant_obj=p)
            sample.record_attempt(post_f, POST, versions, sample.chosen_for(versions, min(14, pre + rng.randint(0, 6)),
                                                                             rng), session_obj=s, participant_obj=p)
        cert = certificates.issue(s)[0]
        yield {"session": s, "trainer": trainer, "cert": cert}
        # remove everything this module committed, children first
        jobs = [str(pk) for pk in ExportJob.objects.filter(user=trainer).values_list("pk", flat=True)]
        DBTaskResult.objects.filter(pk__in=[t.pk for t in DBTaskResult.objects.filter(task_path="reports.jobs.export")
                                            if t.args_kwargs["args"][0] in jobs]).delete()
        ExportJob.objects.filter(user=trainer).delete()
        Certificate.objects.filter(session=s).delete()
        SessionSummary.objects.filter(session=s).delete()
        SectionSummary.objects.filter(session=s).delete()
        Attempt.objects.filter(session=s).delete()
        Participant.objects.filter(session=s).delete()
        TrainingSession.objects.filter(pk=s.pk).delete()
        TestForm.objects.filter(pk__in=[pre_f.pk, post_f.pk]).delete()
        QuestionVersion.objects.filter(question__key__startswith="rb-").delete()
        Question.objects.filter(key__startswith="rb-").delete()
        trainer.delete()
        Unit.objects.filter(pk=unit.pk).delete()
        connections.close_all()


# Editors and content files --------------------------------------------------------------

@pytest.fixture
def editor(client):
    """A superuser, logged in on `client`."""
    user = get_user_model().objects.create_superuser("editor", "editor@example.go.th", "รหัสผ่านยาว-12345")
    client.force_login(user)
    return user


@pytest.fixture
def editor_client(db):
    """A test client of its own, logged in as a superuser."""
    client = Client()
    client.force_login(get_user_model().objects.create_superuser("editor"))
    return client


@pytest.fixture
def content_copy(tmp_path):
    """A copy of the content files to break."""
    copy = tmp_path / "content"
    shutil.copytree(CONTENT, copy)
    return copy


@pytest.fixture
def bank_copy(tmp_path):
    """A copy of the question bank files to break."""
    copy = tmp_path / "questions"
    shutil.copytree(CONTENT / "questions", copy)
    return copy


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
             "--queue-name", "*", "--interval", "0.1"],
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
        for url, *_ in gunicorn(LINE_CHANNEL_SECRET=SECRET, LINE_CHANNEL_ACCESS_TOKEN=TOKEN, LINE_API_BASE=api.url,
                            LINE_BASIC_ID="@volkm"):
            yield url, api
    assert not api.problems, api.problems
