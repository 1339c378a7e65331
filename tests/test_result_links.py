"""A volunteer who passes the post-test finds their certificate on the result page; one
who does not pass gets none; the trainer's session page leads to the full report."""
import re

from django.test import Client

from reports.models import Certificate

from .helpers import correct_answers, join, read_test_page, submit_form


def take_post_test(session, name, wrong):
    phone = Client()
    join(phone, session, name=name)
    page = read_test_page(phone, session)
    submit_form(phone, session, page, correct_answers(page["questions"], wrong=wrong))
    return phone, phone.get(f"/j/{session.code}/result/post/").content.decode()


def test_passing_the_post_test_links_to_the_certificate(session):
    session.set_phase("post", "open")
    phone, html = take_post_test(session, "สมศรี ใจดี", wrong=0)
    link = re.search(r'href="([^"]+)"[^>]*>ดูและดาวน์โหลดวุฒิบัตร', html)
    assert link, "ผู้ผ่านเกณฑ์ต้องเห็นลิงก์วุฒิบัตร"
    issued = phone.get(link.group(1))
    assert issued.status_code == 302 and issued["Location"].startswith("/c/")
    verify = Client().get(issued["Location"])
    assert verify.status_code == 200 and "สมศรี ใจดี" in verify.content.decode()

    other_phone, failed = take_post_test(session, "สมชาย ลองดู", wrong=10)
    assert "ยังไม่ผ่านเกณฑ์" in failed and "ดูและดาวน์โหลดวุฒิบัตร" not in failed
    assert other_phone.get(link.group(1)).status_code == 404
    assert Certificate.objects.filter(participant__name="สมชาย ลองดู").count() == 0


def test_trainer_session_page_links_to_the_report(session, trainer):
    client = Client()
    client.force_login(trainer)
    html = client.get(f"/trainer/{session.pk}/").content.decode()
    assert f'href="/reports/sessions/{session.pk}/"' in html
