"""PDPA: the privacy notice linked from the consent step; personal data erased after the
retention period while the anonymous scores stay in the reports (a command and a daily
task); a staff member exports one person's data and erases it on request, both audited."""
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from accounts.models import AuditEvent, audit
from assessments.models import Attempt, Participant
from privacy import tasks
from privacy.erasure import ERASED_NAME
from reports import certificates
from reports.models import Certificate
from reports.session_report import session_report

from .helpers import join

pytestmark = pytest.mark.django_db


def figures(session):
    """What the session report says, without names (people are listed by name, so the
    list of gains is compared as a set of values)."""
    r = session_report(session)
    paired = {**r["paired"], "gains": sorted(r["paired"]["gains"])}
    return [(k, r[k]["n"], r[k]["pct"], r[k]["passed"]) for k in ("pre", "post")], paired, r["wilcoxon"], r["sections"]


def age(participant, days):
    Participant.objects.filter(pk=participant.pk).update(joined_at=timezone.now() - timedelta(days=days))


# --- the notice -----------------------------------------------------------------------------

def test_the_consent_step_links_to_the_thai_privacy_notice(client, session, settings):
    settings.PARTICIPANT_RETENTION_DAYS = 365
    session.set_phase("pre", "open")
    consent = client.post(f"/j/{session.code}/", {"name": "สมศรี ใจดี"}).content.decode()
    assert 'href="/privacy/"' in consent
    notice = client.get("/privacy/").content.decode()
    assert "ประกาศความเป็นส่วนตัว" in notice and "๓๖๕ วัน" in notice
    assert "สำนักงานคณะกรรมการคุ้มครองข้อมูลส่วนบุคคล" in notice


# --- retention --------------------------------------------------------------------------------

def test_retention_erases_old_names_phones_and_id_hashes_and_keeps_the_scores(known, settings):
    settings.PARTICIPANT_RETENTION_DAYS = 730
    s1, people = known["s1"], known["people"]
    Participant.objects.filter(session=s1).update(phone="0812345678", national_id_hash="f" * 64,
                                                  national_id_last4="1234")
    for p in Participant.objects.filter(session=s1):
        age(p, 731)
    age(people["กานต์"], 100)  # of the other session, recent
    before = figures(s1)
    scores = sorted(Attempt.objects.filter(session=s1).values_list("participant_id", "kind", "score"))

    call_command("purge_personal_data", "--dry-run")
    assert Participant.objects.filter(session=s1, name="ก้อง").exists()  # a dry run changes nothing
    call_command("purge_personal_data")

    erased = Participant.objects.filter(session=s1)
    assert {(p.name, p.phone, p.national_id_hash, p.national_id_last4) for p in erased} == {(ERASED_NAME, "", "", "")}
    assert all(p.device == f"erased-{p.pk}" for p in erased)
    assert figures(s1) == before
    assert sorted(Attempt.objects.filter(session=s1).values_list("participant_id", "kind", "score")) == scores
    assert Participant.objects.get(pk=people["กานต์"].pk).name == "กานต์"
    event = AuditEvent.objects.get(action="privacy.retention")
    assert event.data == {"count": 6, "days": 730}
    # a second run has nothing left to do and records nothing
    call_command("purge_personal_data")
    assert AuditEvent.objects.filter(action="privacy.retention").count() == 1


def test_retention_zero_keeps_everything(known, settings):
    settings.PARTICIPANT_RETENTION_DAYS = 0
    for p in Participant.objects.all():
        age(p, 5000)
    call_command("purge_personal_data")
    assert not Participant.objects.filter(name=ERASED_NAME).exists()


def test_names_in_the_audit_log_of_merges_are_erased_with_the_person(known, settings):
    settings.PARTICIPANT_RETENTION_DAYS = 30
    s1 = known["s1"]
    audit("session.merge", unit=s1.unit, target=s1, message="รวมผู้เข้าอบรม 'ก้อง' เข้ากับ 'ขวัญ'")
    for p in Participant.objects.filter(session=s1):
        age(p, 31)
    call_command("purge_personal_data")
    message = AuditEvent.objects.get(action="session.merge").message
    assert "ก้อง" not in message and "ขวัญ" not in message and ERASED_NAME in message


def run_queued(task_path):
    """Run the queued tasks of `task_path` that are due with the database worker's own code."""
    worker = Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
                    max_tasks=None, worker_id="test-worker", excluded_queue_names=[])
    for result in DBTaskResult.objects.ready().filter(task_path=task_path):
        result.claim("test-worker")
        worker.run_task(result)


def test_the_daily_task_erases_and_queues_its_next_run(known, settings):
    settings.PARTICIPANT_RETENTION_DAYS = 30
    age(known["people"]["ก้อง"], 31)
    assert tasks.schedule() is True
    assert tasks.schedule() is False  # already queued: `make run` may run it every time

    run_queued("privacy.tasks.daily_retention")

    assert Participant.objects.get(pk=known["people"]["ก้อง"].pk).name == ERASED_NAME
    done = DBTaskResult.objects.get(status="SUCCESSFUL")
    assert done.return_value == 1
    following = DBTaskResult.objects.get(status="READY")
    assert timedelta(hours=23) < following.run_after - timezone.now() <= timedelta(days=1)
    assert not DBTaskResult.objects.ready().exists()  # not due yet


# --- one person's request -----------------------------------------------------------------------

@pytest.fixture
def same_person(known):
    """ขวัญ of session 1, the same phone number in another session of the same unit (the same
    person), and that number once more in another unit (not the trainer's to see)."""
    from reports import sample

    s1 = known["s1"]
    kwan = known["people"]["ขวัญ"]
    Participant.objects.filter(pk=kwan.pk).update(phone="0899999999")
    again = sample.session("อบรมทบทวน เชียงราย", s1.unit, s1.trainer, known["pre_f"], known["post_f"], s1.date)
    kwan_again = sample.participant(again, "ขวัญใจ")
    Participant.objects.filter(pk=kwan_again.pk).update(phone="0899999999")
    elsewhere = known["people"]["หทัย"]  # Trang: not the trainer's unit
    Participant.objects.filter(pk=elsewhere.pk).update(phone="0899999999")
    return kwan, kwan_again, elsewhere


def test_staff_export_one_persons_data_and_it_is_audited(client, known, same_person):
    kwan, kwan_again, elsewhere = same_person
    client.force_login(known["s1"].trainer)
    page = client.get(f"/privacy/people/{kwan.pk}/").content.decode()
    assert "ขวัญใจ" in page and "หทัย" not in page
    response = client.get(f"/privacy/people/{kwan.pk}/data.json")
    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    records = data["ผู้เข้าอบรม"]
    assert {r["ชื่อ"] for r in records} == {"ขวัญ", "ขวัญใจ"}
    kwan_data = next(r for r in records if r["ชื่อ"] == "ขวัญ")
    assert kwan_data["เบอร์โทรศัพท์"] == "0899999999"
    assert [a["คะแนน"] for a in kwan_data["ผลแบบทดสอบ"]] == [2, 2]
    assert len(kwan_data["ผลแบบทดสอบ"][0]["คำตอบ"]) == 5
    event = AuditEvent.objects.get(action="privacy.export")
    assert event.actor == known["s1"].trainer and sorted(event.data["participants"]) == sorted([kwan.pk, kwan_again.pk])


def test_the_trainer_session_page_links_each_person_to_their_data(client, known):
    client.force_login(known["s1"].trainer)
    html = client.get(f"/trainer/{known['s1'].pk}/").content.decode()
    assert f'href="/privacy/people/{known["people"]["ก้อง"].pk}/"' in html


def test_another_units_trainer_sees_nothing(client, known):
    client.force_login(known["s1"].trainer)  # Chiang Rai only
    other = known["people"]["กานต์"]  # Trang
    assert client.get(f"/privacy/people/{other.pk}/").status_code == 404
    assert client.get(f"/privacy/people/{other.pk}/data.json").status_code == 404
    assert client.post(f"/privacy/people/{other.pk}/erase/", {"confirm": "yes"}).status_code == 404
    assert Participant.objects.get(pk=other.pk).name == "กานต์"
    assert not AuditEvent.objects.filter(action__startswith="privacy.").exists()
    client.logout()
    assert client.get(f"/privacy/people/{other.pk}/").status_code == 302  # to the login page


def test_erasing_on_request_removes_the_person_everywhere_the_staff_member_sees(client, known, same_person):
    kwan, kwan_again, elsewhere = same_person
    s1 = known["s1"]
    client.force_login(s1.trainer)
    before = figures(s1)
    # without the confirmation box nothing happens
    client.post(f"/privacy/people/{kwan.pk}/erase/", {})
    assert Participant.objects.get(pk=kwan.pk).name == "ขวัญ"

    page = client.post(f"/privacy/people/{kwan.pk}/erase/", {"confirm": "yes"}, follow=True).content.decode()
    assert "ลบข้อมูลส่วนบุคคลแล้ว ๒ รายการ" in page
    for pk in (kwan.pk, kwan_again.pk):
        p = Participant.objects.get(pk=pk)
        assert (p.name, p.phone) == (ERASED_NAME, "")
    assert Participant.objects.get(pk=elsewhere.pk).name == "หทัย"  # another unit's record is not theirs to erase
    assert figures(s1) == before
    event = AuditEvent.objects.get(action="privacy.erase")
    assert "ขวัญ" not in event.message and sorted(event.data["participants"]) == sorted([kwan.pk, kwan_again.pk])


def test_erasing_revokes_the_persons_certificate_and_removes_its_name(client, known):
    s1 = known["s1"]
    issued = certificates.issue(s1)
    cert = next(c for c in issued if c.name == "คณิน")
    client.force_login(s1.trainer)
    client.post(f"/privacy/people/{cert.participant_id}/erase/", {"confirm": "yes"})
    cert.refresh_from_db()
    assert cert.name == ERASED_NAME and cert.revoked_at is not None
    assert "คณิน" not in client.get(cert.get_absolute_url()).content.decode()
    assert Certificate.objects.exclude(pk=cert.pk).filter(revoked_at__isnull=False).count() == 0


def test_a_person_who_joined_through_the_pages_can_be_erased(client, session, trainer):
    session.set_phase("pre", "open")
    phone = client.__class__()
    join(phone, session, name="มานี มีนา")
    p = Participant.objects.get(session=session)
    client.force_login(trainer)
    client.post(f"/privacy/people/{p.pk}/erase/", {"confirm": "yes"})
    p.refresh_from_db()
    assert p.name == ERASED_NAME
    # the phone's cookie no longer finds a person with a name
    assert "มานี" not in phone.get(f"/j/{session.code}/test/", follow=True).content.decode()
