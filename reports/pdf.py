"""PDF reports of a training session and of a province, laid out as an attachment to a
Thai government memo: Sarabun, Buddhist-Era dates, Thai digits, charts drawn with
fpdf2's own primitives and shaped Thai labels."""
from __future__ import annotations

from django.utils import timezone

from assessments.models import POST, PRE
from volunteerkm.thai import thai_date, thai_digits

from . import explain
from .pdfkit import ACCENT, BAD, INK, MUTED, POST_COLOUR, PRE_COLOUR, ThaiPDF

ORG = "กองกิจการอาสาสมัครและภาคประชาสังคม กรมพัฒนาสังคมและสวัสดิการ"
BIN_LABELS = [thai_digits(f"{i * 10}") for i in range(10)]


def n(v, digits=1, suffix=""):
    """A number in Thai digits, or a dash."""
    if v is None:
        return "–"
    return thai_digits(f"{v:,.{digits}f}") + suffix


def pct(v, digits=1):
    return n(v, digits, "%")


def rate(v, digits=1):
    return "–" if v is None else n(100 * v, digits, "%")


def _change_words(gain):
    """'เพิ่มขึ้น 28.0 จุด', 'ลดลง 21.4 จุด' or 'เท่าเดิม'."""
    if gain is None:
        return "–"
    if abs(gain) < 0.05:
        return "เท่าเดิม"
    return f"{'เพิ่มขึ้น' if gain > 0 else 'ลดลง'} {n(abs(gain))} จุด"


def _p(v):
    if v is None:
        return "p: –"
    return "p < ๐.๐๐๑" if v < 0.001 else f"p = {n(v, 3)}"


def _title_block(pdf, title, subtitle_lines):
    pdf.add_page()
    pdf.set_font("Sarabun", "B", 18)
    pdf.set_text_color(*INK)
    for line in pdf.lines(title, pdf.epw):
        pdf.cell(0, 10, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Sarabun", "", 14)
    for s in subtitle_lines:
        for line in pdf.lines(s, pdf.epw):
            pdf.cell(0, 7.5, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*ACCENT)
    pdf.set_line_width(0.6)
    y = pdf.get_y() + 2
    pdf.line(pdf.l_margin + 40, y, pdf.l_margin + pdf.epw - 40, y)
    pdf.set_line_width(0.2)
    pdf.set_y(y + 4)


def _distribution(pdf, hist_pre, hist_post, caption):
    pdf.ensure(95)  # heading, legend and chart on one page
    pdf.heading(caption, size=15)
    pdf.legend([(PRE_COLOUR, "ก่อนอบรม"), (POST_COLOUR, "หลังอบรม")])
    pdf.grouped_bars(BIN_LABELS, [hist_pre, hist_post], [PRE_COLOUR, POST_COLOUR], height=52,
                     axis_label="ช่วงคะแนน (ร้อยละ ตั้งแต่ … ขึ้นไป) · ความสูงของแท่ง = จำนวนคน",
                     value_format=lambda v: thai_digits(f"{v:,.0f}") if v == int(v) else thai_digits(f"{v:,.1f}"))


def _sections(pdf, sections, caption="ความรู้รายหมวด (ร้อยละที่ตอบถูก)"):
    pdf.ensure(60)  # the heading with the first rows of bars
    pdf.heading(caption, size=15)
    pdf.legend([(PRE_COLOUR, "ก่อนอบรม"), (POST_COLOUR, "หลังอบรม")])
    labels = [f"{s['label']} {s['title']}" + (" ◆" if s["weak"] else "") for s in sections]
    pdf.hbars(labels, [[s["pre"] for s in sections], [s["post"] for s in sections]], [PRE_COLOUR, POST_COLOUR],
              label_colours=[BAD if s["weak"] else INK for s in sections])
    weak = [s for s in sections if s["weak"]]
    if weak:
        pdf.para("◆ หมวดที่ควรทบทวน (คะแนนต่ำสุด) และเรื่องความรู้ที่ควรย้ำในการอบรมครั้งต่อไป", size=13, style="B")
        for s in weak:
            text = f"• {s['label']} {s['title']} — หลังอบรม {pct(s['post'])}"
            if s["items"]:
                text += f" (เรื่อง: {', '.join(i['title'] for i in s['items'])})"
            pdf.para(text, size=13, indent=4)


def session_pdf(r: dict) -> bytes:
    s = r["session"]
    pdf = ThaiPDF(title=f"รายงานผลการทดสอบความรู้ {s.title}")
    _title_block(pdf, "รายงานผลการทดสอบความรู้ก่อนและหลังการอบรม",
                 [s.title, f"{s.unit.name}", f"วันที่อบรม {thai_date(s.date)}"])
    p = r["paired"]
    change, progress = explain.change(r["wilcoxon"], p["n"], p["mean_gain"]), explain.gain(p["hake_g"], p["n"])
    pdf.heading("๑. สรุปผล", size=15)
    summary = (
        f"ผู้เข้ารับการอบรมทำแบบทดสอบก่อนอบรม {n(r[PRE]['n'], 0)} คน หลังอบรม {n(r[POST]['n'], 0)} คน "
        f"ทำครบทั้งสองครั้ง {n(p['n'], 0)} คน คะแนนเฉลี่ยเปลี่ยนจากร้อยละ {n(p['pre_mean'])} เป็นร้อยละ "
        f"{n(p['post_mean'])} ({_change_words(p['mean_gain'])}) ความก้าวหน้า {progress['headline']} "
        f"ผ่านเกณฑ์หลังอบรม {n(r[POST]['passed'], 0)} คน คิดเป็นร้อยละ {n(100 * (r[POST]['pass_rate'] or 0))} "
        f"ผลเทียบก่อน–หลังของคนเดียวกัน: {change['headline']}")
    pdf.para(summary, size=14)
    if change["caution"]:
        pdf.para(change["caution"], size=13, colour=BAD)
    pdf.ln(2)
    rows = [
        ("จำนวนผู้ทำแบบทดสอบ (คน)", n(r[PRE]["n"], 0), n(r[POST]["n"], 0)),
        ("คะแนนเฉลี่ย (ร้อยละ)", n(r[PRE]["pct"]["mean"]), n(r[POST]["pct"]["mean"])),
        ("คะแนนกระจายห่างจากค่าเฉลี่ยราว (จุด)", n(r[PRE]["pct"]["sd"]), n(r[POST]["pct"]["sd"])),
        ("คะแนนของคนตรงกลาง (ร้อยละ)", n(r[PRE]["pct"]["median"]), n(r[POST]["pct"]["median"])),
        ("ต่ำสุด – สูงสุด (ร้อยละ)", f"{n(r[PRE]['pct']['min'], 0)} – {n(r[PRE]['pct']['max'], 0)}",
         f"{n(r[POST]['pct']['min'], 0)} – {n(r[POST]['pct']['max'], 0)}"),
        ("ผ่านเกณฑ์", f"{n(r[PRE]['passed'], 0)} คน ({rate(r[PRE]['pass_rate'])})",
         f"{n(r[POST]['passed'], 0)} คน ({rate(r[POST]['pass_rate'])})"),
    ]
    pdf.table(["รายการ", "ก่อนอบรม", "หลังอบรม"], rows, [60, 30, 30], ["L", "R", "R"])
    pdf.table(["คะแนนของคนเดียวกัน ก่อน–หลังอบรม", "ค่า"], [
        ("คะแนนที่เพิ่มขึ้นเฉลี่ย / ของคนตรงกลาง (จุด)", f"{n(p['mean_gain'])} / {n(p['median_gain'])}"),
        ("ความก้าวหน้า: ความรู้ที่ได้เพิ่ม เทียบกับส่วนที่ยังไม่รู้ก่อนอบรม", progress["headline"]),
        ("คะแนนดีขึ้น / เท่าเดิม / ลดลง (คน)", f"{n(p['improved'], 0)} / {n(p['same'], 0)} / {n(p['worse'], 0)}"),
        ("คะแนนเปลี่ยนจริงหรือเป็นความบังเอิญ", change["headline"]),
    ], [80, 40], ["L", "R"])
    _distribution(pdf, r[PRE]["hist"], r[POST]["hist"], "๒. การกระจายของคะแนน")
    _sections(pdf, r["sections"], "๓. ความรู้รายหมวด (ร้อยละที่ตอบถูก)")
    pdf.heading("๔. คะแนนรายบุคคล", size=15)
    rows, colours = [], []
    for i, x in enumerate(r["people"], start=1):
        rows.append((n(i, 0), x["name"], "–" if x["pre"] is None else f"{n(x['pre'], 0)}/{n(x['pre_max'], 0)}",
                     "–" if x["post"] is None else f"{n(x['post'], 0)}/{n(x['post_max'], 0)}",
                     "–" if x["gain"] is None else ("+" if x["gain"] > 0 else "") + n(x["gain"]),
                     "ผ่าน" if x["passed"] else ("–" if x["post"] is None else "ไม่ผ่าน")))
        colours.append(INK if x["passed"] or x["post"] is None else BAD)
    pdf.table(["ที่", "ชื่อ", "ก่อนอบรม", "หลังอบรม", "เพิ่มขึ้น (จุด)", "ผล"], rows, [8, 50, 20, 20, 20, 16],
              ["R", "L", "R", "R", "R", "C"], row_colours=colours)
    _footer_note(pdf, [progress["technical"], change["technical"]])
    return bytes(pdf.output())


def province_pdf(r: dict) -> bytes:
    t = r["totals"]
    pdf = ThaiPDF(title=f"รายงานผลการทดสอบความรู้ จังหวัด{r['province']}")
    _title_block(pdf, f"รายงานผลการทดสอบความรู้ ระเบียบฯ อพม. จังหวัด{r['province']}",
                 [r["period"].label, f"ข้อมูล ณ วันที่ {thai_date(timezone.localdate())}",
                  *(["เฉพาะหน่วยงานที่ผู้ส่งออกมีสิทธิ์ดู"] if r.get("partial") else [])])
    pdf.heading("๑. สรุปผล", size=15)
    pdf.para(
        f"จัดการอบรม {n(t['trainings'], 0)} ครั้ง ผู้ทำแบบทดสอบก่อนอบรม {n(t['pre_n'], 0)} คน หลังอบรม "
        f"{n(t['post_n'], 0)} คน คะแนนเฉลี่ยของผู้ที่ทำครบทั้งสองครั้ง ({n(t['pair_n'], 0)} คน) เปลี่ยนจากร้อยละ "
        f"{n(t['pair_pre_mean'])} เป็นร้อยละ {n(t['pair_post_mean'])} ({_change_words(t['mean_gain'])} "
        f"ความก้าวหน้า {explain.gain(t['hake_g'], t['pair_n'])['headline']}) "
        f"ผ่านเกณฑ์หลังอบรม {rate(t['post_pass_rate'])}", size=14)
    pdf.ln(2)
    pdf.table(["รายการ", "ก่อนอบรม", "หลังอบรม"], [
        ("จำนวนผู้ทำแบบทดสอบ (คน)", n(t["pre_n"], 0), n(t["post_n"], 0)),
        ("คะแนนเฉลี่ย (ร้อยละ)", n(t["pre_mean"]), n(t["post_mean"])),
        ("คะแนนกระจายห่างจากค่าเฉลี่ยราว (จุด)", n(t["pre_sd"]), n(t["post_sd"])),
        ("ผ่านเกณฑ์", rate(t["pre_pass_rate"]), rate(t["post_pass_rate"])),
    ], [60, 30, 30], ["L", "R", "R"])
    _distribution(pdf, t["hist_pre"], t["hist_post"], "๒. การกระจายของคะแนน")
    _sections(pdf, r["sections"], "๓. ความรู้รายหมวด (ร้อยละที่ตอบถูก)")
    if len(r["months"]) > 1:
        pdf.heading("๔. ผลรายเดือน", size=15)
        pdf.legend([(PRE_COLOUR, "ก่อนอบรม"), (POST_COLOUR, "หลังอบรม")])
        pdf.grouped_bars([m["label"] for m in r["months"]], [[m["pre_mean"] for m in r["months"]],
                                                              [m["post_mean"] for m in r["months"]]],
                         [PRE_COLOUR, POST_COLOUR], height=45, max_value=100,
                         value_format=lambda v: thai_digits(f"{v:.0f}"), axis_label="คะแนนเฉลี่ย (ร้อยละ)")
    pdf.heading("๕. ผลรายการอบรม" if len(r["months"]) > 1 else "๔. ผลรายการอบรม", size=15)
    rows = [(thai_date(x["session"].date), x["session"].title, str(x["session"].unit), n(x["pre_n"], 0),
             n(x["pre_mean"]), n(x["post_mean"]), rate(x["hake_g"], 0), rate(x["post_pass_rate"]))
            for x in r["sessions"]]
    pdf.table(["วันที่", "การอบรม", "หน่วยงาน", "คน", "ก่อน", "หลัง", "ก้าวหน้า", "ผ่าน"], rows,
              [22, 44, 30, 9, 12, 12, 10, 13], ["L", "L", "L", "R", "R", "R", "R", "R"], size=11)
    pdf.para("คอลัมน์ก่อน หลัง และผ่าน เป็นร้อยละ", size=11, colour=MUTED)
    _footer_note(pdf, ["ความก้าวหน้าคือ Hake's normalized gain g แสดงเป็นร้อยละ"])
    return bytes(pdf.output())


def _footer_note(pdf, technical=()):
    pdf.ln(3)
    pdf.para("หมายเหตุ: คะแนนคิดเป็นร้อยละของคะแนนเต็มของแต่ละคน ความก้าวหน้า = (คะแนนหลัง − คะแนนก่อน) ÷ "
             "(๑๐๐ − คะแนนก่อน) คือความรู้ที่ได้เพิ่มเทียบกับส่วนที่ยังไม่รู้ก่อนอบรม", size=11, colour=MUTED)
    for line in technical:
        pdf.para(f"ค่าทางสถิติ: {line}", size=11, colour=MUTED)
    pdf.para(f"จัดทำโดยระบบคลังความรู้ อพม. {ORG} เมื่อ {thai_date(timezone.localdate())}", size=11, colour=MUTED)
