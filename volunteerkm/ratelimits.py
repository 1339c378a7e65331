"""Rate limits on the paths that strangers can hammer, counted by django-ratelimit in the
cache (Redis when REDIS_URL is set; shared by every app process), answered with a Thai
message, status 429 and ``Retry-After``.

Who shares an address matters more than anything else here. A training room is a
hundred phones or more behind one school or office NAT, and Thai mobile carriers put
many more subscribers behind one carrier-grade NAT address. So nothing a whole room
does together is counted per address alone:

* joining is counted per address *and session code*: the room joins one session;
* submissions are counted per ticket (one person's one test);
* what is counted per address alone (code misses, searches, suggestions, login posts)
  has a ceiling several times what a full room does.

The numbers, for a room of 100 phones behind one address (300 in a hall still fits):

==============  =========================  ==========  ==========================================
limit           key                        rate        why this number
==============  =========================  ==========  ==========================================
code misses     address                    100 / 10 m  a room mistypes the code maybe 20–40
                                                       times; 100 misses are ~1 in 10⁵ of the
                                                       23⁶ ≈ 1.5 × 10⁸ codes per 10 minutes
joining         address + session code     300 / 10 m  every phone of a 300-seat hall joins
                                                       once (a shared phone twice) in 10 min
submissions     ticket                     20 / 1 m    a phone retries every 2–15 s while it
                                                       has no answer; a person submits once
searches        address                    600 / 1 m   100 people searching every 10 s
suggestions     address                    1500 / 1 m  ~5 suggestion calls per typed question
login posts     address                    100 / 10 m  a room of trainers logging in at once;
                                                       beside django-axes, which locks one
                                                       username from one address after 5 misses
==============  =========================  ==========  ==========================================

Only answers 404 count as code misses (an unknown code); every other limit counts each
request it covers. Counters live in fixed windows with a per-key offset; ``Retry-After``
is the time left in the window.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

from .clientip import client_ip
from .thai import thai_digits


def _address(group, request):
    return client_ip(request)


def _address_and_code(group, request):
    match = re.match(r"^/(?:j|api/assessments/sessions)/([^/]+)/", request.path_info)
    code = match.group(1).strip().upper() if match else ""
    return f"{client_ip(request)}|{code}"


def _ticket(group, request):
    """The submission's ticket (form field or JSON body); without one, the address."""
    ticket = ""
    if request.content_type == "application/json":
        try:
            ticket = json.loads(request.body or b"{}").get("ticket", "")
        except (ValueError, AttributeError):
            ticket = ""
    else:
        ticket = request.POST.get("ticket", "")
    if not isinstance(ticket, str) or not ticket:
        return "no-ticket|" + client_ip(request)
    return "ticket|" + hashlib.sha256(ticket.encode()).hexdigest()


EACH, MISSES = "each", "misses"


@dataclass(frozen=True)
class Limit:
    group: str
    paths: re.Pattern
    methods: tuple[str, ...]
    key: object
    rate: str
    message: str
    counts: str = EACH

    def covers(self, request) -> bool:
        return request.method in self.methods and bool(self.paths.match(request.path_info))


LIMITS = [
    # Every page that looks a session up by its code, except the submissions: an answer on
    # its way is never held back by other people's typing.
    Limit("code-misses", re.compile(r"^/(j/([^/]+/(consent/|test/|result/[^/]+/)?)?"
                                    r"|api/assessments/sessions/[^/]+(/join|/test|/results/[^/]+)?)$"),
          ("GET", "POST", "HEAD"), _address,
          "100/10m", "ลองรหัสเข้าร่วมที่ไม่มีอยู่หลายครั้งเกินไป กรุณาตรวจรหัสบนจอของผู้จัดอบรม "
          "หรือสแกนคิวอาร์โค้ดแทน แล้วลองใหม่ในอีก {wait}", counts=MISSES),
    Limit("join", re.compile(r"^/(j/[^/]+/consent/|api/assessments/sessions/[^/]+/join)$"), ("POST",),
          _address_and_code, "300/10m",
          "มีการเข้าร่วมการอบรมนี้จากเครือข่ายเดียวกันมากเกินไปในเวลาสั้น ๆ กรุณาลองใหม่ในอีก {wait} "
          "หรือแจ้งผู้จัดอบรม"),
    Limit("submit", re.compile(r"^/(j/[^/]+/submit/|tests/submit/|api/assessments/(sessions/[^/]+|staff)/submit)$"),
          ("POST",), _ticket, "20/m",
          "ส่งคำตอบชุดเดียวกันถี่เกินไป คำตอบของคุณยังเก็บอยู่ในเครื่อง กรุณาส่งใหม่ในอีก {wait}"),
    Limit("search", re.compile(r"^/(search/|api/search)$"), ("GET",), _address, "600/m",
          "มีการค้นหาจากเครือข่ายนี้ถี่เกินไป กรุณาลองใหม่ในอีก {wait}"),
    Limit("suggest", re.compile(r"^/search/suggest/$"), ("GET",), _address, "1500/m",
          "มีการขอคำแนะนำการค้นหาจากเครือข่ายนี้ถี่เกินไป กรุณาลองใหม่ในอีก {wait}"),
    Limit("login", re.compile(r"^/(accounts|admin)/login/$"), ("POST",), _address, "100/10m",
          "มีการเข้าสู่ระบบจากเครือข่ายนี้ถี่เกินไป กรุณาลองใหม่ในอีก {wait}"),
]


def thai_wait(seconds: int) -> str:
    """'๔๕ วินาที', '๓ นาที' — how long to wait, rounded up to whole minutes past a minute."""
    if seconds < 60:
        return thai_digits(f"{max(1, seconds)} วินาที")
    return thai_digits(f"{-(-seconds // 60)} นาที")


def too_many(request, message: str, retry_after: int):
    """A Thai 429: JSON for the API, a page for people; with Retry-After in seconds."""
    retry_after = max(1, int(retry_after))
    text = message.format(wait=thai_wait(retry_after))
    if request.path_info.startswith("/api/"):
        response = JsonResponse({"detail": text, "retry_after": retry_after}, status=429,
                                json_dumps_params={"ensure_ascii": False})
    else:
        response = render(request, "429.html", {"message": text}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _usage(request, limit: Limit, increment: bool):
    return get_usage(request, group=limit.group, key=limit.key, rate=limit.rate, method=limit.methods,
                     increment=increment)


class RateLimitMiddleware:
    """Checks LIMITS before the view runs; code misses are counted after it answers 404."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limits = [limit for limit in LIMITS if limit.covers(request)]
        for limit in limits:
            counting = limit.counts == EACH
            usage = _usage(request, limit, increment=counting)
            # Counted here, this request is one of `count`; misses are counted after the view.
            if usage and (usage["should_limit"] if counting else usage["count"] >= usage["limit"]):
                # The window's last second still belongs to it: the next one starts a second later.
                return too_many(request, limit.message, usage["time_left"] + 1)
        response = self.get_response(request)
        if response.status_code == 404:
            for limit in limits:
                if limit.counts == MISSES:
                    _usage(request, limit, increment=True)
        return response


LOGIN_LOCKED = ("ชื่อผู้ใช้นี้ใส่รหัสผ่านผิดหลายครั้งเกินไป จึงพักการเข้าสู่ระบบจากเครือข่ายนี้ไว้ชั่วคราว "
                "กรุณาลองใหม่ในอีก {wait} หรือติดต่อผู้ดูแลระบบเพื่อตั้งรหัสผ่านใหม่")


def login_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer once a username has failed too often from one address."""
    return too_many(request, LOGIN_LOCKED, int(settings.AXES_COOLOFF_TIME.total_seconds()))
