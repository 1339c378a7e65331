"""The privacy notice (public), and a staff member's page for one person's data request:
see what is stored, download it, erase it."""
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from volunteerkm.templatetags.thai import thainum

from .person import erase_person, personal_data, record_export, records_of, visible_participants
from .retention import retention_days


def notice(request):
    return render(request, "privacy/notice.html", {"retention_days": retention_days()})


def _person(request, pk):
    """The participant (of a unit the user works in, or 404) and all rows of the same person."""
    participant = get_object_or_404(visible_participants(request.user), pk=pk)
    return participant, list(records_of(participant, request.user))


@login_required
def person(request, pk):
    participant, records = _person(request, pk)
    return render(request, "privacy/person.html", {"participant": participant, "records": records})


@login_required
def person_export(request, pk):
    participant, records = _person(request, pk)
    record_export(records, request.user)
    data = json.dumps(personal_data(records), ensure_ascii=False, indent=2)
    response = HttpResponse(data, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, f"personal-data-{participant.pk}.json")
    return response


@login_required
@require_POST
def person_erase(request, pk):
    participant, records = _person(request, pk)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "กรุณาติ๊กยืนยันก่อนลบข้อมูล")
        return redirect("privacy:person", pk=pk)
    count = erase_person(records, request.user)
    messages.success(request, f"ลบข้อมูลส่วนบุคคลแล้ว {thainum(count)} รายการ คะแนนยังนับอยู่ในรายงานโดยไม่ระบุตัวตน")
    return redirect("privacy:person", pk=pk)
