"""What a question may quote as its `source`: a passage, word for word, of the item (or
KM report field) it tests, and for a published question not a passage still awaiting review."""
import re

from knowledge.render import plain_text
from volunteerkm.thai import normalize

# A passage an editor must still check is marked in the item body like this.
UNCERTAIN_MARK = "รอตรวจสอบ"
_QUOTED = re.compile(r"[\"“]([^\"“”]+)[\"”]")
_SPACES = re.compile(r"\s+")


def squash(text: str) -> str:
    return _SPACES.sub(" ", text or "").strip()


def certain_text(markdown: str) -> str:
    """Plain text of a body without the lines marked as awaiting review."""
    return plain_text("\n".join(line for line in markdown.split("\n") if UNCERTAIN_MARK not in line))


def review_passages(review: str) -> list[str]:
    """The passages an item's `review:` note quotes as uncertain."""
    return [normalize(p) for p in _QUOTED.findall(review or "") if len(p.strip()) > 2]


def check_source(quote: str, *, title: str, body: str, review: str = "", published=True):
    """Why `quote` cannot be the source of a question on this text, or None if it can."""
    quote_n = squash(quote)
    if quote_n not in squash(plain_text(title + "\n\n" + body)):
        return "ข้อความอ้างอิง (source) ไม่พบในเนื้อหาของเรื่องที่ทดสอบ ต้องยกมาตรงตามต้นฉบับ"
    if not published:
        return None
    if quote_n not in squash(title + " " + certain_text(body)):
        return "ข้อความอ้างอิงอยู่ในส่วนที่ทำเครื่องหมาย รอตรวจสอบ ห้ามนำมาออกข้อสอบที่เผยแพร่"
    folded = normalize(quote)
    for passage in review_passages(review):
        if passage in folded or folded in passage:
            return "ข้อความอ้างอิงเป็นข้อความที่ review ของเรื่องความรู้ระบุว่ายังไม่แน่ชัด ห้ามนำมาออกข้อสอบที่เผยแพร่"
    return None
