"""Analytics at national scale (a benchmark that prints figures; not a test).

Generates a national year in a SQLite database of its own — 77 provinces, 200,000
participants in about 5,000 training sessions, a pre-test and a post-test of 20
questions each (400,000 attempts, 8,000,000 answers, 2,800,000 per-chapter sub-scores) —
then times the national dashboard, one province's report and one session's report with
the very functions the pages call, and computes the same figures with pandas in the same
run to check that the numbers agree.

    .venv/bin/python bench/analytics_scale.py                 # generate (once) and measure
    .venv/bin/python bench/analytics_scale.py --people 20000  # a smaller year
    .venv/bin/python bench/analytics_scale.py --fresh         # throw the database away first

Targets on SQLite: national dashboard ≤ 2 s, province ≤ 1 s, session ≤ 200 ms.
"""
import argparse
import math
import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PROVINCES = {
    "ภาคเหนือ": ["เชียงใหม่", "เชียงราย", "ลำปาง", "ลำพูน", "แม่ฮ่องสอน", "น่าน", "พะเยา", "แพร่", "อุตรดิตถ์",
                 "ตาก", "สุโขทัย", "พิษณุโลก", "พิจิตร", "กำแพงเพชร", "เพชรบูรณ์", "นครสวรรค์", "อุทัยธานี"],
    "ภาคตะวันออกเฉียงเหนือ": ["นครราชสีมา", "บุรีรัมย์", "สุรินทร์", "ศรีสะเกษ", "อุบลราชธานี", "ยโสธร", "ชัยภูมิ",
                              "อำนาจเจริญ", "บึงกาฬ", "หนองบัวลำภู", "ขอนแก่น", "อุดรธานี", "เลย", "หนองคาย",
                              "มหาสารคาม", "ร้อยเอ็ด", "กาฬสินธุ์", "สกลนคร", "นครพนม", "มุกดาหาร"],
    "ภาคกลาง": ["กรุงเทพมหานคร", "นนทบุรี", "ปทุมธานี", "พระนครศรีอยุธยา", "อ่างทอง", "ลพบุรี", "สิงห์บุรี",
                "ชัยนาท", "สระบุรี", "นครนายก", "สมุทรปราการ", "สมุทรสาคร", "สมุทรสงคราม", "นครปฐม",
                "สุพรรณบุรี"],
    "ภาคตะวันออก": ["ชลบุรี", "ระยอง", "จันทบุรี", "ตราด", "ฉะเชิงเทรา", "ปราจีนบุรี", "สระแก้ว"],
    "ภาคตะวันตก": ["กาญจนบุรี", "ราชบุรี", "เพชรบุรี", "ประจวบคีรีขันธ์"],
    "ภาคใต้": ["ชุมพร", "ระนอง", "สุราษฎร์ธานี", "พังงา", "ภูเก็ต", "กระบี่", "นครศรีธรรมราช", "ตรัง", "พัทลุง",
               "สตูล", "สงขลา", "ปัตตานี", "ยะลา", "นราธิวาส"],
}
QUESTIONS = 20
FISCAL_YEAR = 2569  # 1 Oct 2025 – 30 Sep 2026


def setup_django(db_path: Path):
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "volunteerkm.settings")
    import django

    django.setup()


def build_schema_and_bank():
    """Migrate, load the seed KM, and make the 20-question forms, 77 units and trainers."""
    from django.core.management import call_command

    from assessments.models import POST, PRE
    from reports import sample

    call_command("migrate", verbosity=0)
    call_command("loadkm", str(ROOT / "content"), verbosity=0)
    versions = sample.question_bank("bench", per_chapter=3)[:QUESTIONS]
    pre_f = sample.form("แบบทดสอบก่อนอบรม (ชุดทดสอบขนาดใหญ่)", PRE, versions)
    post_f = sample.form("แบบทดสอบหลังอบรม (ชุดทดสอบขนาดใหญ่)", POST, versions)
    units = []
    for region, names in PROVINCES.items():
        for name in names:
            u = sample.unit(f"bench-{len(units)}", f"สำนักงานพัฒนาสังคมและความมั่นคงของมนุษย์จังหวัด{name}",
                            name, region)
            units.append(u)
    trainer = sample.user("bench-trainer", units)
    return versions, pre_f, post_f, units, trainer


def generate(db_path: Path, people: int, seed: int = 2569):
    import numpy as np

    t0 = time.perf_counter()
    versions, pre_f, post_f, units, trainer = build_schema_and_bank()
    from django.db import connection

    connection.close()
    rng = np.random.default_rng(seed)
    db = sqlite3.connect(db_path)
    db.execute("PRAGMA journal_mode=OFF")
    db.execute("PRAGMA synchronous=OFF")
    db.execute("PRAGMA cache_size=-400000")
    db.execute("PRAGMA temp_store=MEMORY")

    # secondary indexes of the big tables are dropped during the load and made again after
    big = ("assessments_answer", "assessments_subscore", "assessments_attempt", "assessments_participant")
    indexes = db.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({','.join('?' * len(big))})", big).fetchall()
    for name, _ in indexes:
        db.execute(f'DROP INDEX "{name}"')

    n_units = len(units)
    province_effect = rng.normal(0, 0.5, n_units)
    difficulty = np.linspace(-1.5, 1.5, QUESTIONS)
    rng.shuffle(difficulty)
    v_ids = [v.id for v in versions]
    q_ids = [v.question_id for v in versions]
    sections = [v.section for v in versions]
    chapter_ids = [v.chapter_id for v in versions]
    section_keys = sorted(set(sections), key=lambda s: (not s.isdigit(), int(s) if s.isdigit() else 0))
    section_cols = {s: [j for j in range(QUESTIONS) if sections[j] == s] for s in section_keys}
    section_chapter = {s: chapter_ids[section_cols[s][0]] for s in section_keys}

    # sessions: 20–60 people, each in a random province on a random day of the fiscal year
    sizes = []
    left = people
    while left > 0:
        size = int(min(left, rng.integers(20, 61)))
        sizes.append(size)
        left -= size
    n_sessions = len(sizes)
    session_unit = rng.integers(0, n_units, n_sessions)
    start = np.datetime64("2025-10-01")
    session_day = start + rng.integers(0, 365, n_sessions).astype("timedelta64[D]")
    first_session = db.execute("SELECT COALESCE(MAX(id), 0) FROM assessments_trainingsession").fetchone()[0] + 1
    now = "2026-09-30 00:00:00"
    db.executemany(
        "INSERT INTO assessments_trainingsession (id, code, title, unit_id, date, trainer_id, pre_form_id,"
        " post_form_id, ask_for, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
        [(first_session + i, f"B{first_session + i:07d}", f"อบรมทบทวนความรู้ระเบียบฯ อพม. รุ่นที่ {i + 1}",
          units[session_unit[i]].id, str(session_day[i]), trainer.id, pre_f.id, post_f.id, "name", now)
         for i in range(n_sessions)])

    first_name = ["สมชาย", "สมหญิง", "วันเพ็ญ", "ประเสริฐ", "บุญมี", "ทองใบ", "มาลี", "สุนทร", "อำไพ", "ศรีสุดา"]
    last_name = ["ใจดี", "รักษ์ไทย", "มั่นคง", "ศรีสุข", "พัฒนากุล", "บุญเรือง", "ทองดี", "แก้วมณี"]
    pid = db.execute("SELECT COALESCE(MAX(id), 0) FROM assessments_participant").fetchone()[0] + 1
    aid = db.execute("SELECT COALESCE(MAX(id), 0) FROM assessments_attempt").fetchone()[0] + 1
    totals = {"participants": 0, "attempts": 0, "answers": 0, "subscores": 0}
    options = np.array(["b", "c", "d", ""])
    for s in range(n_sessions):
        size = sizes[s]
        sid = first_session + s
        unit_id = units[session_unit[s]].id
        day = str(session_day[s])
        theta = rng.normal(province_effect[session_unit[s]] - 0.3, 1.0, size)
        gain = rng.normal(0.9, 0.6, size)
        took_post = rng.random(size) < 0.95
        parts, attempts, answers, subs = [], [], [], []
        for kind, ability, when in (("pre", theta, "09:10:00"), ("post", theta + gain, "15:40:00")):
            p_right = 1 / (1 + np.exp(-(ability[:, None] - difficulty[None, :])))
            right = rng.random((size, QUESTIONS)) < p_right
            wrong_pick = options[rng.choice(4, size=(size, QUESTIONS), p=[0.45, 0.3, 0.2, 0.05])]
            for i in range(size):
                if kind == "post" and not took_post[i]:
                    continue
                person = pid + i
                if kind == "pre":
                    parts.append((person, sid, f"{first_name[i % 10]} {last_name[(i * 7 + s) % 8]}", "", "", "",
                                  f"dev{person}", f"{day} 09:00:00", f"{day} 09:00:00"))
                score = int(right[i].sum())
                attempts.append((aid, sid, pre_f.id if kind == "pre" else post_f.id, kind, unit_id, person,
                                 f"k{aid}", "", score, QUESTIONS, 60, int(score * 100 >= 60 * QUESTIONS),
                                 f"{day} {when}", 0))
                for j in range(QUESTIONS):
                    ok = bool(right[i, j])
                    answers.append((aid, q_ids[j], v_ids[j], j + 1, "a" if ok else wrong_pick[i, j], int(ok)))
                for sec in section_keys:
                    cols = section_cols[sec]
                    subs.append((aid, sec, section_chapter[sec], int(right[i, cols].sum()), len(cols)))
                aid += 1
        pid += size
        db.executemany(
            "INSERT INTO assessments_participant (id, session_id, name, phone, national_id_hash, national_id_last4,"
            " device, consent_at, joined_at) VALUES (?,?,?,?,?,?,?,?,?)", parts)
        db.executemany(
            "INSERT INTO assessments_attempt (id, session_id, form_id, kind, unit_id, participant_id, idempotency_key,"
            " answers_digest, score, max_score, pass_mark, passed, submitted_at, over_time)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", attempts)
        db.executemany("INSERT INTO assessments_answer (attempt_id, question_id, version_id, position, chosen, correct)"
                       " VALUES (?,?,?,?,?,?)", answers)
        db.executemany("INSERT INTO assessments_subscore (attempt_id, section, chapter_id, score, max_score)"
                       " VALUES (?,?,?,?,?)", subs)
        totals["participants"] += len(parts)
        totals["attempts"] += len(attempts)
        totals["answers"] += len(answers)
        totals["subscores"] += len(subs)
        if s % 500 == 0:
            db.commit()
            print(f"  … {s}/{n_sessions} การอบรม, {totals['answers']:,} คำตอบ ({time.perf_counter() - t0:.0f} s)",
                  flush=True)
    db.commit()
    t_rows = time.perf_counter() - t0
    for _, sql in indexes:
        db.execute(sql)
    db.commit()
    db.execute("ANALYZE")
    db.commit()
    db.close()
    t_all = time.perf_counter() - t0
    print(f"สร้างข้อมูล: {n_sessions:,} การอบรม, {totals['participants']:,} คน, {totals['attempts']:,} ครั้ง, "
          f"{totals['answers']:,} คำตอบ, {totals['subscores']:,} คะแนนรายหมวด")
    print(f"  เพิ่มแถว {t_rows:.1f} s ({totals['answers'] / t_rows:,.0f} คำตอบ/วินาที), "
          f"สร้างดัชนีใหม่ {t_all - t_rows:.1f} s, รวม {t_all:.1f} s")


def timed(fn, repeat=5):
    times = []
    result = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return result, times


def close(a, b, tol=1e-6):
    if a is None or b is None or (isinstance(b, float) and math.isnan(b)):
        return a is None and (b is None or (isinstance(b, float) and math.isnan(b)))
    return abs(float(a) - float(b)) <= tol * max(1.0, abs(float(a)))


def pandas_figures(db_path, province, session_id):
    """The same figures from the raw tables with pandas (independent of reports/)."""
    import pandas as pd

    t = time.perf_counter()
    con = sqlite3.connect(db_path)
    att = pd.read_sql_query(
        "SELECT a.id, a.session_id, a.kind, a.participant_id, a.score, a.max_score, a.passed, u.province"
        " FROM assessments_attempt a JOIN assessments_trainingsession s ON s.id = a.session_id"
        " JOIN accounts_unit u ON u.id = s.unit_id"
        " WHERE a.kind IN ('pre', 'post') AND s.date BETWEEN '2025-10-01' AND '2026-09-30'", con)
    sub = pd.read_sql_query("SELECT attempt_id, section, score, max_score FROM assessments_subscore", con)
    con.close()
    t_read = time.perf_counter() - t
    t = time.perf_counter()
    att["pct"] = 100.0 * att["score"] / att["max_score"]
    pre = att[att.kind == "pre"].set_index("participant_id")
    post = att[att.kind == "post"].set_index("participant_id")
    pairs = pre[["pct", "province", "session_id"]].merge(post[["pct"]], left_index=True, right_index=True,
                                                          suffixes=("", "_post"))
    pairs["gain"] = pairs["pct_post"] - pairs["pct"]

    def summary(a, p):
        pre_m, post_m = p["pct"].mean(), p["pct_post"].mean()
        return {
            "pre_n": int((a.kind == "pre").sum()), "post_n": int((a.kind == "post").sum()),
            "pre_mean": a.loc[a.kind == "pre", "pct"].mean(), "post_mean": a.loc[a.kind == "post", "pct"].mean(),
            "post_pass_rate": a.loc[a.kind == "post", "passed"].mean(),
            "mean_gain": p["gain"].mean(), "hake_g": (post_m - pre_m) / (100 - pre_m),
        }

    national = summary(att, pairs)
    by_province = att[att.kind == "post"].groupby("province")["pct"].mean().sort_values(ascending=False)
    merged = sub.merge(att[["id", "kind"]], left_on="attempt_id", right_on="id")
    sec = merged.groupby(["section", "kind"])[["score", "max_score"]].sum()
    sec_post = (100.0 * sec.xs("post", level="kind")["score"] / sec.xs("post", level="kind")["max_score"])
    prov = summary(att[att.province == province], pairs[pairs.province == province])
    sess_att = att[att.session_id == session_id]
    sess = summary(sess_att, pairs[pairs.session_id == session_id])
    sess["median_gain"] = pairs.loc[pairs.session_id == session_id, "gain"].median()
    t_compute = time.perf_counter() - t
    return {"national": national, "ranking": list(by_province.index), "ranking_values": by_province.to_dict(),
            "sections": sec_post.to_dict(), "province": prov, "session": sess}, t_read, t_compute


def measure(db_path: Path):
    from django.db import connection

    from assessments.models import TrainingSession
    from reports.dashboards import national_dashboard, province_report, sessions_in
    from reports.models import SessionSummary
    from reports.periods import Period
    from reports.session_report import session_report
    from reports.summaries import refresh_summaries

    period = Period.fiscal(FISCAL_YEAR)
    counts = {t: connection.cursor().execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
              for t in ("assessments_trainingsession", "assessments_attempt", "assessments_answer",
                        "assessments_subscore")}
    print("ข้อมูลในฐาน:", ", ".join(f"{k.split('_', 1)[1]} {v:,}" for k, v in counts.items()))

    SessionSummary.objects.all().delete()
    t = time.perf_counter()
    n = refresh_summaries(sessions_in(period))
    print(f"\nสร้างตารางสรุปครั้งแรก ({n:,} การอบรม, ทำครั้งเดียวหลังนำเข้า): {time.perf_counter() - t:.2f} s")

    dash, t_dash = timed(lambda: national_dashboard(period))
    top = dash["provinces"][len(dash["provinces"]) // 2]["province"]
    prov, t_prov = timed(lambda: province_report(top, period))
    session = (TrainingSession.objects.filter(unit__province=top, date__gte=period.start)
               .order_by("id").first())
    sess, t_sess = timed(lambda: session_report(session), repeat=10)

    # one new attempt makes one session stale: the next dashboard recomputes only that one
    from django.utils import timezone

    from assessments.models import Attempt
    victim = Attempt.objects.filter(session=session, kind="post").order_by("id").first()
    Attempt.objects.filter(pk=victim.pk).update(score=victim.score, regraded_at=timezone.now())
    _, t_stale = timed(lambda: national_dashboard(period), repeat=1)

    def show(label, times, target):
        best, med = min(times), statistics.median(times)
        ok = "ผ่าน" if med <= target else "ไม่ผ่าน"
        print(f"  {label:<34} มัธยฐาน {med * 1000:8.1f} ms  ดีสุด {best * 1000:8.1f} ms  "
              f"เป้า ≤ {target * 1000:.0f} ms  {ok}")

    print(f"\nเวลา (ฟังก์ชันเดียวกับที่หน้าเว็บเรียก, SQLite, {period.label})")
    show("แดชบอร์ดระดับประเทศ", t_dash, 2.0)
    show(f"รายงานจังหวัด{top}", t_prov, 1.0)
    show(f"รายงานการอบรม #{session.pk} ({sess['pre']['n']} คน)", t_sess, 0.2)
    show("แดชบอร์ดหลังผลสอบเปลี่ยน 1 การอบรม", t_stale, 2.0)

    figures, t_read, t_compute = pandas_figures(db_path, top, session.pk)
    print(f"\npandas: อ่านตาราง {t_read:.2f} s, คำนวณ {t_compute:.2f} s (รวม {t_read + t_compute:.2f} s)")

    checks = []
    tot = dash["totals"]
    for key in ("pre_n", "post_n", "pre_mean", "post_mean", "post_pass_rate", "mean_gain", "hake_g"):
        checks.append((f"ประเทศ {key}", tot[key], figures["national"][key]))
    ours = [p["post_mean"] for p in dash["provinces"]]
    theirs = [figures["ranking_values"][p] for p in figures["ranking"]]
    checks.append(("ลำดับจังหวัด (คะแนนหลังอบรมเรียงจากมากไปน้อย)",
                   len(ours) == len(theirs) and all(close(a, b) for a, b in zip(ours, theirs, strict=True)), True))
    checks.append(("คะแนนหลังอบรมทุกจังหวัด", all(close(p["post_mean"], figures["ranking_values"][p["province"]])
                                               for p in dash["provinces"]), True))
    for s in dash["sections"]:
        checks.append((f"หมวด {s['section']} หลังอบรม", s["post"], figures["sections"][s["section"]]))
    for key in ("pre_n", "post_n", "pre_mean", "post_mean", "post_pass_rate", "mean_gain", "hake_g"):
        checks.append((f"จังหวัด {key}", prov["totals"][key], figures["province"][key]))
    checks.append(("การอบรม pre_mean", sess["pre"]["pct"]["mean"], figures["session"]["pre_mean"]))
    checks.append(("การอบรม post_mean", sess["post"]["pct"]["mean"], figures["session"]["post_mean"]))
    checks.append(("การอบรม mean_gain", sess["paired"]["mean_gain"], figures["session"]["mean_gain"]))
    checks.append(("การอบรม median_gain", sess["paired"]["median_gain"], figures["session"]["median_gain"]))
    checks.append(("การอบรม hake_g", sess["paired"]["hake_g"], figures["session"]["hake_g"]))
    checks.append(("การอบรม post_pass_rate", sess["post"]["pass_rate"], figures["session"]["post_pass_rate"]))
    bad = [(label, a, b) for label, a, b in checks if not (a == b if isinstance(a, bool) else close(a, b))]
    print(f"\nตรวจตัวเลขกับ pandas: ตรงกัน {len(checks) - len(bad)}/{len(checks)} รายการ")
    for label, a, b in bad:
        print(f"  ไม่ตรง: {label}: reports={a} pandas={b}")
    print(f"\nตัวอย่างตัวเลข: ประเทศ ก่อน {tot['pre_mean']:.2f}% หลัง {tot['post_mean']:.2f}% "
          f"เพิ่ม {tot['mean_gain']:.2f} จุด g={tot['hake_g']:.3f} ผ่านหลังอบรม {100 * tot['post_pass_rate']:.1f}%")
    return not bad


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200_000)
    parser.add_argument("--db", default=str(ROOT / "var" / "bench" / "analytics.sqlite3"))
    parser.add_argument("--fresh", action="store_true", help="สร้างฐานข้อมูลใหม่")
    args = parser.parse_args()
    db_path = Path(args.db)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    marker = db_path.with_suffix(f".{args.people}.done")
    if args.fresh or not marker.exists():
        for p in db_path.parent.glob(db_path.name + "*"):
            p.unlink()
        for p in db_path.parent.glob(db_path.stem + ".*.done"):
            p.unlink()
        setup_django(db_path)
        generate(db_path, args.people)
        marker.write_text("ok\n")
    else:
        setup_django(db_path)
        print(f"ใช้ฐานข้อมูลเดิม {db_path} (--fresh เพื่อสร้างใหม่)")
    ok = measure(db_path)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
