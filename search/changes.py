"""What changed for search, written to the change log (IndexChange) when knowledge is saved
or deleted, in the same transaction as the change itself: an item or a report field is one
document; a chapter is the documents of its items; the glossary, the thesaurus and a
report change how everything is read or linked, so they ask for a rebuild."""
from django.db.models.signals import post_delete, post_save

from knowledge.models import Chapter, GlossaryTerm, Item, KMReport, ReportField, SynonymGroup

from .models import IndexChange


def item_key(pk):
    return f"item:{pk}"


def field_key(pk):
    return f"field:{pk}"


def _item_changed(sender, instance, **kwargs):
    IndexChange.record([item_key(instance.pk)])


def _field_changed(sender, instance, **kwargs):
    IndexChange.record([field_key(instance.pk)])


def _chapter_changed(sender, instance, **kwargs):
    # Its items show the chapter's title and link through its slug. (When a chapter is
    # deleted, each of its items sends its own post_delete.)
    if kwargs.get("signal") is post_save:
        IndexChange.record([item_key(pk) for pk in Item.objects.filter(chapter=instance).values_list("pk", flat=True)])


def _everything_changed(sender, **kwargs):
    IndexChange.record([IndexChange.ALL])


RECEIVERS = [
    (Item, _item_changed),
    (ReportField, _field_changed),
    (Chapter, _chapter_changed),
    (KMReport, _everything_changed),
    (GlossaryTerm, _everything_changed),
    (SynonymGroup, _everything_changed),
]


def connect():
    for model, receiver in RECEIVERS:
        post_save.connect(receiver, sender=model, dispatch_uid=f"search-{model.__name__}-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"search-{model.__name__}-delete")
