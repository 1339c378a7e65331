"""Report pages: who may see what, and what the dashboards, session and item-analysis
pages show for the known data set (conftest.py; figures worked out in test_reports_queries)."""
import re

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Membership, Unit
from reports import sample
from volunteerkm.thai import thai_digits

pytestmark = pytest.mark.django_db


def test_reports_need_a_login(client):
    response = client.get("/reports/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/reports/")
    assert client.get("/reports/sessions/1/")["Location"].startswith("/accounts/login/")


def test_a_user_outside_every_unit_is_refused(client):
    client.force_login(get_user_model().objects.create_user("outsider"))
    assert client.get("/reports/").status_code == 403
    assert client.get("/reports/staff/").status_code == 403


def test_a_trainer_sees_their_own_unit_only(client, known, known_trainer):
    assert client.get(f"/reports/sessions/{known['s1'].pk}/").status_code == 200
    assert client.get(f"/reports/sessions/{known['s2'].pk}/").status_code == 403
    assert client.get("/reports/provinces/เชียงราย/").status_code == 200
    assert client.get("/reports/provinces/ตรัง/").status_code == 403
    html = client.get("/reports/").content.decode()
    assert 'href="/reports/provinces/%E0%B9%80%E0%B8%8A%E0%B8%B5%E0%B8%A2%E0%B8%87%E0%B8%A3%E0%B8%B2%E0%B8%A2/' in html
    assert ">ตรัง</th>" in html        # listed in the ranking, without a link
    item_page = client.get(f"/reports/forms/{known['post_f'].pk}/items/?session={known['s2'].pk}")
    assert item_page.status_code == 403


def test_a_member_of_a_national_unit_sees_everything(client, known):
    user = get_user_model().objects.create_user("executive")
    national = Unit.objects.create(code="rq-national", name="กอส.", kind=Unit.NATIONAL)
    Membership.objects.create(user=user, unit=national, role=Membership.EXECUTIVE)
    client.force_login(user)
    assert client.get(f"/reports/sessions/{known['s2'].pk}/").status_code == 200
    assert client.get("/reports/provinces/ตรัง/").status_code == 200


def test_a_regional_unit_sees_the_provinces_of_its_region(client, known):
    user = get_user_model().objects.create_user("region-officer")
    region = Unit.objects.create(code="rq-region-south", name="สำนักงานภาคใต้", kind=Unit.REGION, region="ภาคใต้")
    Membership.objects.create(user=user, unit=region)
    client.force_login(user)
    assert client.get(f"/reports/sessions/{known['s2'].pk}/").status_code == 200
    assert client.get(f"/reports/sessions/{known['s1'].pk}/").status_code == 403


def test_national_dashboard_shows_totals_ranking_and_weakest_chapters(client, known, km_team):
    html = client.get("/reports/").content.decode()
    # post mean 520/7 = 74.29 %, gain 160/7 = +22.86 points, g = 160/340 = 0.47, post pass 6/7 = 85.7 %
    for text in ("74.3%", "+22.9 จุด", "ความก้าวหน้า 47% ของส่วนที่ยังไม่รู้", "85.7%", "50.0% → 74.3%", "8 → 7"):
        assert thai_digits(text) in html, text  # Thai digits, as on every page
    assert html.index(">ตรัง</a>") < html.index(">เชียงราย</a>")   # 90 % before 68 %
    assert "<svg" in html and "การกระจายของคะแนน" in html
    chapter5 = known["versions"][4].chapter
    assert f'href="{chapter5.get_absolute_url()}"' in html and "ควรทบทวน" in html
    by_gain = client.get("/reports/?rank=mean_gain").content.decode()
    assert by_gain.index(">เชียงราย</a>") < by_gain.index(">ตรัง</a>")


def test_filters_take_fiscal_year_quarter_and_region(client, known, km_team):
    html = client.get("/reports/?fy=2569&q=3").content.decode()
    assert "ปีงบประมาณ ๒๕๖๙ ไตรมาส ๓" in html and ">ตรัง</a>" in html and ">เชียงราย</a>" not in html
    html = client.get("/reports/?region=ภาคเหนือ").content.decode()
    assert ">เชียงราย</a>" in html and ">ตรัง</a>" not in html
    # nonsense is ignored, not an error
    assert client.get("/reports/?fy=abc&q=9&region=<script>&rank=drop").status_code == 200


def test_province_page(client, known, km_team):
    html = client.get("/reports/provinces/เชียงราย/").content.decode()
    assert "ผลการอบรม จังหวัดเชียงราย" in html and "๔๐.๐% → ๖๘.๐%" in html
    assert f'href="/reports/sessions/{known["s1"].pk}/"' in html and "๕ มีนาคม พ.ศ. ๒๕๖๙" in html
    assert client.get("/reports/provinces/ไม่มีจังหวัดนี้/").status_code == 404


def test_session_page_shows_people_gain_and_test(client, known, km_team):
    html = client.get(f"/reports/sessions/{known['s1'].pk}/").content.decode()
    for text in ("ก้อง", "ฟ้า", "ยังไม่ทำหลังอบรม", "+28.0 จุด", "g = (หลัง − ก่อน) ÷ (100 − ก่อน) = 0.47",
                 "47% ของส่วนที่ยังไม่รู้", "p = 0.141", "40.0% → 68.0%", "4 คน (80.0%)", "การกระจายของคะแนน",
                 "ความรู้รายหมวด"):
        assert thai_digits(text) in html, text
    # Five people took both tests: a caution, not a verdict; technical names folded away.
    assert "ยังสรุปไม่ได้ (คนน้อยเกินไป)" in html and "มีผู้ทำครบทั้งก่อนและหลังอบรมเพียง ๕ คน" in html
    assert "ไม่แตกต่างอย่างมีนัยสำคัญ" not in html
    assert re.search(r"<details><summary>ชื่อและค่าทางสถิติ</summary><p>Wilcoxon signed-rank", html)
    assert f"/reports/forms/{known['post_f'].pk}/items/?session={known['s1'].pk}" in html
    assert "วุฒิบัตรผู้ผ่านเกณฑ์ ๔ คน" in html


def test_item_analysis_page_flags_questions(client, known, km_team):
    html = client.get(f"/reports/forms/{known['post_f'].pk}/items/?session={known['s1'].pk}&kind=post").content.decode()
    # KR-20 of the post-test of session 1: 0.576923 (test_reports_queries)
    # Five attempts: KR-20 (0.58) and discrimination are shown folded away, with a caution
    # instead of a verdict, and no question is flagged from so few.
    assert "KR-20) = ๐.๕๘ จาก ๕ ครั้ง" in html and "ยังสรุปไม่ได้" in html and "น้อยกว่า ๒๐ ครั้ง" in html
    assert "อยู่ในเกณฑ์ดี" not in html and "item-card bad" not in html and "ทุกคนตอบถูก" not in html
    whole = client.get(f"/reports/forms/{known['post_f'].pk}/items/?kind=post").content.decode()
    assert "๗ ครั้งที่ทำ" in whole


def test_staff_results_page(client, known, km_team):
    staff_f = sample.form("แบบทดสอบเจ้าหน้าที่", "staff", known["versions"], pass_mark=70)
    sample.record_attempt(staff_f, "staff", known["versions"], ["a", "a", "a", "b", "b"],
                          user_obj=sample.user("staff-a"), unit_obj=known["u1"])
    html = client.get("/reports/staff/").content.decode()
    assert "ผลการทดสอบความรู้เจ้าหน้าที่" in html and "พมจ.เชียงราย" in html and "๖๐.๐%" in html
    assert f"/reports/forms/{staff_f.pk}/items/?kind=staff" in html


def test_pages_without_data_say_so(client, km_team):
    assert "ยังไม่มีผลการทดสอบในช่วงเวลานี้" in client.get("/reports/?fy=2560").content.decode()


def test_session_without_post_test_yet(client, known, km_team):
    s = sample.session("ยังไม่สอบหลังอบรม", known["u1"], known["s1"].trainer, known["pre_f"], known["post_f"],
                       known["s1"].date)
    p = sample.participant(s, "คนเดียว")
    sample.record_attempt(known["pre_f"], "pre", known["versions"], ["a"] * 5, session_obj=s, participant_obj=p)
    html = client.get(f"/reports/sessions/{s.pk}/").content.decode()
    assert "คำนวณไม่ได้" in html and "คนเดียว" in html
    assert "วุฒิบัตรผู้ผ่านเกณฑ์" not in html


def test_api_gives_the_same_figures_as_the_pages(client, known, km_team):
    d = client.get("/api/analytics/dashboard?fy=2569").json()
    assert d["period"] == "ปีงบประมาณ ๒๕๖๙" and d["totals"]["trainings"] == 2
    assert d["totals"]["hake_g"] == pytest.approx(160 / 340)
    assert [p["province"] for p in d["provinces"]] == ["ตรัง", "เชียงราย"]
    s = client.get(f"/api/analytics/sessions/{known['s1'].pk}").json()
    assert s["paired"]["mean_gain"] == pytest.approx(28) and s["wilcoxon"]["w_plus"] == 9
    assert {p["name"] for p in s["people"]} == {"ก้อง", "ขวัญ", "คณิน", "ดวงใจ", "เอก", "ฟ้า"}
    items = client.get(f"/api/analytics/forms/{known['post_f'].pk}/items?session={known['s1'].pk}&kind=post").json()
    assert items["kr20"] == pytest.approx(0.576923, abs=1e-6) and items["items"][0]["flags"] == ["all_correct"]
    p = client.get("/api/analytics/provinces/เชียงราย?fy=2569").json()
    assert p["totals"]["post_mean"] == pytest.approx(68)
    schema = client.get("/api/openapi.json").json()
    assert "/api/analytics/dashboard" in schema["paths"] and "/api/certificates/{token}" in schema["paths"]


def test_api_follows_the_access_rules(client, known):
    assert client.get("/api/analytics/dashboard").status_code == 401
    client.force_login(known["s1"].trainer)
    assert client.get(f"/api/analytics/sessions/{known['s2'].pk}").status_code == 403
    assert client.get("/api/analytics/provinces/ตรัง").status_code == 403
    assert client.get(f"/api/analytics/sessions/{known['s1'].pk}").status_code == 200


def test_question_bank_flag_text_for_the_admin(known):
    from django.core.cache import cache

    from assessments.bankflags import question_flag_text
    cache.clear()
    unanswered = sample.question_bank("rq-unused", per_chapter=1, chapters=[7])[0]
    assert question_flag_text(unanswered.question_id) == "ยังไม่มีผู้ตอบ"
    assert question_flag_text(known["versions"][0].question_id) == "ข้อมูลยังไม่พอ (15 คำตอบ)"
    cache.clear()
