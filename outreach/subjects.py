"""What one share card, poster, signage card or feed entry says about a page of the
knowledge base: the home page, a chapter or an item, read from the same content the
page shows, so every channel says the same thing and nothing is written twice."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from django.http import Http404

from knowledge.models import Chapter, Item, KMReport
from knowledge.render import plain_blocks, plain_text
from knowledge.views import main_report, visible_items
from volunteerkm.links import absolute_url
from volunteerkm.thai import thai_digits

KINDS = ("home", "chapter", "item")


@dataclass
class Subject:
    kind: str  # one of KINDS
    pk: int | None
    title: str
    context: str  # the chapter an item belongs to, the report a chapter belongs to
    sentence: str  # the key sentence
    points: list[str]  # the key points, plain text
    path: str
    updated_at: datetime
    url: str = ""  # absolute, set by `locate`

    @property
    def key(self) -> str:
        """A file-name-safe name: "home", "chapter-3", "item-12"."""
        return self.kind if self.pk is None else f"{self.kind}-{self.pk}"

    def digest(self, *parts) -> str:
        """Changes whenever anything drawn from this subject changes (and with ``parts``,
        e.g. a layout version), so a cached picture or PDF is made again exactly then."""
        payload = [self.kind, self.title, self.context, self.sentence, self.points, self.url, *parts]
        return hashlib.sha256(json.dumps(payload, ensure_ascii=False).encode()).hexdigest()[:20]


def chapter_label(chapter: Chapter) -> str:
    return f"หมวดที่ {thai_digits(chapter.number)} {chapter.title}"


def key_sentence_and_points(body: str) -> tuple[str, list[str]]:
    """The first paragraph, and the top-level list items (or, where the body has no
    list, the paragraphs after the first)."""
    blocks = plain_blocks(body)
    paragraphs = [b.text for b in blocks if b.kind == "paragraph"]
    points = [b.text for b in blocks if b.kind == "item" and b.depth == 1 and b.marker]
    sentence = paragraphs[0] if paragraphs else ""
    return sentence, points or paragraphs[1:]


def of_item(item: Item) -> Subject:
    sentence, points = key_sentence_and_points(item.body)
    return Subject("item", item.pk, item.title, chapter_label(item.chapter), sentence or item.title, points,
                   item.get_absolute_url(), item.updated_at)


def of_chapter(chapter: Chapter, items) -> Subject:
    sentence, _ = key_sentence_and_points(chapter.summary)
    items = list(items)
    updated = max([chapter.updated_at, *(i.updated_at for i in items)])
    return Subject("chapter", chapter.pk, chapter_label(chapter), chapter.report.title, sentence or chapter.title,
                   [i.title for i in items], chapter.get_absolute_url(), updated)


def of_home(report: KMReport, chapters, definition: Item | None) -> Subject:
    chapters = list(chapters)
    sentence = key_sentence_and_points(definition.body)[0] if definition else ""
    updated = max([report.updated_at, *(c.updated_at for c in chapters)])
    context = thai_digits(report.project or report.unit)  # the band above already names the unit
    return Subject("home", None, report.title, context, sentence or plain_text(report.intro) or report.title,
                   [chapter_label(c) for c in chapters], "/", updated)


def locate(request, kind: str, pk: int | None = None) -> Subject:
    """The subject of a page as the person asking may see it (drafts only for editors),
    with its absolute address; Http404 otherwise."""
    if kind == "item":
        item = visible_items(request).select_related("chapter__report").filter(pk=pk).first()
        if item is None:
            raise Http404("ไม่พบเรื่องนี้")
        subject = of_item(item)
    elif kind == "chapter":
        chapter = Chapter.objects.select_related("report").filter(pk=pk).first()
        if chapter is None:
            raise Http404("ไม่พบหมวดนี้")
        subject = of_chapter(chapter, visible_items(request).filter(chapter=chapter))
    elif kind == "home":
        report = main_report()
        definition = visible_items(request).filter(chapter__report=report, slug="definition").first()
        subject = of_home(report, report.chapters.all(), definition)
    else:
        raise Http404("ไม่พบหน้านี้")
    subject.url = absolute_url(request, subject.path)
    return subject


def locate_object(request, obj) -> Subject:
    """The subject of an object a page already shows (a KM report stands for the home page)."""
    if isinstance(obj, Item):
        subject = of_item(obj)
    elif isinstance(obj, Chapter):
        subject = of_chapter(obj, visible_items(request).filter(chapter=obj))
    else:
        return locate(request, "home")
    subject.url = absolute_url(request, subject.path)
    return subject
