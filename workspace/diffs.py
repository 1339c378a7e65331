"""What a reviewer compares: each field and item of a draft against what is published, line by line."""
import difflib
from dataclasses import dataclass, field

from volunteerkm.thai import thai_digits

from .publishing import published_counterparts


@dataclass
class Part:
    title: str
    lines: list = field(default_factory=list)  # [(kind, text)], kind: "same" | "add" | "del"
    new: bool = False
    removed: bool = False

    @property
    def added(self):
        return sum(kind == "add" for kind, _ in self.lines)

    @property
    def deleted(self):
        return sum(kind == "del" for kind, _ in self.lines)

    @property
    def changed(self):
        return self.new or self.removed or bool(self.added or self.deleted)


def line_diff(old: str, new: str) -> list:
    out = []
    old_lines, new_lines = old.splitlines(), new.splitlines()
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False).get_opcodes():
        if op == "equal":
            out += [("same", line) for line in old_lines[i1:i2]]
            continue
        out += [("del", line) for line in old_lines[i1:i2]]
        out += [("add", line) for line in new_lines[j1:j2]]
    return out


def draft_diff(draft) -> list:
    """[Part] for the title, every field and every item (and what publishing would remove)."""
    fields, items, chapters = published_counterparts(draft)
    parts = []
    old_title = draft.report.title if draft.report_id else ""
    parts.append(Part("ชื่อเรื่อง KM", line_diff(old_title, draft.title), new=not draft.report_id))
    for key, title, section, body in draft.field_rows():
        if body.strip() or key in fields:
            parts.append(Part(f"{thai_digits(section)}. {title}", line_diff(fields.get(key, ""), body),
                              new=key not in fields))
    seen = set()
    for chapter in draft.chapters.prefetch_related("items"):
        old_chapter = chapters.get(chapter.slug)
        parts.append(Part(f"หมวดที่ {thai_digits(chapter.number)}: ชื่อและสรุป",
                          line_diff(f"{old_chapter.title}\n{old_chapter.summary}" if old_chapter else "",
                                    f"{chapter.title}\n{chapter.summary}"), new=old_chapter is None))
        for item in chapter.items.all():
            old = items.get((chapter.slug, item.slug))
            seen.add((chapter.slug, item.slug))
            old_text = f"# {old.title}\n\n{old.body}" if old else ""
            where = f"หมวดที่ {thai_digits(chapter.number)} เรื่องที่ {thai_digits(item.order)}"
            parts.append(Part(f"{where}: {item.title}", line_diff(old_text, f"# {item.title}\n\n{item.body}"),
                              new=old is None))
    for key, old in items.items():
        if key not in seen:
            parts.append(Part(f"ลบออก: {old.title}", line_diff(old.body, ""), removed=True))
    return parts

