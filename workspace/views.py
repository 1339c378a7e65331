"""The KM teams' pages: home, new KM, edit KM / chapter / item (with preview), submit, review
(diff, return with comment or approve), publish, and the division's pipeline of every unit."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.models import Unit, audit
from knowledge.render import render_markdown

from . import access, workflow
from .diffs import draft_diff
from .feedback import published_item, reader_voice, voice_counts
from .forms import AttachmentForm, ChapterForm, DraftForm, ItemForm, ReviewForm
from .models import APPROVED, DRAFT, PUBLISHED, RETURNED, SUBMITTED, Attachment, Draft, DraftChapter, DraftItem
from .publishing import publish as publish_draft

MAX_PREVIEW = 100_000


def _workspace_user(request):
    if not access.in_workspace(request.user):
        raise PermissionDenied("บัญชีนี้ยังไม่มีบทบาทในพื้นที่ทำงาน KM กรุณาติดต่อผู้ดูแล KM ของกอง")


def _draft(request, pk):
    """The draft if the user may see it; another unit's draft is not found (404), not refused."""
    _workspace_user(request)
    return get_object_or_404(access.visible_drafts(request.user).select_related("unit", "report"), pk=pk)


def _editable_draft(request, pk):
    draft = _draft(request, pk)
    if not access.can_edit(request.user, draft):
        raise PermissionDenied("เฉพาะทีม KM ของหน่วยงานนี้เท่านั้นที่แก้ไข KM นี้ได้")
    if not draft.editable:
        raise PermissionDenied(f"KM นี้อยู่ในสถานะ “{draft.get_status_display()}” จึงยังแก้ไขไม่ได้")
    return draft


def _changed(draft, user):
    """An edit to a published KM starts a new round: the public keeps the published version."""
    if draft.status == PUBLISHED:
        workflow.move(draft, "reopen", user)  # saves the draft
    else:
        draft.save()


@login_required
@never_cache
def home(request):
    _workspace_user(request)
    user = request.user
    drafts = list(access.visible_drafts(user).select_related("unit", "report").order_by("unit__name", "-updated_at"))
    today = timezone.localdate()
    overdue = (DraftItem.objects.filter(chapter__draft__in=[d.pk for d in drafts], review_by__lt=today)
               .select_related("chapter__draft").order_by("review_by"))
    reviewer_units = set(access.reviewer_units(user).values_list("pk", flat=True))
    to_review = [d for d in drafts if d.status == SUBMITTED and d.unit_id in reviewer_units]
    units = {}
    for d in drafts:
        units.setdefault(d.unit, []).append(d)
    return render(request, "workspace/home.html", {
        "units": units, "overdue": overdue, "to_review": to_review,
        "can_create": access.editor_units(user).exists(), "is_admin": access.is_km_admin(user),
    })


@login_required
@never_cache
def new(request):
    _workspace_user(request)
    units = access.editor_units(request.user)
    if not units.exists():
        raise PermissionDenied("เฉพาะทีม KM ของหน่วยงานเท่านั้นที่สร้าง KM ได้")
    form = DraftForm(request.POST or None, units=units, new=True)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            draft = Draft.objects.create(unit=form.cleaned_data["unit"], title=form.cleaned_data["title"],
                                         project=form.cleaned_data["project"], fields=form.field_values(),
                                         created_by=request.user)
            DraftChapter.objects.create(draft=draft, number=1, title=form.cleaned_data["chapter"])
            audit("km.create", actor=request.user, unit=draft.unit, target=draft, title=draft.title)
        messages.success(request, "สร้าง KM แล้ว ต่อไปเพิ่มเรื่องความรู้ในหมวด")
        return redirect(draft)
    return render(request, "workspace/draft_form.html", {"form": form, "new": True})


@login_required
@never_cache
def draft_page(request, pk):
    draft = _draft(request, pk)
    chapters = list(draft.chapters.prefetch_related("items"))
    voices = voice_counts(draft)
    for chapter in chapters:
        for item in chapter.items.all():
            item.voice = voices.get(item.pk, 0)
    fields = [(key, title, n, render_markdown(body)) for key, title, n, body in draft.field_rows() if body.strip()]
    return render(request, "workspace/draft.html", {
        "draft": draft, "chapters": chapters, "fields": fields,
        "transitions": draft.transitions.select_related("actor"),
        "can_edit": access.can_edit(request.user, draft) and draft.editable,
        "can_submit": access.can_edit(request.user, draft) and draft.status in (DRAFT, RETURNED)
        and draft.items().exists(),
        "can_review": access.can_review(request.user, draft) and draft.status == SUBMITTED,
        "can_publish": access.can_publish(request.user, draft) and draft.status == APPROVED,
        "last_return": draft.transitions.filter(to_status=RETURNED).order_by("-at").first()
        if draft.status == RETURNED else None,
        "today": timezone.localdate(),
        "attachments": draft.attachments.all(),
        "attachment_form": AttachmentForm() if access.can_edit(request.user, draft) else None,
        "max_upload": settings.WORKSPACE_MAX_UPLOAD_MB,
    })


@login_required
@require_POST
def attach(request, pk):
    """A source document of the KM; the type is read from the file itself and the size checked."""
    draft = _draft(request, pk)
    if not access.can_edit(request.user, draft):
        raise PermissionDenied("เฉพาะทีม KM ของหน่วยงานนี้เท่านั้นที่แนบเอกสารได้")
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "แนบไม่สำเร็จ: " + " ".join(form.errors["file"]))
        return redirect(draft)
    upload = form.cleaned_data["file"]
    with transaction.atomic():
        attachment = Attachment(draft=draft, name=upload.name[:200], content_type=upload.sniffed_type,
                                size=upload.size, uploaded_by=request.user)
        attachment.file.save("upload", upload, save=False)
        attachment.save()
        audit("km.attach", actor=request.user, unit=draft.unit, target=draft, name=attachment.name,
              size=attachment.size)
    messages.success(request, f"แนบ “{attachment.name}” แล้ว")
    return redirect(draft)


@login_required
def attachment(request, pk, attachment_pk):
    draft = _draft(request, pk)
    found = get_object_or_404(Attachment, pk=attachment_pk, draft=draft)
    # Images open in the browser; a PDF is downloaded (its type was read from its first bytes).
    return FileResponse(found.file.open("rb"), content_type=found.content_type,
                        as_attachment=found.content_type == "application/pdf", filename=found.name)


@login_required
@require_POST
def attachment_delete(request, pk, attachment_pk):
    draft = _draft(request, pk)
    if not access.can_edit(request.user, draft):
        raise PermissionDenied("เฉพาะทีม KM ของหน่วยงานนี้เท่านั้นที่ลบเอกสารได้")
    found = get_object_or_404(Attachment, pk=attachment_pk, draft=draft)
    with transaction.atomic():
        found.delete()
        audit("km.detach", actor=request.user, unit=draft.unit, target=draft, name=found.name)
        transaction.on_commit(lambda: found.file.storage.delete(found.file.name))
    messages.success(request, f"ลบ “{found.name}” แล้ว")
    return redirect(draft)


@login_required
@never_cache
def edit(request, pk):
    draft = _editable_draft(request, pk)
    initial = {"title": draft.title, "project": draft.project,
               **{f"f_{key}": body for key, _, _, body in draft.field_rows()}}
    form = DraftForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            draft.title, draft.project = form.cleaned_data["title"], form.cleaned_data["project"]
            draft.fields = form.field_values()
            draft._change_reason = "แก้ไขหัวข้อ KM"
            _changed(draft, request.user)
        messages.success(request, "บันทึกแล้ว")
        return redirect(draft)
    return render(request, "workspace/draft_form.html", {"form": form, "draft": draft})


@login_required
@require_POST
def delete(request, pk):
    """A KM that was never published may be thrown away by its team (its files with it)."""
    draft = _editable_draft(request, pk)
    if draft.report_id:
        raise PermissionDenied("KM ที่เผยแพร่แล้วลบจากพื้นที่ทำงานไม่ได้")
    files = [a.file.name for a in draft.attachments.all()]
    with transaction.atomic():
        audit("km.delete", actor=request.user, unit=draft.unit, target=draft, title=draft.title)
        draft._change_reason = "ลบ KM ฉบับร่าง"
        draft.delete()
        storage = Attachment._meta.get_field("file").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in files])
    messages.success(request, f"ลบ KM “{draft.title}” แล้ว")
    return redirect("workspace:home")


@login_required
@never_cache
def chapter_form(request, pk, chapter_pk=None):
    draft = _editable_draft(request, pk)
    chapter = get_object_or_404(draft.chapters, pk=chapter_pk) if chapter_pk else None
    next_number = (max(draft.chapters.values_list("number", flat=True), default=0) or 0) + 1
    form = ChapterForm(request.POST or None, instance=chapter, initial=None if chapter else {"number": next_number})
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"]
        if draft.chapters.filter(number=number).exclude(pk=chapter.pk if chapter else None).exists():
            form.add_error("number", "KM นี้มีหมวดที่นี้แล้ว")
        else:
            with transaction.atomic():
                saved = form.save(commit=False)
                saved.draft = draft
                saved.save()
                _changed(draft, request.user)
            messages.success(request, "บันทึกหมวดแล้ว")
            return redirect(draft)
    return render(request, "workspace/chapter_form.html", {"form": form, "draft": draft, "chapter": chapter})


@login_required
@never_cache
def item_form(request, pk, item_pk=None):
    """Write an item in Markdown. The preview button shows the page as the public will see it
    without saving (and without JavaScript); with JavaScript the preview follows the typing."""
    draft = _editable_draft(request, pk)
    item = get_object_or_404(DraftItem, pk=item_pk, chapter__draft=draft) if item_pk else None
    wanted = request.GET.get("chapter", "")
    chapter = draft.chapters.filter(pk=int(wanted)).first() if wanted.isdigit() and len(wanted) < 10 else None
    chapter = chapter or (item.chapter if item else draft.chapters.first())
    initial = {}
    if item is None and chapter is not None:
        initial = {"chapter": chapter, "order": (max(chapter.items.values_list("order", flat=True), default=0)) + 1}
    form = ItemForm(request.POST or None, instance=item, initial=initial, draft=draft)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = render_markdown(form.cleaned_data["body"])
        else:
            with transaction.atomic():
                saved = form.save(commit=False)
                if "review_by" in form.changed_data:
                    saved.reminded_at = None  # a new date: remind again once it passes
                saved._change_reason = "แก้ไขเรื่องความรู้" if item else "เพิ่มเรื่องความรู้"
                saved.save()
                _changed(draft, request.user)
            messages.success(request, f"บันทึกเรื่อง “{saved.title}” แล้ว")
            return redirect(draft)
    elif item is not None:
        preview = render_markdown(item.body)
    voice = reader_voice(published_item(item)) if item else None
    return render(request, "workspace/item_form.html", {"form": form, "draft": draft, "item": item,
                                                        "preview": preview, "voice": voice})


@login_required
@require_POST
def item_delete(request, pk, item_pk):
    draft = _editable_draft(request, pk)
    item = get_object_or_404(DraftItem, pk=item_pk, chapter__draft=draft)
    with transaction.atomic():
        item._change_reason = "ลบเรื่องความรู้"
        item.delete()
        _changed(draft, request.user)
    messages.success(request, f"ลบเรื่อง “{item.title}” ออกจากฉบับร่างแล้ว")
    return redirect(draft)


@login_required
@require_POST
def preview(request):
    """Markdown → the HTML the public page would show (sanitised, glossary linked), for the live preview."""
    _workspace_user(request)
    text = request.POST.get("body", "")[:MAX_PREVIEW]
    return HttpResponse(render_markdown(text), content_type="text/html; charset=utf-8")


@login_required
@require_POST
def submit(request, pk):
    draft = _draft(request, pk)
    if not access.can_edit(request.user, draft):
        raise PermissionDenied("เฉพาะทีม KM ของหน่วยงานนี้เท่านั้นที่เสนอ KM นี้ได้")
    if not draft.items().exists():
        messages.error(request, "ยังเสนอไม่ได้: KM ต้องมีเรื่องความรู้อย่างน้อยหนึ่งเรื่อง")
        return redirect(draft)
    try:
        workflow.move(draft, "submit", request.user, request.POST.get("comment", ""))
    except workflow.WorkflowError as e:
        messages.error(request, str(e))
    else:
        messages.success(request, "เสนอผู้บริหารแล้ว")
    return redirect(draft)


@login_required
@never_cache
def review(request, pk):
    draft = _draft(request, pk)
    reviewer = access.can_review(request.user, draft)
    # The division's KM administrators read the comparison too; only the unit's executive decides.
    if not reviewer and not (request.method == "GET" and access.is_km_admin(request.user)):
        raise PermissionDenied("เฉพาะผู้บริหารผู้อนุมัติ KM ของหน่วยงานนี้เท่านั้นที่พิจารณา KM นี้ได้")
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if draft.status != SUBMITTED:
            messages.error(request, f"KM นี้อยู่ในสถานะ “{draft.get_status_display()}” ไม่ได้รอการพิจารณา")
            return redirect(draft)
        if form.is_valid():
            decision = form.cleaned_data["decision"]
            workflow.move(draft, decision, request.user, form.cleaned_data["comment"])
            messages.success(request, "อนุมัติแล้ว เผยแพร่ได้" if decision == "approve" else "ส่งกลับให้ทีม KM แก้ไขแล้ว")
            return redirect(draft)
    parts = draft_diff(draft)
    return render(request, "workspace/review.html", {
        "draft": draft, "form": form, "parts": parts, "changed": [p for p in parts if p.changed],
        "unchanged": [p for p in parts if not p.changed], "waiting": draft.status == SUBMITTED,
        "decides": reviewer,
    })


@login_required
@require_POST
def publish(request, pk):
    draft = _draft(request, pk)
    if not access.can_publish(request.user, draft):
        raise PermissionDenied("เฉพาะทีม KM หรือผู้บริหารของหน่วยงานนี้เท่านั้นที่เผยแพร่ KM นี้ได้")
    try:
        report = publish_draft(draft, request.user)
    except workflow.WorkflowError as e:
        messages.error(request, str(e))
        return redirect(draft)
    messages.success(request, "เผยแพร่แล้ว ทุกคนอ่านและค้นหาได้")
    return redirect(report)


@login_required
@never_cache
def pipeline(request):
    """Every unit's KMs: how many drafted, in review, published, overdue for review."""
    if not access.is_km_admin(request.user):
        raise PermissionDenied("เฉพาะผู้ดูแล KM ระดับกองเท่านั้นที่ดูภาพรวมทุกหน่วยงานได้")
    today = timezone.localdate()
    units = (Unit.objects.filter(km_drafts__isnull=False).distinct().annotate(
        drafted=Count("km_drafts", filter=Q(km_drafts__status__in=[DRAFT, RETURNED]), distinct=True),
        in_review=Count("km_drafts", filter=Q(km_drafts__status__in=[SUBMITTED, APPROVED]), distinct=True),
        published=Count("km_drafts", filter=Q(km_drafts__report__isnull=False), distinct=True),
        overdue=Count("km_drafts__chapters__items", filter=Q(km_drafts__chapters__items__review_by__lt=today),
                      distinct=True),
    ).order_by("name"))
    totals = {k: sum(getattr(u, k) for u in units) for k in ("drafted", "in_review", "published", "overdue")}
    return render(request, "workspace/pipeline.html", {"units": units, "totals": totals})
