"""An item's review queue: what readers said about the published item. Questions people asked
and did not find that editors attached to it (search's gaps page), and 👎 with comments from
people who opened it from a search (the site's or LINE's)."""
from dataclasses import dataclass, field

from knowledge.models import Item
from search.models import QueryResolution, SearchFeedback

SHOWN = 20


@dataclass
class Voice:
    attached: list = field(default_factory=list)  # QueryResolution
    unhelpful: list = field(default_factory=list)  # SearchFeedback, 👎

    def __bool__(self):
        return bool(self.attached or self.unhelpful)


def published_item(draft_item):
    draft = draft_item.chapter.draft
    if not draft.report_id:
        return None
    return Item.objects.filter(chapter__report_id=draft.report_id, chapter__slug=draft_item.chapter.slug,
                               slug=draft_item.slug).first()


def reader_voice(item) -> Voice:
    if item is None:
        return Voice()
    url = item.get_absolute_url()
    attached = QueryResolution.objects.filter(item=item, action=QueryResolution.ATTACHED).order_by("-decided_at")
    unhelpful = (SearchFeedback.objects.filter(helpful=False, query__clicks__url__startswith=url)
                 .select_related("query").distinct().order_by("-created_at"))
    return Voice(list(attached[:SHOWN]), list(unhelpful[:SHOWN]))


def voice_counts(draft) -> dict:
    """{DraftItem pk: how many things readers said about its published item}, for the KM's page."""
    if not draft.report_id:
        return {}
    counts = {}
    for item in draft.items():
        voice = reader_voice(published_item(item))
        if voice:
            counts[item.pk] = len(voice.attached) + len(voice.unhelpful)
    return counts
