"""The index each server process holds, rebuilt from the database whenever the shared
IndexStamp shows that searchable content changed (in this process or any other)."""
import threading

from knowledge.models import GlossaryTerm, Item, ReportField, SynonymGroup
from knowledge.render import passages, plain_text

from .index import Doc, SearchIndex
from .models import IndexStamp

_lock = threading.Lock()
_cached: tuple = ("", None)  # (stamp, SearchIndex)


def documents():
    """Published knowledge items and the KM reports' fields, as search documents."""
    for item in Item.objects.published().select_related("chapter__report"):
        yield Doc(key=f"item:{item.pk}", title=item.title, context=str(item.chapter),
                  url=item.get_absolute_url(), body=plain_text(item.body), heading=item.chapter.title,
                  questions=tuple(item.asked_questions), passages=tuple(passages(item.body)))
    for f in ReportField.objects.select_related("report"):
        yield Doc(key=f"field:{f.pk}", title=f.title, context=f"รายงาน KM ข้อ {f.section}",
                  url=f.get_absolute_url(), body=plain_text(f.body), kind="field")


def build_index() -> SearchIndex:
    glossary = [(t.abbr, t.full) for t in GlossaryTerm.objects.all()]
    synonyms = [g.word_list() for g in SynonymGroup.objects.all()]
    return SearchIndex(documents(), glossary, synonyms)


def current_index() -> SearchIndex:
    """One cheap query per call; a rebuild only when the content changed."""
    global _cached
    stamp = IndexStamp.current()
    if _cached[0] != stamp or _cached[1] is None:
        with _lock:
            if _cached[0] != stamp or _cached[1] is None:
                _cached = (stamp, build_index())
    return _cached[1]


def search(q: str, limit: int = 10):
    return current_index().search(q, limit)


def content_changed(sender, **kwargs):
    IndexStamp.bump()
