"""Statistics in plain Thai: what a trainer or an executive reads beside each figure.

Each function turns one statistic into a sentence (`meaning`), a `caution` when the group
is too small for the statistic to say anything (instead of a verdict), and the technical
name and values (`technical`) that pages keep in a <details> element and documents in a
note. Thresholds follow the usual textbook rules of thumb and are named here once. Figures
are in Thai digits like every page; the names of statistics (KR-20) keep theirs."""
from __future__ import annotations

from volunteerkm.thai import thai_digits

# Item analysis (KR-20, discrimination) says little below this many attempts.
MIN_ATTEMPTS = 20
# The paired before/after test says little below this many people who took both.
MIN_PAIRS = 10


def _n(v, digits=2):
    return "–" if v is None else thai_digits(f"{v:,.{digits}f}")


def _d(count) -> str:
    """A count in Thai digits."""
    return thai_digits(count)


def change(wilcoxon: dict, n_pairs: int, mean_gain) -> dict:
    """Did the same people score higher after training? (Wilcoxon signed-rank test)"""
    p, r = wilcoxon.get("pvalue"), wilcoxon.get("effect_r")
    technical = (f"Wilcoxon signed-rank test แบบสองทาง: W = {_n(wilcoxon.get('statistic'), 1)}, "
                 f"p {'< ๐.๐๐๑' if p is not None and p < 0.001 else '= ' + _n(p, 3)}, "
                 f"ขนาดอิทธิพล rank-biserial r = {_n(r)} ({_d(wilcoxon.get('n_nonzero', 0))} คนที่คะแนนเปลี่ยน "
                 f"จาก {_d(n_pairs)} คนที่ทำครบ)")
    caution = None
    if n_pairs < MIN_PAIRS:
        caution = (f"มีผู้ทำครบทั้งก่อนและหลังอบรมเพียง {_d(n_pairs)} คน (น้อยกว่า {_d(MIN_PAIRS)} คน) "
                   "จึงยังสรุปไม่ได้ว่าการอบรมทำให้คะแนนเปลี่ยน ให้ดูคะแนนรายคนประกอบ")
        headline = "ยังสรุปไม่ได้ (คนน้อยเกินไป)"
    elif p is None:
        headline = "คะแนนของทุกคนเท่าเดิม"
    elif p < 0.05 and (mean_gain or 0) > 0:
        headline = "คะแนนหลังอบรมสูงขึ้นจริง ไม่ใช่เรื่องบังเอิญ"
    elif p < 0.05:
        headline = "คะแนนหลังอบรมต่ำลงจริง ควรทบทวนการอบรม"
    else:
        headline = "ยังบอกไม่ได้ว่าคะแนนเปลี่ยนจริง อาจเป็นความบังเอิญ"
    size = ""
    if r is not None and caution is None:
        a = abs(r)
        size = " การเปลี่ยนแปลงมีขนาด" + ("ใหญ่" if a >= 0.5 else "ปานกลาง" if a >= 0.3 else "เล็ก")
    meaning = ("เทียบคะแนนก่อนและหลังอบรมของคนเดียวกัน ว่าความต่างมากพอที่จะไม่ใช่ความบังเอิญหรือไม่" + size)
    return {"headline": headline, "meaning": meaning, "caution": caution, "technical": technical}


def gain(g, n_pairs: int) -> dict:
    """Hake's normalised gain in words: the share of what was still unknown that was learned."""
    if g is None:
        return {"headline": "–", "meaning": "คำนวณไม่ได้ (ยังไม่มีผู้ทำครบ หรือก่อนอบรมได้เต็มแล้ว)", "caution": None,
                "technical": "Hake's normalized gain g = (หลัง − ก่อน) ÷ (๑๐๐ − ก่อน)"}
    technical = f"Hake's normalized gain g = (หลัง − ก่อน) ÷ (๑๐๐ − ก่อน) = {_n(g)}"
    if g < 0:  # g has no lower bound; a fall is said as a fall
        return {"headline": "คะแนนลดลง", "meaning": "คะแนนเฉลี่ยหลังอบรมต่ำกว่าก่อนอบรม ควรทบทวนการอบรมหรือแบบทดสอบ",
                "caution": None if n_pairs >= MIN_PAIRS else f"คิดจาก {_d(n_pairs)} คนที่ทำครบ ควรอ่านอย่างระวัง",
                "technical": technical}
    level = "สูง" if g >= 0.7 else "ปานกลาง" if g >= 0.3 else "น้อย"
    return {"headline": f"{_d(round(100 * g))}% ของส่วนที่ยังไม่รู้",
            "meaning": f"ความรู้ที่ได้เพิ่ม เทียบกับส่วนที่ยังไม่รู้ก่อนอบรม: ก้าวหน้า{level}",
            "caution": None if n_pairs >= MIN_PAIRS else f"คิดจาก {_d(n_pairs)} คนที่ทำครบ ควรอ่านอย่างระวัง",
            "technical": technical}


def reliability(kr20, n: int, complete: bool) -> dict:
    """KR-20: do the questions agree with one another (consistency of the test)?"""
    technical = f"ความเชื่อมั่นแบบ Kuder–Richardson 20 (KR-20) = {_n(kr20)} จาก {_d(n)} ครั้งที่ทำ"
    meaning = "แบบทดสอบวัดได้คงเส้นคงวาแค่ไหน (ข้อคำถามให้ผลไปทางเดียวกันหรือไม่)"
    if not complete:
        return {"headline": "คำนวณไม่ได้", "meaning": "แต่ละคนได้ข้อคำถามต่างกัน จึงคำนวณค่านี้ไม่ได้",
                "caution": None, "technical": technical}
    if n < MIN_ATTEMPTS:
        return {"headline": "ยังสรุปไม่ได้", "meaning": meaning,
                "caution": f"ทำแบบทดสอบนี้ {_d(n)} ครั้ง (น้อยกว่า {_d(MIN_ATTEMPTS)} ครั้ง) ค่านี้ยังแกว่งมาก "
                           "อย่าใช้ตัดสินว่าแบบทดสอบดีหรือไม่ดี", "technical": technical}
    if kr20 is None:
        return {"headline": "คำนวณไม่ได้", "meaning": "คะแนนของทุกคนเท่ากัน จึงคำนวณค่านี้ไม่ได้", "caution": None,
                "technical": technical}
    verdict = "ดี" if kr20 >= 0.7 else "พอใช้" if kr20 >= 0.5 else "ต่ำ ควรปรับข้อคำถาม"
    return {"headline": verdict, "meaning": meaning, "caution": None, "technical": technical}


def discrimination(n: int) -> dict:
    """What p, r and D of a question mean; a caution for a small group."""
    return {"meaning": "ตอบถูก = ร้อยละของผู้ตอบที่ตอบถูก (ยิ่งน้อยยิ่งยาก) · แยกคนรู้จริง = "
                       "คนที่ได้คะแนนรวมสูงตอบข้อนี้ถูกมากกว่าคนที่ได้คะแนนรวมต่ำแค่ไหน",
            "caution": None if n >= MIN_ATTEMPTS else
            f"ทำแบบทดสอบนี้ {_d(n)} ครั้ง (น้อยกว่า {_d(MIN_ATTEMPTS)} ครั้ง) ค่าการแยกคนรู้จริงและข้อสังเกตของแต่ละข้อ"
            "ยังเชื่อถือไม่ได้ จึงไม่แสดงข้อสังเกต",
            "technical": "p = ความยาก (สัดส่วนตอบถูก) · r = สหสัมพันธ์พอยต์ไบซีเรียล (point-biserial) กับคะแนนรวม · "
                         "D = สัดส่วนตอบถูกของกลุ่มคะแนนสูง ๒๗% ลบกลุ่มต่ำ ๒๗% (upper–lower index)"}


def separates(d) -> str:
    """D in words."""
    if d is None:
        return "–"
    return "ดี" if d >= 0.3 else "พอใช้" if d >= 0.2 else "น้อย" if d >= 0 else "กลับทาง (ควรตรวจเฉลย)"
