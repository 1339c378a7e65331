"""Session, province and national figures computed from stored attempts, checked against
numbers worked out by hand for a small known data set (the `known` fixture in conftest.py;
working in the comments)."""
from datetime import date

import pytest

from assessments.bankflags import question_flags
from assessments.models import POST, PRE, STAFF, Attempt, TrainingSession
from reports import sample
from reports.dashboards import national_dashboard, province_report
from reports.item_analysis import item_analysis_for
from reports.models import SessionSummary
from reports.periods import Period
from reports.session_report import session_report
from reports.staff_results import staff_results
from reports.summaries import refresh_summaries

from .helpers import chosen

pytestmark = pytest.mark.django_db


def test_session_pre_and_post_description(known):
    r = session_report(known["s1"])
    # pre: 20 40 60 80 0 40 → mean 240/6 = 40, median of 0 20 40 40 60 80 = 40; ≥ 60 %: 2 of 6
    assert r[PRE]["n"] == 6 and r[PRE]["pct"]["mean"] == pytest.approx(40) and r[PRE]["pct"]["median"] == 40
    assert r[PRE]["passed"] == 2 and r[PRE]["pass_rate"] == pytest.approx(2 / 6)
    # post: 80 40 100 60 60 → mean 68, median 60; passed 4 of 5
    assert r[POST]["n"] == 5 and r[POST]["pct"]["mean"] == pytest.approx(68) and r[POST]["pct"]["median"] == 60
    assert r[POST]["pass_rate"] == pytest.approx(0.8)
    assert r[PRE]["hist"] == [1, 0, 1, 0, 2, 0, 1, 0, 1, 0]
    assert r[POST]["hist"] == [0, 0, 0, 0, 1, 0, 2, 0, 1, 1]


def test_session_paired_gain_hake_and_wilcoxon(known):
    r = session_report(known["s1"])
    p = r["paired"]
    # pairs ก้อง ขวัญ คณิน ดวงใจ เอก: gains +60 0 +40 −20 +60 → mean 28, median 40
    assert p["n"] == 5 and p["mean_gain"] == pytest.approx(28) and p["median_gain"] == 40
    # paired means 40 → 68: g = 28 / 60
    assert p["hake_g"] == pytest.approx(28 / 60)
    # individual g: .75, 0, 1, −1, .6 → mean 0.27
    assert p["mean_g"] == pytest.approx(0.27)
    assert (p["improved"], p["same"], p["worse"]) == (3, 1, 1)
    # nonzero d 60 40 −20 60 → W+ 9, W− 1, tied → normal approximation p = 0.140773
    w = r["wilcoxon"]
    assert (w["w_plus"], w["w_minus"], w["n_nonzero"]) == (9, 1, 4)
    assert w["pvalue"] == pytest.approx(0.140773, abs=1e-6)
    people = {x["name"]: x for x in r["people"]}
    assert people["ฟ้า"]["post"] is None and people["ฟ้า"]["gain"] is None
    assert people["ก้อง"]["g"] == pytest.approx(0.75) and people["ดวงใจ"]["gain"] == pytest.approx(-20)
    assert r["certificates_due"] == 4


def test_session_chapter_mastery_and_weakest_chapters_link_to_items(known):
    sections = {s["section"]: s for s in session_report(known["s1"])["sections"]}
    # pre: ch1 5/6, ch2 3/6, ch3 3/6, ch4 1/6, ch5 0/6
    assert sections["1"]["pre"] == pytest.approx(500 / 6) and sections["4"]["pre"] == pytest.approx(100 / 6)
    assert sections["5"]["pre"] == 0
    # post: ch1 5/5, ch2 5/5, ch3 4/5, ch4 2/5, ch5 1/5
    assert [sections[k]["post"] for k in "12345"] == [100, 100, 80, 40, 20]
    assert [k for k in "12345" if sections[k]["weak"]] == ["3", "4", "5"]
    weak = sections["5"]
    assert weak["items"] and all(i["url"].startswith("/km/") for i in weak["items"])
    assert weak["url"].startswith("/km/") and weak["label"] == "หมวดที่ ๕"


def test_national_dashboard_adds_up_the_session_summaries(known):
    d = national_dashboard()
    t = d["totals"]
    assert t["trainings"] == 2
    # pre 8 people: (240 + 160) / 8 = 50 %; post 7 people: (340 + 180) / 7
    assert t["pre_n"] == 8 and t["pre_mean"] == pytest.approx(50)
    assert t["post_n"] == 7 and t["post_mean"] == pytest.approx(520 / 7)
    # 7 pairs: pre mean 360/7, post 520/7 → gain 160/7, g = 160/340
    assert t["pair_n"] == 7 and t["mean_gain"] == pytest.approx(160 / 7)
    assert t["hake_g"] == pytest.approx(160 / 340)
    # individual g: 1.35 from the first session, 1 for กานต์, none for หทัย (already 100 %) → 2.35 / 6
    assert t["mean_g"] == pytest.approx(2.35 / 6)
    assert t["pre_pass_rate"] == pytest.approx(4 / 8) and t["post_pass_rate"] == pytest.approx(6 / 7)
    assert [p["province"] for p in d["provinces"]] == ["ตรัง", "เชียงราย"]   # post 90 % before 68 %
    assert d["provinces"][0]["rank"] == 1 and d["provinces"][1]["post_mean"] == pytest.approx(68)
    # post mastery ch3 (4+2)/7, ch4 (2+2)/7, ch5 (1+1)/7
    sections = {s["section"]: s for s in d["sections"]}
    assert sections["3"]["post"] == pytest.approx(600 / 7) and sections["5"]["post"] == pytest.approx(200 / 7)
    assert [s["section"] for s in d["weakest"]] == ["3", "4", "5"]
    assert sum(t["hist_pre"]) == 8 and sum(t["hist_post"]) == 7


def test_ranking_by_gain_and_filter_by_region_and_fiscal_year(known):
    by_gain = national_dashboard(rank_by="mean_gain")["provinces"]
    # เชียงราย +28, ตรัง (100−60 + 80−100)/2 = +10
    assert [p["province"] for p in by_gain] == ["เชียงราย", "ตรัง"]
    assert by_gain[1]["mean_gain"] == pytest.approx(10)
    south = national_dashboard(region="ภาคใต้")
    assert south["totals"]["trainings"] == 1 and south["totals"]["pre_n"] == 2
    fy = Period.fiscal(2569)            # 1 Oct 2025 – 30 Sep 2026
    assert (fy.start, fy.end) == (date(2025, 10, 1), date(2026, 9, 30))
    assert national_dashboard(fy)["totals"]["trainings"] == 2
    q3 = Period.fiscal(2569, 3)         # April – June 2026
    assert (q3.start, q3.end) == (date(2026, 4, 1), date(2026, 6, 30))
    assert national_dashboard(q3)["totals"]["trainings"] == 1
    assert national_dashboard(Period.fiscal(2568))["totals"]["trainings"] == 0


def test_province_report_lists_sessions_and_units(known):
    r = province_report("เชียงราย")
    assert r["totals"]["pre_mean"] == pytest.approx(40) and r["totals"]["post_mean"] == pytest.approx(68)
    assert [s["session"].pk for s in r["sessions"]] == [known["s1"].pk]
    assert r["sessions"][0]["hake_g"] == pytest.approx(28 / 60)
    assert r["units"][0]["unit"] == known["u1"]
    assert [m["label"] for m in r["months"]] == ["มี.ค. ๖๙"]


def test_summaries_follow_new_attempts_and_regrades(known):
    national_dashboard()
    summary = SessionSummary.objects.get(session=known["s1"])
    assert summary.post_n == 5
    # ฟ้า takes the post-test late: 5/5
    fah = known["people"]["ฟ้า"]
    sample.record_attempt(known["post_f"], POST, known["versions"], ["a"] * 5, session_obj=known["s1"],
                          participant_obj=fah)
    assert refresh_summaries(TrainingSession.objects.all()) == 1
    summary.refresh_from_db()
    assert summary.post_n == 6 and summary.pair_n == 6
    # a regrade changes a stored score: the fingerprint notices
    from django.utils import timezone
    Attempt.objects.filter(participant=fah, kind=POST).update(score=4, regraded_at=timezone.now())
    assert refresh_summaries(TrainingSession.objects.all()) == 1
    assert refresh_summaries(TrainingSession.objects.all()) == 0


def test_item_analysis_of_a_session_post_test(known):
    attempts = Attempt.objects.filter(session=known["s1"], kind=POST)
    result = item_analysis_for(attempts)
    assert result["complete"] and result["n"] == 5 and result["k"] == 5
    assert [i.difficulty for i in result["items"]] == [1, 1, 0.8, 0.4, 0.2]
    # p·q: 0 0 .16 .24 .16 = .56; totals 4 2 5 3 3 → variance 1.04; KR-20 = 5/4 · (1 − .56/1.04) = 0.576923
    assert result["kr20"] == pytest.approx(0.576923, abs=1e-6)
    assert result["items"][0].flags == ["all_correct"]
    q5 = result["items"][4].options
    assert (q5["a"]["count"], q5["b"]["count"], q5["c"]["count"], q5["d"]["count"]) == (1, 4, 0, 0)


def test_question_bank_flags_from_every_answer(known):
    flags = question_flags([v.question_id for v in known["versions"]], min_answers=1)
    q5 = flags[known["versions"][4].question_id]
    # Q5 right: หทัย before; คณิน, กานต์ after → 3 of 15 answers
    assert q5.n == 15 and q5.difficulty == pytest.approx(0.2)
    q1 = flags[known["versions"][0].question_id]
    # Q1 wrong only for เอก's pre-test → 14/15
    assert q1.difficulty == pytest.approx(14 / 15) and "too_easy" in q1.flags
    few = question_flags([known["versions"][0].question_id])[known["versions"][0].question_id]
    assert few.flags == [] and "ข้อมูลยังไม่พอ" in few.text


def test_staff_results_per_unit(known):
    versions, u1, u2 = known["versions"], known["u1"], known["u2"]
    staff_f = sample.form("เจ้าหน้าที่", STAFF, versions, pass_mark=70)
    for name, unit, pattern in (("st1", u1, [1, 1, 1, 1, 1]), ("st2", u1, [1, 1, 0, 0, 0]),
                                ("st3", u2, [1, 0, 1, 1, 1])):
        sample.record_attempt(staff_f, STAFF, versions, chosen(versions, pattern), user_obj=sample.user(name),
                              unit_obj=unit)
    r = staff_results()
    units = {row["unit"]: row for row in r["units"]}
    # unit 1: 100 % and 40 % → mean 70, one of two ≥ 70 %; unit 2: 80 %, passed
    assert units[u1]["mean"] == pytest.approx(70) and units[u1]["pass_rate"] == 0.5 and units[u1]["people"] == 2
    assert units[u2]["mean"] == pytest.approx(80) and units[u2]["pass_rate"] == 1
    assert [row["unit"] for row in r["units"]] == [u2, u1]
    assert r["attempts"] == 3 and r["mean"] == pytest.approx(220 / 3)
    # chapter 2 overall: 1 + 1 + 0 of 3
    assert {s["section"]: s["post"] for s in r["sections"]}["2"] == pytest.approx(200 / 3)
    assert units[u2]["weakest"] == "หมวดที่ ๒"


def test_item_analysis_across_sessions_with_different_questions(known):
    """A blueprint form draws its questions per session: each question is analysed over
    the attempts that saw it and KR-20 is left out."""
    versions = known["versions"]
    extra = sample.question_bank("rq-extra", per_chapter=1, chapters=[6])
    s3 = sample.session("อบรม ตรัง รุ่น ๒", known["u2"], known["s1"].trainer, known["pre_f"], known["post_f"],
                        date(2026, 5, 1))
    # two people on questions 1–4 and the chapter 6 question
    shown = versions[:4] + extra
    for name, pattern in (("ชบา", [1, 1, 0, 0, 1]), ("ณัฐ", [0, 1, 1, 0, 0])):
        p = sample.participant(s3, name)
        sample.record_attempt(known["post_f"], POST, shown, chosen(shown, pattern), session_obj=s3, participant_obj=p)
    result = item_analysis_for(Attempt.objects.filter(kind=POST, session__in=[known["s1"], s3]))
    assert not result["complete"] and result["kr20"] is None and result["n"] == 7
    by_key = {i.question.question.key: i for i in result["items"]}
    # question 1: right for all 5 of session 1 and for ชบา → 6 of 7
    assert by_key["rq-1-1"].n == 7 and by_key["rq-1-1"].difficulty == pytest.approx(6 / 7)
    # question 5 (chapter 5) was seen only in session 1: 1 of 5
    assert by_key["rq-5-1"].n == 5 and by_key["rq-5-1"].difficulty == pytest.approx(0.2)
    # the chapter 6 question only in session 3: 1 of 2
    assert by_key["rq-extra-6-1"].n == 2 and by_key["rq-extra-6-1"].difficulty == 0.5
