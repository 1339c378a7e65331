"""A trainer of a unit opens a session, shows the projector page (code, QR, short URL, live
counts), opens and closes each phase, reads the paired results and fixes pairs. Trainers
see only their own unit's sessions."""
from django.test import Client

from accounts.models import AuditEvent
from assessments.models import Attempt, Participant, TestForm, TrainingSession

from .helpers import correct_answers, join, read_test_page


def take(client, session, wrong):
    page = read_test_page(client, session)
    data = {"ticket": page["ticket"], "key": page["key"]}
    data.update({f"a{v}": o for v, o in correct_answers(page["questions"], wrong=wrong).items()})
    assert client.post(f"/j/{session.code}/submit/", data).status_code == 302


def test_pages_need_a_login(session):
    for path in ("/trainer/", "/trainer/new/", f"/trainer/{session.pk}/", f"/trainer/{session.pk}/projector/"):
        response = Client().get(path)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_trainer_opens_a_session_for_their_unit(desk, unit):
    page = desk.get("/trainer/new/")
    assert page.status_code == 200 and "เปิดการอบรมใหม่" in page.content.decode()
    pre, post = TestForm.objects.get(key="volunteer-pre-a"), TestForm.objects.get(key="volunteer-post-b")
    settings = {"date_day": 2, "date_month": 3, "date_year": 2026, "time_limit": 20, "pass_mark": 70,
                "reveal": "after_close", "ask_for": "name"}
    bad = desk.post("/trainer/new/", {"title": "", "unit": unit.pk, "pre_form": pre.pk, "post_form": post.pk,
                                      **settings})
    assert bad.status_code == 400 and "กรุณาระบุชื่อการอบรม" in bad.content.decode()
    assert not TrainingSession.objects.exists()
    response = desk.post("/trainer/new/", {"title": "อบรม อพม. อำเภอเมือง", "unit": unit.pk, "pre_form": pre.pk,
                                           "post_form": post.pk, **settings})
    s = TrainingSession.objects.get()
    assert (s.date.isoformat(), s.time_limit, s.pass_mark, s.reveal) == ("2026-03-02", 20, 70, "after_close")
    assert response["Location"] == f"/trainer/{s.pk}/"
    assert s.unit == unit and len(s.code) == 6 and s.open_phase() is None
    assert AuditEvent.objects.filter(action="session.create").exists()


def test_a_trainer_cannot_open_a_session_for_another_unit(desk, other_unit_session):
    pre = TestForm.objects.get(key="volunteer-pre-a")
    response = desk.post("/trainer/new/", {"title": "แอบเปิด", "unit": other_unit_session.unit.pk, "date_day": 2,
                                           "date_month": 3, "date_year": 2026, "pre_form": pre.pk, "post_form": pre.pk,
                                           "pass_mark": 60, "reveal": "after_close", "ask_for": "name"})
    assert response.status_code == 400 and "เลือกได้เฉพาะหน่วยงานที่คุณสังกัด" in response.content.decode()
    assert TrainingSession.objects.count() == 1


def test_trainers_see_only_their_own_units_sessions(desk, session, other_unit_session):
    listing = desk.get("/trainer/").content.decode()
    assert session.code in listing and other_unit_session.code not in listing
    for path in ("/", "/projector/", "/counts/", "/qr.svg"):
        assert desk.get(f"/trainer/{other_unit_session.pk}{path}").status_code == 404
    response = desk.post(f"/trainer/{other_unit_session.pk}/phase/", {"kind": "pre", "action": "open"})
    assert response.status_code == 404
    other_unit_session.refresh_from_db()
    assert other_unit_session.open_phase() is None


def test_projector_page_shows_code_qr_short_url_and_live_counts(desk, session):
    html = desk.get(f"/trainer/{session.pk}/projector/").content.decode()
    assert session.code in html
    assert "<svg" in html and "คิวอาร์โค้ด" in html
    assert f"testserver/j/{session.code}/" in html
    assert f'hx-get="/trainer/{session.pk}/counts/"' in html and 'hx-trigger="every 3s"' in html
    svg = desk.get(f"/trainer/{session.pk}/qr.svg")
    assert svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    join(Client(), session, name="คนแรก")
    counts = desk.get(f"/trainer/{session.pk}/counts/").content.decode()
    assert "เข้าร่วมแล้ว</span><strong>๑</strong>" in counts


def test_phases_open_and_close_and_are_audited(desk, session):
    assert desk.post(f"/trainer/{session.pk}/phase/", {"kind": "pre", "action": "open"}).status_code == 302
    session.refresh_from_db()
    assert session.open_phase() == "pre"
    desk.post(f"/trainer/{session.pk}/phase/", {"kind": "post", "action": "open"})
    session.refresh_from_db()
    assert session.open_phase() == "post" and session.pre_closed_at is not None, "opening one closes the other"
    desk.post(f"/trainer/{session.pk}/phase/", {"kind": "post", "action": "close"})
    session.refresh_from_db()
    assert session.open_phase() is None
    assert desk.post(f"/trainer/{session.pk}/phase/", {"kind": "both", "action": "open"}).status_code == 400
    assert list(AuditEvent.objects.filter(unit=session.unit).order_by("id").values_list("action", flat=True)) == [
        "session.open", "session.open", "session.close"]


def test_results_pair_pre_and_post_and_the_trainer_fixes_pairs(desk, session):
    a, b = Client(), Client()
    session.set_phase("pre", "open")
    join(a, session, name="สมศรี ใจดี")
    join(b, session, name="สมชาย ใจกล้า")
    take(a, session, wrong=8)
    take(b, session, wrong=4)
    session.set_phase("post", "open")
    take(a, session, wrong=2)
    # สมชาย comes back on another phone: a second participant with the same name.
    c = Client()
    join(c, session, name="สมชาย  ใจกล้า")
    take(c, session, wrong=1)
    html = desk.get(f"/trainer/{session.pk}/").content.decode()
    assert "อาจเป็นคนเดียวกัน" in html
    somsri = Participant.objects.get(name="สมศรี ใจดี")
    pre, post = somsri.attempts.get(kind="pre"), somsri.attempts.get(kind="post")
    assert (pre.score, post.score) == (6, 12)
    assert "+๔๓%" in html  # 43% → 86%
    first, second = Participant.objects.filter(name__startswith="สมชาย").order_by("id")
    response = desk.post(f"/trainer/{session.pk}/merge/", {"keep": first.pk, "merge": second.pk})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.merged_into == first
    assert set(first.attempts.values_list("kind", flat=True)) == {"pre", "post"}
    html = desk.get(f"/trainer/{session.pk}/").content.decode()
    assert "อาจเป็นคนเดียวกัน" not in html
    assert "จับคู่ได้ ๒ คน" in html
    # Merging two people who both have a pre-test is refused, and changes nothing.
    response = desk.post(f"/trainer/{session.pk}/merge/", {"keep": somsri.pk, "merge": first.pk}, follow=True)
    assert "รวมกันไม่ได้" in response.content.decode()
    assert first.attempts.count() == 2 and somsri.attempts.count() == 2
    # Moving one attempt to a person who has none of that kind works; onto a clash it is refused.
    d = Client()
    join(d, session, name="สมหญิง ไม่ได้ทำ")
    lonely = Participant.objects.get(name="สมหญิง ไม่ได้ทำ")
    refused = desk.post(f"/trainer/{session.pk}/move/", {"attempt": post.pk, "to": first.pk}, follow=True)
    assert "ย้ายไม่ได้" in refused.content.decode()
    desk.post(f"/trainer/{session.pk}/move/", {"attempt": post.pk, "to": lonely.pk})
    assert Attempt.objects.get(pk=post.pk).participant == lonely
    assert AuditEvent.objects.filter(action="session.move_attempt").count() == 1
    assert AuditEvent.objects.filter(action="session.merge").count() == 1


def test_the_phone_follows_the_merge(desk, session):
    a = Client()
    session.set_phase("pre", "open")
    join(a, session, name="สมปอง")
    take(a, session, wrong=0)
    b = Client()
    join(b, session, name="สมปอง ดีใจ")
    first, second = Participant.objects.order_by("id")
    desk.post(f"/trainer/{session.pk}/merge/", {"keep": first.pk, "merge": second.pk})
    # The second phone now speaks for the merged person: it sees the pre-test as done.
    assert "คุณส่งแบบทดสอบก่อนอบรมแล้ว" in b.get(f"/j/{session.code}/test/").content.decode()


def test_trainer_api(desk, session, unit):
    listing = desk.get("/api/assessments/trainer/sessions").json()
    assert [s["code"] for s in listing] == [session.code]
    pre = TestForm.objects.get(key="volunteer-pre-a")
    created = desk.post("/api/assessments/trainer/sessions", {"title": "อบรมผ่าน API", "unit": unit.pk,
                                                              "date": "2026-04-01", "pre_form": pre.pk,
                                                              "post_form": pre.pk, "ask_for": "phone"},
                        content_type="application/json")
    assert created.status_code == 200, created.content
    sid = created.json()["id"]
    made = TrainingSession.objects.get(pk=sid)  # settings left out come from the forms
    assert (made.date.isoformat(), made.time_limit, made.pass_mark) == ("2026-04-01", pre.time_limit, pre.pass_mark)
    opened = desk.post(f"/api/assessments/trainer/sessions/{sid}/phase", {"kind": "pre", "action": "open"},
                       content_type="application/json")
    assert opened.json()["phase"] == "pre"
    assert desk.get(f"/api/assessments/trainer/sessions/{sid}/pairs").json() == []
    assert Client().get("/api/assessments/trainer/sessions").status_code == 401


def test_an_id_past_what_the_database_holds_is_refused_in_thai(desk, unit):
    before = TrainingSession.objects.count()
    refused = desk.post("/api/assessments/trainer/sessions", {"title": "อบรม", "unit": unit.pk, "date": "2026-04-01",
                                                              "pre_form": 2**70, "post_form": 2**70},
                        content_type="application/json")
    assert refused.status_code == 422 and "pre_form" in refused.content.decode()
    assert any("\u0e00" <= c <= "\u0e7f" for c in str(refused.json()["detail"]))
    assert TrainingSession.objects.count() == before


def test_trainers_log_in_on_the_sites_own_page(trainer):
    trainer.set_password("รหัสผ่านของผู้จัดอบรม-2569")
    trainer.save()
    client = Client()
    page = client.get("/accounts/login/?next=/trainer/")
    assert page.status_code == 200 and "เข้าสู่ระบบสำหรับเจ้าหน้าที่" in page.content.decode()
    wrong = client.post("/accounts/login/", {"username": "trainer-cm", "password": "ผิด", "next": "/trainer/"})
    assert "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง" in wrong.content.decode()
    ok = client.post("/accounts/login/", {"username": "trainer-cm", "password": "รหัสผ่านของผู้จัดอบรม-2569",
                                          "next": "/trainer/"})
    assert ok.status_code == 302 and ok["Location"] == "/trainer/"
