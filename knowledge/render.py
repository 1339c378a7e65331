"""Markdown → safe HTML, with the glossary's abbreviations linked to their entries."""
import re
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
