"""Marking the words a query matched in the text shown with a result."""
import re

from django.utils.html import escape

from volunteerkm.thai import fold_digits


def match_pattern(terms):
    """A regex that finds the terms in display text: Thai or Arabic digits, optional
    abbreviation dots and spaces between letters are all accepted."""
    parts = []
    for term in sorted(terms, key=len, reverse=True):
        chars = []
        for c in term:
            chars.append(f"[{c}{'๐๑๒๓๔๕๖๗๘๙'[int(c)]}]" if c.isdigit() and c.isascii() else re.escape(c))
        parts.append(r"\.?".join(chars))
    return re.compile("|".join(parts), re.IGNORECASE) if parts else None


def snippet(text: str, pattern, width: int = 160) -> str:
    """The passage of `text` with the most distinct matches of `pattern`, marked."""
    matches = list(pattern.finditer(text)) if pattern else []
    if not matches:
        cut = text[:width]
        return escape(cut) + ("…" if len(text) > width else "")
    best, best_count = 0, -1
    for i, m in enumerate(matches):
        distinct = {fold_digits(x.group(0)).lower().replace(".", "")
                    for x in matches[i:] if x.start() < m.start() + width}
        if len(distinct) > best_count:
            best, best_count = i, len(distinct)
    start = max(0, matches[best].start() - 30)
    space = text.rfind(" ", 0, start + 1)
    start = space + 1 if start and space >= 0 and start - space < 30 else start
    end = min(len(text), start + width)
    space = text.find(" ", end)
    end = space if space != -1 and space - end < 30 else end
    out, pos = [], start
    for m in matches:
        if m.start() < pos or m.end() > end:
            continue
        out.append(escape(text[pos:m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        pos = m.end()
    out.append(escape(text[pos:end]))
    marked = "".join(out).replace("</mark><mark>", "")
    return ("…" if start > 0 else "") + marked + ("…" if end < len(text) else "")
