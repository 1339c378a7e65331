"""A training in a real room: links that phones on the room's network can open, the
trainer deciding when answers show, the projector's review of a closed test, and the
messages a phone gets on the way."""
import re

from django.test import Client, override_settings

from assessments.forms import CodeForm
from assessments.models import TrainingSession
from reports.models import Certificate
from volunteerkm.links import is_loopback
from volunteerkm.thai import fold_digits

from .helpers import correct_answers, join, read_test_page, submit_form

LAN = "192.168.1.20:8000"


@override_settings(ALLOWED_HOSTS=["192.168.1.20", "127.0.0.1", "testserver"])
def test_join_address_and_qr_follow_the_host_the_trainer_used(desk, session):
    page = desk.get(f"/trainer/{session.pk}/", HTTP_HOST=LAN).content.decode()
    assert f"http://{LAN}/j/{session.code}/" in page
    assert "โทรศัพท์ของผู้เข้าอบรมเปิดที่อยู่" not in page
    projector = desk.get(f"/trainer/{session.pk}/projector/", HTTP_HOST=LAN).content.decode()
    assert f"{LAN}/j/{session.code}/" in projector
    api = desk.get(f"/api/assessments/sessions/{session.code}", HTTP_HOST=LAN).json()
    assert api["join_url"] == f"http://{LAN}/j/{session.code}/"


def test_a_loopback_join_address_is_warned_about_in_thai(desk, session):
    page = desk.get(f"/trainer/{session.pk}/", HTTP_HOST="127.0.0.1:8000").content.decode()
    assert "โทรศัพท์ของผู้เข้าอบรมเปิดที่อยู่ http://127.0.0.1:8000/j/" in page and "HOST=0.0.0.0" in page
    assert is_loopback("http://localhost:8000/j/X/") and is_loopback("http://[::1]:8000/")
    assert not is_loopback("http://192.168.1.20:8000/") and not is_loopback("https://km.example.go.th/")


@override_settings(SITE_URL="https://km.example.go.th", SITE_URL_SET=True)
def test_site_url_when_set_wins_over_the_request(desk, session):
    page = desk.get(f"/trainer/{session.pk}/", HTTP_HOST="127.0.0.1:8000").content.decode()
    assert f"https://km.example.go.th/j/{session.code}/" in page and "โทรศัพท์ของผู้เข้าอบรมเปิด" not in page


def test_codes_are_refused_for_the_real_reason():
    form = CodeForm({"code": "ZZZZZZ"})
    assert not form.is_valid()
    message = form.errors["code"][0]
    assert "ไม่มีตัว Z" in message and "๖ ตัว" not in message
    short = CodeForm({"code": "ABC"})
    assert not short.is_valid() and "ที่กรอกมี ๓ ตัว" in short.errors["code"][0]


def test_a_post_test_only_participant_is_told_the_right_thing(session):
    session.set_phase("pre", "open")
    session.set_phase("pre", "close")
    session.set_phase("post", "open")
    phone = Client()
    join(phone, session, name="มาสาย ทันหลัง")
    page = read_test_page(phone, session)
    submit_form(phone, session, page, correct_answers(page["questions"]))
    waiting = phone.get(f"/j/{session.code}/test/").content.decode()
    assert "ครบทั้งก่อนและหลังอบรม" not in waiting and "มีเฉพาะผลหลังอบรม" in waiting


def test_answers_wait_for_the_close_unless_the_trainer_chose_self_study(session, phone_client):
    page = read_test_page(phone_client, session)
    submit_form(phone_client, session, page, correct_answers(page["questions"], wrong=3))
    result = phone_client.get(f"/j/{session.code}/result/pre/").content.decode()
    assert "๑๑ / ๑๔ คะแนน" in result and "คำตอบที่ถูก:" not in result and "poll." in result
    TrainingSession.objects.filter(pk=session.pk).update(reveal=TrainingSession.IMMEDIATELY)
    result = phone_client.get(f"/j/{session.code}/result/pre/").content.decode()
    assert result.count("คำตอบที่ถูก:") == 3 and "poll." not in result


def test_same_form_before_and_after_keeps_the_pre_test_key_until_the_post_test_closes(session, phone_client):
    TrainingSession.objects.filter(pk=session.pk).update(post_form=session.pre_form)
    session.refresh_from_db()
    page = read_test_page(phone_client, session)
    submit_form(phone_client, session, page, correct_answers(page["questions"], wrong=1))
    session.set_phase("pre", "close")
    assert not session.answers_revealed("pre")
    session.set_phase("post", "open")
    session.set_phase("post", "close")
    assert session.answers_revealed("pre")


def test_the_review_board_shows_shares_hardest_first_after_the_close(desk, session, phone_client):
    page = read_test_page(phone_client, session)
    submit_form(phone_client, session, page, correct_answers(page["questions"], wrong=2))
    other = Client()
    join(other, session, name="สมชาย ใจกล้า")
    page2 = read_test_page(other, session)
    submit_form(other, session, page2, correct_answers(page2["questions"], wrong=1))
    board = desk.get(f"/trainer/{session.pk}/review/pre/").content.decode()
    assert "ยังเปิดอยู่" in board and "✓" not in board
    closed = desk.post(f"/trainer/{session.pk}/phase/", {"kind": "pre", "action": "close", "next": "review"})
    assert closed["Location"] == f"/trainer/{session.pk}/review/pre/"
    board = desk.get(f"/trainer/{session.pk}/review/pre/", HTTP_HX_REQUEST="true").content.decode()
    numbers = [int(fold_digits(n)) for n in re.findall(r'<span class="num">ข้อ ([๐-๙]+)</span>', board)]
    assert len(numbers) == 14
    # Question 1 was wrong on both phones (0 %), question 2 on one (50 %): hardest first.
    assert numbers[:2] == [1, 2]
    shares = re.findall(r"ตอบถูก <strong>([๐-๙]+)%</strong>", board)
    assert shares[:3] == ["๐", "๕๐", "๑๐๐"] and board.count('<li class="right">') == 14


def test_most_improved_is_shown_after_the_post_test(desk, session, phone_client):
    page = read_test_page(phone_client, session)
    submit_form(phone_client, session, page, correct_answers(page["questions"], wrong=7))
    session.set_phase("post", "open")
    page = read_test_page(phone_client, session)
    submit_form(phone_client, session, page, correct_answers(page["questions"], wrong=0))
    session.set_phase("post", "close")
    board = desk.get(f"/trainer/{session.pk}/review/post/").content.decode()
    assert "ก้าวหน้ามากที่สุด" in board and "สมศรี ใจดี" in board and "+๕๐" in board


@override_settings(ALLOWED_HOSTS=["192.168.1.20", "testserver"])
def test_a_certificate_printed_from_the_room_points_to_the_room(session, phone_client):
    session.set_phase("post", "open")
    page = read_test_page(phone_client, session)
    submit_form(phone_client, session, page, correct_answers(page["questions"]))
    issued = phone_client.get(f"/j/{session.code}/certificate/", HTTP_HOST=LAN)
    cert = Certificate.objects.get()
    assert cert.verify_url("http://" + LAN) == f"http://{LAN}/c/{cert.token}/"
    assert issued["Location"] == f"/c/{cert.token}/"
    assert Client().get(f"/c/{cert.token}/", HTTP_HOST=LAN).status_code == 200
