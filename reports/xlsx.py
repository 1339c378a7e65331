"""Excel exports of a session or of a filtered set of sessions (a province, a region,
the whole country over a period): a summary, per-chapter mastery, per-person scores, raw
answers and the item analysis, each on its own sheet with Thai headers."""
from __future__ import annotations

from datetime import UTC, date

from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import Unit
from assessments.grading import option_label, option_letter
from assessments.models import POST, PRE, Answer, Attempt, Participant, TrainingSession, section_label
from volunteerkm.thai import thai_digits

from . import explain, stats
from .dashboards import overview
from .item_analysis import item_analysis_for
from .provinces import province_label
from .session_report import session_report
from .sql import table_name
from .summaries import summary_figures
from .xlsxkit import Sheet, write_workbook

EXCEL_ROWS = 1_048_575  # Excel's sheet limit, less the header row
PCT = "0.0"
RATIO = "0.000"


# Dates and times are real date cells (sortable, filterable), shown in the Buddhist Era
# with Thai month names and Thai digits by Excel's locale code: [$-D07041E] = Thai digits
# (D), Thai Buddhist calendar (07), Thai (041E). The same two formats on every sheet.
# Text labels are in Thai digits too; numbers in numeric cells stay numbers.
DATE = "[$-D07041E]d mmm yyyy"
DATETIME = "[$-D07041E]d mmm yyyy hh:mm"


def be_date(d):
    """A training date as a date cell's value (shown in พ.ศ. by DATE)."""
    if isinstance(d, str):
        d = date.fromisoformat(d[:10])
    return d or None


def be_datetime(at, tz):
    """A stored (UTC) moment as Bangkok wall-clock time, for a DATETIME cell (Excel keeps
    no time zone)."""
    if at is None:
        return None
    if isinstance(at, str):
        at = parse_datetime(at)
    if timezone.is_naive(at):
        at = timezone.make_aware(at, UTC)
    return timezone.localtime(at, tz).replace(tzinfo=None)


def _pct(v):
    return None if v is None else round(v, 4)


def _rate(v):
    return None if v is None else round(100 * v, 4)


SUMMARY_HEADERS = [("หัวข้อ", 44), ("ค่า", 60), ("วันที่", 16)]
SUMMARY_FORMATS = [None, None, DATE]


def summary_rows(title, period_label, f, day=None):
    """(label, value[, date]) rows: a date goes in the third column, a real date cell."""
    rows = [
        ("รายงาน", title),
        ("ช่วงเวลา", period_label, day),
        ("ออกรายงานเมื่อ", "", timezone.localdate()),
        ("จำนวนการอบรม", f.get("trainings")),
        ("ผู้ทำแบบทดสอบก่อนอบรม (คน)", f.get("pre_n")),
        ("ผู้ทำแบบทดสอบหลังอบรม (คน)", f.get("post_n")),
        ("ผู้ทำครบทั้งก่อนและหลัง (คน)", f.get("pair_n")),
        ("คะแนนเฉลี่ยก่อนอบรม (ร้อยละ)", _pct(f.get("pre_mean"))),
        ("คะแนนเฉลี่ยหลังอบรม (ร้อยละ)", _pct(f.get("post_mean"))),
        ("คะแนนที่เพิ่มขึ้นเฉลี่ย (จุดร้อยละ)", _pct(f.get("mean_gain"))),
        ("ความก้าวหน้าของกลุ่ม: ความรู้ที่ได้เพิ่มเทียบกับส่วนที่ยังไม่รู้ (Hake's g)",
         None if f.get("hake_g") is None else round(f["hake_g"], 4)),
        ("ผ่านเกณฑ์ก่อนอบรม (ร้อยละ)", _rate(f.get("pre_pass_rate"))),
        ("ผ่านเกณฑ์หลังอบรม (ร้อยละ)", _rate(f.get("post_pass_rate"))),
    ]
    return rows


def section_sheet(sections):
    return Sheet("รายหมวด", [("หมวด", 14), ("ชื่อหมวด", 50), ("ก่อนอบรม (ร้อยละ)", 16), ("หลังอบรม (ร้อยละ)", 16),
                             ("เปลี่ยนแปลง (จุด)", 16), ("ควรทบทวน", 12)],
                 [(s["label"], s["title"], _pct(s["pre"]), _pct(s["post"]), _pct(s["delta"]),
                   "ควรทบทวน" if s["weak"] else "") for s in sections],
                 [None, None, PCT, PCT, PCT, None])


def _fetched(cur, size):
    """The rows of an executed query, fetched ``size`` at a time so a large export streams."""
    while rows := cur.fetchmany(size):
        yield from rows


def _session_filter_sql(session_qs):
    return session_qs.values("id").query.sql_with_params()


def person_rows(session_qs):
    """One row per participant: session, unit, name, pre and post scores, gain, g, passed."""
    attempt, participant, tsession, unit = (table_name(m) for m in (Attempt, Participant, TrainingSession, Unit))
    sql, params = _session_filter_sql(session_qs)
    with connection.cursor() as cur:
        cur.execute(f"""
            SELECT s.id, s.date, s.title, u.name, u.province, p.name,
                   a.score, a.max_score, b.score, b.max_score, b.passed
            FROM {participant} p
            JOIN {tsession} s ON s.id = p.session_id
            JOIN {unit} u ON u.id = s.unit_id
            LEFT JOIN {attempt} a ON a.participant_id = p.id AND a.kind = %s
            LEFT JOIN {attempt} b ON b.participant_id = p.id AND b.kind = %s
            WHERE p.session_id IN ({sql}) AND (a.id IS NOT NULL OR b.id IS NOT NULL)
            ORDER BY s.date, s.id, p.name, p.id""", [PRE, POST, *params])
        for sid, day, title, unit_name, province, name, a, am, b, bm, passed in _fetched(cur, 5000):
            pre = 100.0 * a / am if a is not None and am else None
            post = 100.0 * b / bm if b is not None and bm else None
            gain = post - pre if pre is not None and post is not None else None
            g = stats.normalised_gain(pre, post) if gain is not None else None
            yield (sid, be_date(day), title, unit_name, province_label(province), name, a, am, _pct(pre),
                   b, bm, _pct(post), _pct(gain), None if g is None else round(g, 4),
                   None if passed is None else ("ผ่าน" if passed else "ไม่ผ่าน"))


PERSON_HEADERS = [("รหัสการอบรม", 12), ("วันที่อบรม", 12), ("การอบรม", 36), ("หน่วยงาน", 36), ("จังหวัด", 16),
                  ("ชื่อ", 26), ("คะแนนก่อน", 11), ("เต็ม", 7), ("ก่อน (ร้อยละ)", 12), ("คะแนนหลัง", 11), ("เต็ม", 7),
                  ("หลัง (ร้อยละ)", 12), ("เพิ่มขึ้น (จุด)", 12), ("g รายบุคคล", 11), ("ผลหลังอบรม", 12)]
PERSON_FORMATS = [None, DATE, None, None, None, None, None, None, PCT, None, None, PCT, PCT, RATIO, None]


def answer_rows(session_qs, limit=EXCEL_ROWS):
    attempt, participant, answer, tsession = (table_name(m) for m in (Attempt, Participant, Answer,
                                                                           TrainingSession))
    from assessments.models import Question, QuestionVersion
    question, version = table_name(Question), table_name(QuestionVersion)
    sql, params = _session_filter_sql(session_qs)
    kinds = {PRE: "ก่อนอบรม", POST: "หลังอบรม"}
    with connection.cursor() as cur:
        cur.execute(f"""
            SELECT a.session_id, p.name, a.kind, ans.position, q.key, v.chapter_number, ans.chosen, v.correct,
                   ans.correct, a.submitted_at, v.kind
            FROM {answer} ans
            JOIN {attempt} a ON a.id = ans.attempt_id
            JOIN {participant} p ON p.id = a.participant_id
            JOIN {question} q ON q.id = ans.question_id
            JOIN {version} v ON v.id = ans.version_id
            WHERE a.session_id IN ({sql})
            ORDER BY a.session_id, p.name, a.participant_id, a.kind DESC, ans.position
            LIMIT {int(limit)}""", params)
        tz = timezone.get_current_timezone()
        for sid, name, kind, pos, key, chapter, chosen, right, ok, at, vkind in _fetched(cur, 10000):
            yield (sid, name, kinds.get(kind, kind), pos, key,
                   section_label(str(chapter)) if chapter else section_label("report"),
                   _option(vkind, chosen), _option(vkind, right), "ถูก" if ok else "ผิด", be_datetime(at, tz))


ANSWER_HEADERS = [("รหัสการอบรม", 12), ("ชื่อ", 26), ("แบบทดสอบ", 12), ("ข้อที่", 8), ("รหัสคำถาม", 30),
                  ("หมวด", 12), ("ตอบ", 9), ("เฉลย", 8), ("ผล", 7), ("ส่งเมื่อ", 18)]
ANSWER_FORMATS = [None] * 9 + [DATETIME]


def _option(version_kind, key):
    """An option as people saw it: ก ข ค ง, ถูก/ผิด, or (ไม่ตอบ)."""
    if not key:
        return "(ไม่ตอบ)"
    if version_kind == "tf":
        return {"t": "ถูก", "f": "ผิด"}.get(key, key)
    return option_letter(key) or key


def item_rows(session_qs, progress=None):
    """Item analysis per form used in the set (pre-test form, post-test form …)."""
    attempts = Attempt.objects.filter(session__in=session_qs.values("id"), kind__in=[PRE, POST])
    forms = attempts.values_list("form_id", "form__title", "kind").distinct().order_by("kind", "form_id")
    rows = []
    for form_id, title, kind in forms:
        result = item_analysis_for(attempts.filter(form_id=form_id, kind=kind), progress)
        note = explain.reliability(result["kr20"], result["n"], result["complete"])
        rows.append((f"{title} ({'ก่อนอบรม' if kind == PRE else 'หลังอบรม'})", None, "", "", result["n"], None, None,
                     None, "", "", f"ความคงเส้นคงวา: {note['headline']} · {note['technical']}"
                     + (f" · {note['caution']}" if note["caution"] else "")))
        for it in result["items"]:
            v = it.question
            dist = " ".join(f"{option_label(v, o)}{'*' if s['key'] else ''}={thai_digits(s['count'])}"
                            for o, s in it.options.items())
            rows.append(("", it.number, v.question.key, v.text, it.n, _rate(it.difficulty),
                         None if it.point_biserial is None else round(it.point_biserial, 4),
                         None if it.discrimination is None else round(it.discrimination, 4),
                         section_label(v.section), dist, _flags(it, result["n"])))
    return rows


def _flags(item, n):
    """A question's flags, or why there are none yet (too few attempts to judge)."""
    if n < explain.MIN_ATTEMPTS:
        return f"ยังไม่ประเมิน (ทำน้อยกว่า {thai_digits(explain.MIN_ATTEMPTS)} ครั้ง)"
    return "; ".join(item.flag_labels)


ITEM_HEADERS = [("แบบทดสอบ", 30), ("ข้อที่", 8), ("รหัสคำถาม", 28), ("คำถาม", 60), ("จำนวนผู้ตอบ", 12),
                ("ความยาก p (ร้อยละตอบถูก)", 14), ("อำนาจจำแนก r (point-biserial)", 14),
                ("อำนาจจำแนก D (กลุ่มสูง-ต่ำ ๒๗%)", 14), ("หมวด", 12), ("การเลือกตัวเลือก (* = เฉลย)", 36),
                ("ข้อสังเกต", 50)]
ITEM_FORMATS = [None, None, None, None, None, PCT, RATIO, RATIO, None, None, None]


def session_workbook(session: TrainingSession, progress=None) -> bytes:
    r = session_report(session)
    qs = TrainingSession.objects.filter(pk=session.pk)
    p = r["paired"]
    f = {"trainings": 1, "pre_n": r[PRE]["n"], "post_n": r[POST]["n"], "pair_n": p["n"],
         "pre_mean": r[PRE]["pct"]["mean"], "post_mean": r[POST]["pct"]["mean"], "mean_gain": p["mean_gain"],
         "hake_g": p["hake_g"], "pre_pass_rate": r[PRE]["pass_rate"], "post_pass_rate": r[POST]["pass_rate"]}
    summary = summary_rows(f"{session.title} ({session.unit})", "วันที่อบรม", f, day=session.date)
    w = r["wilcoxon"]
    change = explain.change(w, p["n"], p["mean_gain"])
    summary += [
        ("มัธยฐานก่อนอบรม (ร้อยละ)", _pct(r[PRE]["pct"]["median"])),
        ("มัธยฐานหลังอบรม (ร้อยละ)", _pct(r[POST]["pct"]["median"])),
        ("มัธยฐานคะแนนที่เพิ่มขึ้น (จุด)", _pct(p["median_gain"])),
        ("ความก้าวหน้าเฉลี่ยรายคน (g รายบุคคล)", None if p["mean_g"] is None else round(p["mean_g"], 4)),
        ("คะแนนเปลี่ยนจริงหรือเป็นความบังเอิญ", change["headline"]),
        ("ข้อควรระวัง", change["caution"] or ""),
        ("การทดสอบวิลคอกซัน (Wilcoxon signed-rank) ค่า W", w["statistic"]),
        ("ค่า p (สองทาง)", None if w["pvalue"] is None else round(w["pvalue"], 6)),
        ("ขนาดอิทธิพล (rank-biserial r)", None if w["effect_r"] is None else round(w["effect_r"], 4)),
    ]
    return _workbook(summary, r["sections"], qs, progress)


def set_workbook(title, period_label, session_qs, progress=None) -> bytes:
    summaries, shown = overview(session_qs)
    return _workbook(summary_rows(title, period_label, shown["totals"]), shown["sections"], session_qs, progress,
                     sessions=summaries)


def _workbook(summary, sections, session_qs, progress=None, sessions=None) -> bytes:
    n_answers = Answer.objects.filter(attempt__session__in=session_qs.values("id")).count()
    n_people = Participant.objects.filter(session__in=session_qs.values("id")).count()
    total = min(n_answers, EXCEL_ROWS) + n_people + n_answers
    state = {"base": 0}

    def step(done):
        if progress:
            progress(state["base"] + done, total)

    item = item_rows(session_qs, lambda n: step(n))
    state["base"] = n_answers
    if n_answers > EXCEL_ROWS:
        shown, total = thai_digits(f"{EXCEL_ROWS:,}"), thai_digits(f"{n_answers:,}")
        summary = summary + [("หมายเหตุ", f"แผ่นงาน 'คำตอบ' แสดง {shown} แถวแรกจาก {total} แถว ตามขีดจำกัดของ Excel")]
    sheets = [Sheet("สรุป", SUMMARY_HEADERS, [(*r, None)[:3] for r in summary], SUMMARY_FORMATS),
              section_sheet(sections)]
    if sessions is not None:
        sheets.append(Sheet("รายการอบรม", [("รหัส", 10), ("วันที่", 12), ("การอบรม", 40), ("หน่วยงาน", 36),
                                           ("จังหวัด", 16), ("ก่อน (คน)", 10), ("หลัง (คน)", 10),
                                           ("ก่อน (ร้อยละ)", 12), ("หลัง (ร้อยละ)", 12), ("เพิ่มขึ้น (จุด)", 12),
                                           ("g", 9), ("ผ่านหลังอบรม (ร้อยละ)", 14)],
                            _session_rows(sessions), [None, DATE, None, None, None, None, None, PCT, PCT,
                                                      PCT, RATIO, PCT]))
    sheets += [
        Sheet("คะแนนรายบุคคล", PERSON_HEADERS, person_rows(session_qs), PERSON_FORMATS),
        Sheet("คำตอบ", ANSWER_HEADERS, answer_rows(session_qs), ANSWER_FORMATS),
        Sheet("วิเคราะห์ข้อสอบ", ITEM_HEADERS, item, ITEM_FORMATS),
    ]
    return write_workbook(sheets, progress=lambda n: step(n), every=5000)


def _session_rows(summaries):
    for s in summaries.select_related("session__unit").order_by("session__date", "session_id").iterator(2000):
        f = summary_figures(s)
        yield (s.session_id, be_date(s.session.date), s.session.title, s.session.unit.name,
               province_label(s.session.unit.province), f["pre_n"], f["post_n"], _pct(f["pre_mean"]),
               _pct(f["post_mean"]), _pct(f["mean_gain"]), None if f["hake_g"] is None else round(f["hake_g"], 4),
               _rate(f["post_pass_rate"]))
