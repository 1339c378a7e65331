"""The direct answer: the one passage (a paragraph or a list item) of the best hit that
answers the question, quoted exactly with a link to its anchor on the item's page (a list
item with the sentence that opens its list); none when the ranking is not confident, no
single passage stands out, or the question asks for a whole list."""
import re
from dataclasses import dataclass

from knowledge.render import REVIEW_MARK, REVIEW_NOTICE

from .analysis import spaceless

ANSWER_MARGIN = 1.5  # the best hit must score this many times the second
LEAD_WEIGHT = 0.5  # what a list item's lead ("ที่ปรึกษา", "… ดังนี้") says counts for the item this much
# Characters: a bold heading ("ประธาน") is not an answer; a short list item read after the
# sentence that opens its list ("… ในกรณีต่อไปนี้ … ๑. ตาย") may be.
MIN_PASSAGE_LENGTH = 8
PASSAGE_MARGIN = 1.3  # the chosen passage must match this much more of the question than the next


@dataclass(frozen=True)
class Answer:
    text: str
    item: str  # the item's title
    url: str  # the item's page, at the passage's anchor
    lead: str = ""  # when the passage is a list item: the sentence that introduces the list

    def read_out(self) -> str:
        """The passage after its lead, as one text (the CLI, LINE)."""
        return f"{self.lead} … {self.text}" if self.lead else self.text


def _said(asked, text):
    """The weight of what is asked that `text` speaks of."""
    compact = spaceless(text)
    return sum(weight for weight, surfaces in asked if any(s in compact for s in surfaces))


def _introduces_a_list(text):
    return text.rstrip().endswith((":", "ดังนี้", "ได้แก่", "ต่อไปนี้"))


# "กี่ปี", "เท่าไร": the question wants a number, which a passage without one does not give.
ASKS_FOR_A_NUMBER = frozenset({"กี่", "เท่าไร", "เท่าไหร่"})
_NUMBER = re.compile(r"[0-9๐-๙]|หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า|สิบ|ร้อย|พัน")

# "มีอะไรบ้าง", "กรณีไหนบ้าง": the question wants a whole list, which no single passage is.
ASKS_FOR_A_LIST = frozenset({"บ้าง", "อะไรบ้าง", "ใครบ้าง", "ยังไงบ้าง", "อย่างไรบ้าง"})


def find_answer(hits, asked, words=()) -> Answer | None:
    """`asked`: (weight, surfaces) of what the question asks about (SearchIndex._asked);
    `words`: the question's words as written."""
    if not hits or not asked or hits[0].doc.kind != "item" or not hits[0].doc.passages:
        return None
    if ASKS_FOR_A_LIST & set(words):
        return None
    if len(hits) > 1 and hits[0].score < ANSWER_MARGIN * hits[1].score:
        return None
    doc = hits[0].doc
    # What the item's title says names the item; a passage answers what the question asks
    # beyond it ("คณะกรรมการ" alone asks for the item, not for a line that says กรรมการ).
    title = spaceless(doc.title)
    beyond = [(weight, surfaces) for weight, surfaces in asked if not any(s in title for s in surfaces)]
    # A question that names only the item is answered by what the item opens with, if anything.
    asked, passages = (beyond, doc.passages) if beyond else (asked, doc.passages[:1])
    scored = []
    wants_number = bool(ASKS_FOR_A_NUMBER & set(words))
    for anchor, text, lead in passages:
        if (len(text) < MIN_PASSAGE_LENGTH and not lead) or _introduces_a_list(text):
            continue
        if wants_number and not _NUMBER.search(text):
            continue
        score = _said(asked, text) + LEAD_WEIGHT * _said(asked, lead)
        scored.append((score, anchor, text, lead))
    if not scored:
        return None
    scored.sort(key=lambda s: -s[0])
    best_score, anchor, text, lead = scored[0]
    if best_score <= 0 or (len(scored) > 1 and best_score < PASSAGE_MARGIN * scored[1][0]):
        return None
    # A passage still awaiting review says so in the reader's words, not the files' marker.
    text, lead = (REVIEW_MARK.sub(f" — {REVIEW_NOTICE}", t) for t in (text, lead))
    return Answer(text=text, item=doc.title, url=f"{doc.url}#{anchor}", lead=lead)
