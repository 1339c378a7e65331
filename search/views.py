from django.shortcuts import render

from knowledge.models import Item
from knowledge.render import plain_text

from .thai import compact


def search_page(request):
    q = request.GET.get("q", "").strip()
    results = []
    if q:
        needle = compact(q)
        for item in Item.objects.published().select_related("chapter__report"):
            if needle in compact(item.title + " " + plain_text(item.body)):
                results.append(item)
    return render(request, "search/search.html", {"q": q, "results": results, "og_title": "ค้นหาความรู้"})
