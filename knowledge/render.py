"""Markdown → safe HTML, with the glossary's abbreviations linked to their entries;
Markdown → plain text, and → plain blocks for print and signage."""
import re
from dataclasses import dataclass
from html import unescape

import nh3
from django.urls import reverse
from django.utils.html import escape
from markdown_it import MarkdownIt

from .models import GlossaryTerm

_md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
_TAG_OR_TEXT = re.compile(r"(<[^>]+>)")


def glossary_pattern(terms):
    """Longest abbreviation first, so "กอพม." wins over the "อพม." inside it."""
    abbrs = sorted((t.abbr for t in terms), key=len, reverse=True)
    return re.compile("|".join(re.escape(a) for a in abbrs)) if abbrs else None


def link_abbreviations(html: str, terms) -> str:
    """Wrap the first use of each abbreviation in a link to the glossary (text nodes
    only, never inside an existing link)."""
    by_abbr = {t.abbr: t for t in terms}
    pattern = glossary_pattern(terms)
    if pattern is None:
        return html
    glossary_url = reverse("knowledge:glossary")
    linked, in_link, out = set(), False, []

    def replace(match):
        term = by_abbr[match.group(0)]
        if term.abbr in linked:
            return match.group(0)
        linked.add(term.abbr)
        title = escape(term.full or "ยังไม่ยืนยันคำเต็ม")
        return f'<a class="abbr" href="{glossary_url}#{term.anchor}"><abbr title="{title}">{match.group(0)}</abbr></a>'

    for part in _TAG_OR_TEXT.split(html):
        if part.startswith("<"):
            if part.startswith("<a"):
                in_link = True
            elif part.startswith("</a"):
                in_link = False
            out.append(part)
        else:
            out.append(part if in_link else pattern.sub(replace, part))
    return "".join(out)


def render_markdown(text: str, link_terms=True) -> str:
    html = nh3.clean(_md.render(text or ""))
    if link_terms:
        html = link_abbreviations(html, list(GlossaryTerm.objects.all()))
    return html


def plain_text(text: str) -> str:
    """Markdown → plain text (for search, snippets and Open Graph descriptions)."""
    html = _md.render(text or "")
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", unescape(text)).strip()


@dataclass(frozen=True)
class Block:
    """One block of a Markdown body as plain text: a heading, a paragraph or a list item."""

    kind: str  # "heading", "paragraph" or "item"
    text: str
    marker: str = ""  # a list item's "1." or "•"; empty for a further paragraph of the same item
    depth: int = 0  # list nesting: 1 for a top-level item


def _inline_text(token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif child.content and child.type in ("text", "code_inline"):
            parts.append(child.content)
    return re.sub(r"\s+", " ", "".join(parts)).strip()


def plain_blocks(text: str) -> list[Block]:
    """The body as headings, paragraphs and list items in plain text, in reading order
    (for PDFs and screens that draw text themselves). A table row becomes a paragraph of
    its cells joined by " · "."""
    blocks, lists, row = [], [], None
    item_started = in_heading = False
    for token in _md.parse(text or ""):
        if token.type in ("heading_open", "heading_close"):
            in_heading = token.type == "heading_open"
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            start = int(token.attrGet("start") or 1) if token.type == "ordered_list_open" else None
            lists.append([start, 0])
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            lists[-1][1] += 1
            item_started = True
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            blocks.append(Block("paragraph", " · ".join(c for c in row if c)))
            row = None
        elif token.type == "inline":
            content = _inline_text(token)
            if row is not None:
                row.append(content)
            elif not content:
                continue
            elif lists:
                start, count = lists[-1]
                marker = (f"{start + count - 1}." if start is not None else "•") if item_started else ""
                blocks.append(Block("item", content, marker, len(lists)))
                item_started = False
            else:
                blocks.append(Block("heading" if in_heading else "paragraph", content))
    return blocks
