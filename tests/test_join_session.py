"""A volunteer's phone joins a session by code: name (and, if asked, phone or national ID
checked by its check digit) → consent → waiting room or test. Bad input gets a Thai
message and stores nothing; nothing is stored before consent."""
import re

import pytest
from django.test import Client

from assessments.forms import thai_id_is_valid
from assessments.models import Participant, QuestionVersion, TrainingSession
from volunteerkm.thai import thai_digits

from .helpers import join, make_session, read_test_page


def test_unknown_code_says_so_in_thai_and_stores_nothing(session):
    client = Client()
    response = client.get("/j/?code=XXXXXX")
    assert response.status_code == 404
    assert "ไม่พบการอบรมที่ใช้รหัส" in response.content.decode()
    response = client.get("/j/ZZZZZZ/")
    assert response.status_code == 404
    assert "ไม่พบการอบรมที่ใช้รหัส" in response.content.decode()
    response = client.post("/j/ZZZZZZ/", {"name": "สมศรี ใจดี"})
    assert response.status_code == 404
    assert not Participant.objects.exists()


def test_a_malformed_code_is_explained(session):
    response = Client().get("/j/?code=AB1")
    assert response.status_code == 400
    assert "รหัสเข้าร่วมมี ๖ ตัว" in response.content.decode()


def test_code_typed_in_lower_case_with_spaces_finds_the_session(session):
    typed = " ".join(session.code.lower()[i:i + 3] for i in (0, 3))
    response = Client().get("/j/", {"code": typed})
    assert response.status_code == 302 and response["Location"] == f"/j/{session.code}/"


def test_join_codes_have_no_look_alike_characters(unit, trainer):
    codes = {make_session(unit, trainer).code for _ in range(40)}
    assert len(codes) == 40
    assert all(len(c) == 6 and not set(c) & set("0O1IL2Z5S8BUV") for c in codes)


def test_name_then_consent_then_waiting_room(session):
    client = Client()
    page = client.get(f"/j/{session.code}/")
    assert page.status_code == 200 and "ชื่อ–นามสกุล" in page.content.decode()
    empty = client.post(f"/j/{session.code}/", {"name": "  "})
    assert empty.status_code == 400 and "กรุณากรอกชื่อ–นามสกุล" in empty.content.decode()
    consent = client.post(f"/j/{session.code}/", {"name": "สมศรี   ใจดี"})
    assert "การใช้ข้อมูลของคุณ" in consent.content.decode()
    assert not Participant.objects.exists(), "nothing is stored before the person agrees"
    response = join(client, session)
    assert response.status_code == 302 and response["Location"] == f"/j/{session.code}/test/"
    p = Participant.objects.get()
    assert p.name == "สมศรี ใจดี" and p.consent_at and not p.phone and not p.national_id_hash
    waiting = client.get(f"/j/{session.code}/test/")
    assert "กรุณารอผู้จัดอบรมเปิดแบบทดสอบก่อนอบรม" in waiting.content.decode()
    # Coming back to the join address goes straight on.
    assert client.get(f"/j/{session.code}/")["Location"] == f"/j/{session.code}/test/"


def test_declining_stores_nothing(session):
    client = Client()
    response = client.post(f"/j/{session.code}/", {"name": "สมชาย"})
    import re

    pending = re.search(r'name="pending" value="([^"]+)"', response.content.decode()).group(1)
    response = client.post(f"/j/{session.code}/consent/", {"pending": pending, "agree": "no"})
    assert "ไม่ได้บันทึกข้อมูลของคุณ" in response.content.decode()
    assert not Participant.objects.exists()


def test_a_forged_consent_token_stores_nothing(session):
    response = Client().post(f"/j/{session.code}/consent/", {"pending": "eyJuYW1lIjoiWCJ9:forged", "agree": "yes"})
    assert response.status_code == 302 and response["Location"] == f"/j/{session.code}/"
    assert not Participant.objects.exists()


def test_thai_id_check_digit():
    assert thai_id_is_valid("1101700230708")
    assert thai_id_is_valid("3100600445686")
    assert not thai_id_is_valid("1101700230705")
    assert not thai_id_is_valid("110170023070")


@pytest.mark.parametrize("typed,message", [
    ("1101700230705", "เลขตรวจสอบหลักสุดท้ายไม่ตรง"),
    ("11017002307", "ต้องเป็นตัวเลข ๑๓ หลัก"),
    ("", "กรุณากรอกเลขประจำตัวประชาชน"),
])
def test_a_wrong_national_id_is_refused_and_nothing_is_stored(unit, trainer, typed, message):
    s = make_session(unit, trainer, ask_for=TrainingSession.NATIONAL_ID)
    response = Client().post(f"/j/{s.code}/", {"name": "สมศรี ใจดี", "national_id": typed})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Participant.objects.exists()


def test_a_national_id_is_kept_only_as_a_hash_and_its_last_four_digits(unit, trainer):
    s = make_session(unit, trainer, ask_for=TrainingSession.NATIONAL_ID)
    client = Client()
    join(client, s, national_id="๑-๑๐๑๗-๐๐๒๓๐-๗๐-๘")  # Thai digits and dashes as people type them
    p = Participant.objects.get()
    assert p.national_id_last4 == "0708"
    assert len(p.national_id_hash) == 64 and "1101700230708" not in p.national_id_hash
    assert p.masked_id().endswith("07-08")
    values = [str(v) for v in Participant.objects.values().get().values()]
    assert not any("1101700230708" in v for v in values)


def test_phone_is_asked_only_when_the_session_asks(unit, trainer):
    s = make_session(unit, trainer, ask_for=TrainingSession.PHONE)
    client = Client()
    assert "เบอร์โทรศัพท์" in client.get(f"/j/{s.code}/").content.decode()
    bad = client.post(f"/j/{s.code}/", {"name": "สมศรี ใจดี", "phone": "12345"})
    assert bad.status_code == 400 and "เบอร์โทรศัพท์ต้องขึ้นต้นด้วย 0" in bad.content.decode()
    join(client, s, phone="081-234-5678")
    assert Participant.objects.get().phone == "0812345678"
    plain = make_session(unit, trainer)
    assert "เบอร์โทรศัพท์" not in Client().get(f"/j/{plain.code}/").content.decode()


def test_the_same_device_and_name_find_the_same_person_again(session):
    phone = Client()
    join(phone, session, device="device-token-aaaa-1111")
    again = Client()  # cookies lost, but the page's JavaScript still has the device token
    join(again, session, device="device-token-aaaa-1111")
    assert Participant.objects.count() == 1
    # Another person on the same shared phone is another participant.
    join(Client(), session, name="สมชาย ใจกล้า", device="device-token-aaaa-1111")
    assert Participant.objects.count() == 2


def test_everyone_sees_the_same_numbers_and_letters(session):
    """One numbering: the questions come in the form's order and the options in the
    editor's order lettered ก ข ค ง, on every phone; the number is the stored position."""
    session.set_phase("pre", "open")
    a, b = Client(), Client()
    join(a, session, name="คนที่หนึ่ง")
    join(b, session, name="คนที่สอง")
    first, again, other = read_test_page(a, session), read_test_page(a, session), read_test_page(b, session)
    assert first["questions"] == again["questions"] == other["questions"]
    assert len(first["questions"]) == 14
    form_order = [fq.question_id for fq in session.pre_form.form_questions.order_by("order", "id")]
    shown = QuestionVersion.objects.in_bulk([vid for vid, _ in first["questions"]])
    assert [shown[vid].question_id for vid, _ in first["questions"]] == form_order
    numbers = re.findall(r'<span class="num">ข้อ ([๐-๙]+)\.</span>', first["html"])
    assert numbers == [thai_digits(n) for n in range(1, 15)]  # Thai digits, as on every page
    mc = next(vid for vid, opts in first["questions"] if len(opts) > 2)
    assert [o["key"] for o in shown[mc].options] == next(opts for vid, opts in first["questions"] if vid == mc)
    assert '<b class="letter">ก.</b>' in first["html"] and '<b class="letter">ง.</b>' in first["html"]


def test_the_test_page_is_big_and_thai(session):
    session.set_phase("pre", "open")
    client = Client()
    join(client, session)
    html = read_test_page(client, session)["html"]
    assert 'lang="th"' in html
    assert "แบบทดสอบก่อนอบรม" in html and "ส่งคำตอบ" in html
    assert 'name="viewport"' in html
    assert "/static/assessments/take." in html
