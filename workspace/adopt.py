"""Bringing a KM that is already published (e.g. the seed KM, loaded from the content files)
into the workspace: a unit's KM team then edits it in rounds that its executive approves,
while the public keeps reading the published version. Addresses stay as they are."""
from django.db import transaction
from django.utils import timezone

from accounts.models import audit
from knowledge.models import FIELD_KEYS, Item

from .models import PUBLISHED, Draft, DraftChapter, DraftItem, Transition


class AdoptError(Exception):
    pass


@transaction.atomic
def adopt(report, unit, actor=None) -> Draft:
    if Draft.objects.filter(report=report).exists():
        raise AdoptError(f"รายงาน “{report.title}” อยู่ในพื้นที่ทำงาน KM แล้ว")
    unpublished = Item.objects.filter(chapter__report=report).exclude(status=Item.PUBLISHED).count()
    if unpublished:
        raise AdoptError(f"รายงาน “{report.title}” มีเรื่องที่ยังเป็นฉบับร่าง {unpublished} เรื่อง "
                         "กรุณาเผยแพร่หรือลบเรื่องเหล่านั้นก่อน")
    keys = dict(FIELD_KEYS)
    draft = Draft.objects.create(
        unit=unit, title=report.title, project=report.project, report=report, status=PUBLISHED,
        fields={f.key: f.body for f in report.fields.all() if f.key in keys}, created_by=actor,
        published_at=report.updated_at or timezone.now())
    for chapter in report.chapters.all():
        copy = DraftChapter.objects.create(draft=draft, number=chapter.number, slug=chapter.slug,
                                           title=chapter.title, summary=chapter.summary)
        for item in chapter.items.all():
            DraftItem.objects.create(chapter=copy, order=item.order, slug=item.slug, title=item.title, body=item.body)
    Transition.objects.create(draft=draft, from_status=PUBLISHED, to_status=PUBLISHED, actor=actor,
                              comment="นำ KM ที่เผยแพร่แล้วเข้าพื้นที่ทำงาน")
    report.in_workspace = True
    report._change_reason = "นำเข้าพื้นที่ทำงาน KM"
    report.save()
    audit("km.adopt", actor=actor, unit=unit, target=draft, title=draft.title, report=report.slug)
    return draft
