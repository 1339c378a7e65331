"""The Atom feed of published knowledge items, newest change first (Django's
syndication framework). Every page links to it (base.html)."""
from django.contrib.syndication.views import Feed
from django.db.models import Min
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from knowledge.models import Item
from knowledge.render import render_markdown
from volunteerkm.links import absolute_url

from .subjects import chapter_label

ENTRIES = 50
DIVISION = "กองกิจการอาสาสมัครและภาคประชาสังคม (กอส.)"


class AtomFeed(Feed):
    feed_type = Atom1Feed
    title = "คลังความรู้ อพม.: เรื่องที่เผยแพร่และปรับปรุง"
    subtitle = "ความรู้เรื่องระเบียบ อพม. พ.ศ. ๒๕๖๔ ที่เผยแพร่ใหม่หรือปรับปรุงล่าสุด"
    author_name = DIVISION

    def get_object(self, request):
        # The request travels to the other methods as their `obj`: addresses follow
        # SITE_URL where it is set, otherwise the host that was asked.
        return request

    def link(self, request):
        return absolute_url(request, "/")

    def feed_url(self, request):
        return absolute_url(request, reverse("outreach:atom"))

    def items(self, request):
        items = list(Item.objects.published().select_related("chapter__report").order_by("-updated_at")[:ENTRIES])
        first_published = dict(
            Item.history.filter(id__in=[i.pk for i in items], status=Item.PUBLISHED)
            .values_list("id").annotate(first=Min("history_date")))
        for item in items:
            item.feed_link = absolute_url(request, item.get_absolute_url())
            item.first_published = first_published.get(item.pk, item.updated_at)
        return items

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return render_markdown(item.body, link_terms=False)

    def item_link(self, item):
        return item.feed_link

    def item_pubdate(self, item):
        return item.first_published

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return [chapter_label(item.chapter)]
