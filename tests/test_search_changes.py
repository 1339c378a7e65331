"""How a process's index follows the knowledge: edits arrive through the change log one
document at a time; a glossary or thesaurus change rebuilds a large index in the background
while the old one keeps answering; a rolled-back edit does not stay in the index."""
import threading

import pytest
from django.db import transaction
from django.utils import timezone

from knowledge.models import Chapter, GlossaryTerm, Item
from search import engine
from search.models import IndexChange

pytestmark = pytest.mark.django_db


def keys(index, q):
    return [h.doc.key for h in index.search(q, 5).hits]


def test_edits_are_logged_per_document_and_applied_without_a_rebuild():
    live = engine.LiveIndex()
    index = live.current()
    dress = Item.objects.get(slug="dress")
    dress.body += "\n\nสวมหมวกกันน็อกสีฟ้าเมื่อขี่รถ"
    dress.save()
    assert IndexChange.objects.latest("id").key == f"item:{dress.pk}"
    assert live.current() is index  # the same index, updated in place
    assert keys(index, "หมวกกันน็อกสีฟ้า") == [f"item:{dress.pk}"]
    # A chapter's new title reaches its items, which show it.
    chapter = dress.chapter
    chapter.title = "อาสาสมัครพัฒนาสังคม (หมวดทดลองชื่อใหม่)"
    chapter.save()
    assert {c.key for c in IndexChange.objects.order_by("-id")[:chapter.items.count()]} == {
        f"item:{pk}" for pk in chapter.items.values_list("pk", flat=True)}
    assert live.current() is index and index.docs[f"item:{dress.pk}"].heading == chapter.title
    dress.delete()
    assert f"item:{dress.pk}" not in keys(live.current(), "หมวกกันน็อกสีฟ้า")
    assert live.current() is index


def test_a_rolled_back_edit_does_not_stay_in_the_index():
    live = engine.LiveIndex()
    live.current()
    dress = Item.objects.get(slug="dress")
    with transaction.atomic():
        dress.body += "\n\nสวมหมวกกันน็อกสีฟ้าเมื่อขี่รถ"
        dress.save()
        assert keys(live.current(), "หมวกกันน็อกสีฟ้า") == [f"item:{dress.pk}"]
        transaction.set_rollback(True)
    assert keys(live.current(), "หมวกกันน็อกสีฟ้า") == []


def test_a_small_index_rebuilds_at_once_when_the_glossary_changes():
    live = engine.LiveIndex()
    live.current()
    GlossaryTerm.objects.create(abbr="ผวจ.", full="ผู้ว่าราชการจังหวัด")
    assert IndexChange.objects.latest("id").key == IndexChange.ALL
    assert keys(live.current(), "ผวจ.")[0] == keys(live.current(), "ผู้ว่าราชการจังหวัด")[0]


def test_a_large_index_rebuilds_in_the_background_while_the_old_one_answers(monkeypatch):
    monkeypatch.setattr(engine, "BACKGROUND_REBUILD_MIN_DOCS", 1)  # this index counts as large
    live = engine.LiveIndex()
    old = live.current()
    documents = len(old.docs)
    Chapter.objects.first().report.save()  # a report's change asks for a rebuild
    assert live.current() is old  # answered at once by the index it has
    rebuild = live.rebuild
    assert rebuild is not None
    # An edit while the rebuild runs reaches the index serving now (the old one, unless the
    # rebuild is already done) and the new one when it is served.
    dress = Item.objects.get(slug="dress")
    dress.body += "\n\nสวมหมวกกันน็อกสีฟ้าเมื่อขี่รถ"
    dress.save()
    assert keys(live.current(), "หมวกกันน็อกสีฟ้า") == [f"item:{dress.pk}"]
    rebuild.join()
    new = live.current()
    assert new is not old and live.rebuild is None
    assert keys(new, "หมวกกันน็อกสีฟ้า") == [f"item:{dress.pk}"]
    assert len(new.docs) == documents
    # The old index is freed a slice at a time in a thread of its own, not by a query.
    for thread in threading.enumerate():
        if thread.name == "search-retire":
            thread.join(timeout=30)
    assert old.docs == {} and old.vocabulary == set() and old.part is None
    assert keys(live.current(), "หมวกกันน็อกสีฟ้า") == [f"item:{dress.pk}"]


def test_a_change_given_the_id_of_a_rolled_back_one_is_applied(monkeypatch):
    # SQLite hands a rolled-back change's id to the next change; the index must not take
    # the new change for the one it already holds, however long ago that was.
    monkeypatch.setattr(engine, "LATE_COMMIT", timezone.timedelta(0))
    live = engine.LiveIndex()
    live.current()
    dress = Item.objects.get(slug="dress")
    with transaction.atomic():
        dress.body += "\n\nสวมหมวกกันน็อกสีฟ้าเมื่อขี่รถ"
        dress.save()
        live.current()
        transaction.set_rollback(True)
    GlossaryTerm.objects.create(abbr="ผวจ.", full="ผู้ว่าราชการจังหวัด")
    assert keys(live.current(), "ผวจ.") and keys(live.current(), "หมวกกันน็อกสีฟ้า") == []
