"""Markdown → safe HTML, with the glossary's abbreviations linked to their entries; the
passages of a text (each paragraph and list item, with the anchor it has on the page) that
search quotes as direct answers; Markdown → plain text, and → plain blocks for print and signage."""
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


# Paragraphs and list items carry an id (their passage anchor); nothing else may.
_ATTRIBUTES = {**nh3.ALLOWED_ATTRIBUTES, "p": {"id"}, "li": {"id"}}
PASSAGE_PREFIX = "p"


def _passage_blocks(tokens):
    """(opening token, inline token) of every paragraph outside a list and every list
    item, in reading order: what a reader sees as one sentence or one point."""
    blocks, open_items = [], []
    for i, tok in enumerate(tokens):
        if tok.type == "list_item_open":
            open_items.append([tok, None])
        elif tok.type == "list_item_close":
            item, inline = open_items.pop()
            blocks.append((item, inline))
        elif tok.type == "paragraph_open":
            inline = tokens[i + 1]
            if open_items:
                if open_items[-1][1] is None:
                    open_items[-1][1] = inline  # an item's first paragraph is its text
            else:
                blocks.append((tok, inline))
    return sorted(blocks, key=lambda b: b[0].map[0] if b[0].map else 0)


def passages(text: str) -> list[tuple[str, str, str]]:
    """[(anchor, plain text, lead)] of the paragraphs and list items of a Markdown text;
    the anchor is the id the block has on the page (render_markdown); a list item's lead
    is the paragraph before its list ("ที่ปรึกษา", "… ดังนี้"), a paragraph's is empty."""
    out, lead = [], ""
    for n, (block, inline) in enumerate(_passage_blocks(_md.parse(text or "")), start=1):
        text = _inline_text(inline) if inline is not None else ""
        if block.type == "paragraph_open":
            lead = text
            out.append((f"{PASSAGE_PREFIX}{n}", text, ""))
        else:
            out.append((f"{PASSAGE_PREFIX}{n}", text, lead))
    return out


# A passage an editor must still check carries a parenthesised marker in the content files,
# "(ข้อความในต้นฉบับไม่ชัด รอตรวจสอบ)" and its kin; readers see a styled notice instead.
REVIEW_MARK = re.compile(r"[ \t]*\([^()\n]*รอตรวจสอบ\)")
REVIEW_NOTICE = "ข้อความส่วนนี้รอตรวจสอบกับระเบียบฉบับจริง"
_FLAG = "\ue000"  # a private-use character: survives Markdown and the sanitiser, never typed


def strip_review_marks(text: str) -> str:
    """The text without its review markers (for search snippets and page descriptions)."""
    return REVIEW_MARK.sub("", text or "")


def review_marks_as_notice(text: str) -> str:
    """The text with each review marker read as the notice the item page shows (for
    channels that draw plain text: print, share cards, signage, LINE)."""
    return REVIEW_MARK.sub(f" ({REVIEW_NOTICE})", text or "")


def tables_under_review(review: str) -> bool:
    """Whether an item's review note says its lists were rebuilt from a garbled table."""
    return "ตาราง" in (review or "") and "สแกนเพี้ยน" in review


def render_markdown(text: str, link_terms=True) -> str:
    text = REVIEW_MARK.sub(_FLAG, text or "")
    tokens = _md.parse(text)
    for n, (block, _) in enumerate(_passage_blocks(tokens), start=1):
        block.attrSet("id", f"{PASSAGE_PREFIX}{n}")
    html = nh3.clean(_md.renderer.render(tokens, _md.options, {}), attributes=_ATTRIBUTES)
    if link_terms:
        html = link_abbreviations(html, list(GlossaryTerm.objects.all()))
    return html.replace(_FLAG, f' <span class="review-flag">{REVIEW_NOTICE}</span>')


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
    """The text of an inline token as a reader sees it: emphasis and links without a trace,
    line breaks as spaces."""
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
    its cells joined by " · ". A review marker reads as the notice the item page shows."""
    text = review_marks_as_notice(text)
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
