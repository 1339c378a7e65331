from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from volunteerkm.apierrors import refusals

from .models import Chapter, GlossaryTerm, Item, KMReport
from .render import plain_text

router = Router(tags=["ความรู้"])


class ItemOut(Schema):
    slug: str
    title: str
    chapter: int
    order: int
    url: str
    body: str
    text: str
    updated_at: str


class ChapterOut(Schema):
    number: int
    slug: str
    title: str
    summary: str
    url: str
    items: list[ItemOut]


class FieldOut(Schema):
    key: str
    section: int
    title: str
    body: str


class ReportOut(Schema):
    slug: str
    title: str
    project: str
    unit: str
    url: str
    fields: list[FieldOut]


class TermOut(Schema):
    abbr: str
    full: str
    certain: bool
    note: str


def item_out(item):
    return ItemOut(slug=item.slug, title=item.title, chapter=item.chapter.number, order=item.order,
                   url=item.get_absolute_url(), body=item.body, text=plain_text(item.body),
                   updated_at=item.updated_at.isoformat())


def chapter_out(chapter):
    items = [item_out(i) for i in chapter.items.published().select_related("chapter__report")]
    return ChapterOut(number=chapter.number, slug=chapter.slug, title=chapter.title, summary=chapter.summary,
                      url=chapter.get_absolute_url(), items=items)


@router.get("/reports", response=list[ReportOut], summary="รายงาน KM ทั้งหมด พร้อมหัวข้อ 12 ข้อ")
def reports(request):
    return [
        ReportOut(slug=r.slug, title=r.title, project=r.project, unit=r.unit, url=r.get_absolute_url(),
                  fields=[FieldOut(key=f.key, section=f.section, title=f.title, body=f.body) for f in r.fields.all()])
        for r in KMReport.objects.prefetch_related("fields")
    ]


@router.get("/reports/{report}/chapters", response={200: list[ChapterOut], **refusals(404)},
             summary="หมวดของระเบียบ พร้อมเรื่องความรู้")
def chapters(request, report: str):
    report_obj = get_object_or_404(KMReport, slug=report)
    return [chapter_out(c) for c in report_obj.chapters.all()]


@router.get("/reports/{report}/chapters/{chapter}", response={200: ChapterOut, **refusals(404)}, summary="หมวดเดียว")
def chapter(request, report: str, chapter: str):
    return chapter_out(get_object_or_404(Chapter, report__slug=report, slug=chapter))


@router.get("/reports/{report}/items/{item}", response={200: ItemOut, **refusals(404)}, summary="เรื่องความรู้เรื่องเดียว")
def item(request, report: str, item: str):
    items = Item.objects.published().select_related("chapter__report")
    obj = get_object_or_404(items, chapter__report__slug=report, slug=item)
    return item_out(obj)


@router.get("/glossary", response=list[TermOut], summary="คำย่อและคำเต็ม")
def glossary(request):
    return [TermOut(abbr=t.abbr, full=t.full, certain=t.certain, note=t.note) for t in GlossaryTerm.objects.all()]
