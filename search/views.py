from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET

from knowledge.models import GlossaryTerm, KMReport
from volunteerkm.db import best_effort
from volunteerkm.thai import normalize

from . import engine
from .models import SearchClick, SearchQuery

MAX_QUERY = 200
PAGE_RESULTS = 20
TOO_LONG = f"คำค้นยาวเกินไป กรุณาพิมพ์ไม่เกิน {MAX_QUERY} ตัวอักษร"
ANSWER_RANK = 0  # the click log's rank of the direct answer's link


def log_query(q, results, source):
    """The logged query, or None when the database could not take the write at once:
    searching never waits on the log (volunteerkm.db.best_effort)."""
    return best_effort(lambda: SearchQuery.objects.create(
        q=q[:MAX_QUERY], normalized=normalize(q)[:MAX_QUERY], result_count=len(results.hits),
        answered=results.answer is not None, source=source))


def _click_url(logged, rank, url):
    if logged is None:  # not logged: a plain link, nothing to count the click against
        return url
    return reverse("search:click", args=[logged.pk, rank]) + "?" + urlencode({"to": url})


FILTERED_FROM = 200  # a search within one KM keeps the hits of that KM among this many


def published_kms():
    """The KMs with something published, to search within one of them."""
    return KMReport.objects.filter(chapters__items__status="published").distinct().order_by("unit", "title")


def within_km(results, report):
    """Only the hits (and the direct answer) of one KM: its pages are under its address."""
    prefix = report.get_absolute_url()
    results.hits = [h for h in results.hits if h.doc.url.startswith(prefix)][:PAGE_RESULTS]
    if results.answer and not results.answer.url.startswith(prefix):
        results.answer = None
    return results


@require_GET
def search_page(request):
    q = request.GET.get("q", "").strip()
    kms = list(published_kms())
    km = next((r for r in kms if r.slug == request.GET.get("km")), None)
    context = {"q": q, "og_title": f"ค้นหา: {q}" if q else "ค้นหาความรู้", "error": "", "results": None,
               "kms": kms if len(kms) > 1 else [], "km": km}
    if len(q) > MAX_QUERY:
        context["error"] = TOO_LONG
    elif q:
        results = engine.search(q, PAGE_RESULTS) if km is None else within_km(engine.search(q, FILTERED_FROM), km)
        logged = log_query(q, results, SearchQuery.WEB)
        context["results"] = results
        context["logged"] = logged
        hits = [(hit, _click_url(logged, rank, hit.doc.url)) for rank, hit in enumerate(results.hits, 1)]
        context["hits"] = [h for h in hits if h[0].sure]
        context["related"] = [h for h in hits if not h[0].sure]  # shown apart: they may not answer
        if results.answer:
            context["answer_url"] = _click_url(logged, ANSWER_RANK, results.answer.url)
        if not results.hits:
            report = KMReport.objects.main()
            context["chapters"] = report.chapters.all() if report else []
            context["terms"] = GlossaryTerm.objects.exclude(full="")
    status = 400 if context["error"] else 200
    return render(request, "search/search.html", context, status=status)


@require_GET
def suggest(request):
    """Titles that match what has been typed so far (search/suggest.js puts them under the box)."""
    q = request.GET.get("q", "").strip()
    hits = engine.search(q, 5).hits if 2 <= len(q) <= MAX_QUERY else []
    return render(request, "search/_suggestions.html", {"q": q, "hits": hits})


@require_GET
def click(request, query_id, rank):
    """Record that a result (or the direct answer, rank 0) was opened, then go there.
    Works without JavaScript."""
    to = request.GET.get("to", "")
    if not to.startswith("/") or not url_has_allowed_host_and_scheme(to, allowed_hosts={request.get_host()}):
        return HttpResponseBadRequest("ลิงก์ไม่ถูกต้อง".encode(), content_type="text/plain; charset=utf-8")
    logged = get_object_or_404(SearchQuery, pk=query_id)
    best_effort(lambda: SearchClick.objects.create(query=logged, url=to[:300], rank=min(rank, 32767)))
    return redirect(to)
