"""Marking the words a query matched in the text shown with a result."""
from dataclasses import dataclass

from django.utils.html import escape

_SKIPPED = " ."  # abbreviation dots and spaces may sit between the letters of a term
_ARABIC_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


@dataclass(frozen=True)
class Mark:
    start: int
    end: int
    term: str


def find_marks(text: str, terms) -> list[Mark]:
    """Where the terms (search form, no spaces) occur in display text, longest first,
    never overlapping: Thai or Arabic digits, abbreviation dots and spaces between letters
    are all accepted. Plain string search on a folded copy of the text, not a regular
    expression: a query's terms are many and compiling them would cost more than searching."""
    kept = [i for i, c in enumerate(text) if c not in _SKIPPED]
    folded = "".join(text[i] for i in kept).translate(_ARABIC_DIGITS).lower()
    taken, marks = bytearray(len(folded)), []
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        at = folded.find(term)
        while at != -1:
            end = at + len(term)
            if not any(taken[at:end]):
                taken[at:end] = b"\x01" * len(term)
                marks.append(Mark(kept[at], kept[end - 1] + 1, term))
            at = folded.find(term, at + 1)
    return sorted(marks, key=lambda m: m.start)


def snippet(text: str, terms, width: int = 160) -> str:
    """The passage of `text` with the most distinct terms, with the terms marked."""
    matches = find_marks(text, terms)
    if not matches:
        cut = text[:width]
        return escape(cut) + ("…" if len(text) > width else "")
    best, best_count = 0, -1
    for i, m in enumerate(matches):
        distinct = {x.term for x in matches[i:] if x.start < m.start + width}
        if len(distinct) > best_count:
            best, best_count = i, len(distinct)
    start = max(0, matches[best].start - 30)
    space = text.rfind(" ", 0, start + 1)
    start = space + 1 if start and space >= 0 and start - space < 30 else start
    end = min(len(text), start + width)
    space = text.find(" ", end)
    end = space if space != -1 and space - end < 30 else end
    out, pos = [], start
    for m in matches:
        if m.start < pos or m.end > end:
            continue
        out.append(escape(text[pos:m.start]))
        out.append(f"<mark>{escape(text[m.start:m.end])}</mark>")
        pos = m.end
    out.append(escape(text[pos:end]))
    marked = "".join(out).replace("</mark><mark>", "")
    return ("…" if start > 0 else "") + marked + ("…" if end < len(text) else "")
