"""Taps on the bot's buttons and quick replies arrive as postbacks with URL-encoded data:
fb (👍/👎 on an answer), show (another hit of the same question), chapter, item."""
from urllib.parse import parse_qs

from knowledge.models import Item
from search import engine
from search.models import SearchFeedback, SearchQuery

from . import replies


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def plan(data, ctx):
    fields = {k: v[0] for k, v in parse_qs(data or "").items()}
    if "fb" in fields:
        return plan_feedback(fields)
    if "show" in fields:
        return plan_show(_int(fields["show"]), _int(fields.get("q")), ctx)
    if "chapter" in fields:
        number = _int(fields["chapter"])
        return lambda: replies.chapter(number, ctx.base)
    if "item" in fields:
        item = Item.objects.published().select_related("chapter__report").filter(pk=_int(fields["item"])).first()
        return (lambda: replies.item(item, ctx.base)) if item else (lambda: replies.gone())
    return None


def plan_feedback(fields):
    """One vote per answered question, counted with the site's answer votes (search.SearchFeedback)."""
    helpful = fields["fb"] == "1"
    query = SearchQuery.objects.filter(pk=_int(fields.get("q"))).first()

    def reply():
        if query is not None and fields.get("u", "").startswith("/"):
            SearchFeedback.objects.update_or_create(query=query, target=SearchFeedback.ANSWER,
                                                    defaults={"helpful": helpful})
        return replies.thanks(helpful)

    return reply


def plan_show(rank, query_id, ctx):
    query = SearchQuery.objects.filter(pk=query_id).first()
    if query is None or not rank or rank < 1:
        return lambda: replies.gone()
    results = engine.search(query.q, replies.OTHER_ANSWERS + 1)
    if rank > len(results.hits):
        return lambda: replies.gone()
    return lambda: replies.other_answer(results, query, rank, ctx.base)
