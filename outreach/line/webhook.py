"""POST /line/webhook: LINE's Messaging API webhook.

The signature (HMAC-SHA256 of the raw body with the channel secret) is checked before
anything is parsed; a bad or missing one gets 400 and nothing is done. Each event is
handled once: its webhookEventId is stored in the same transaction as what the event
wrote, together with the reply until LINE accepts it. A redelivery of a handled event
does nothing, or only sends the reply again when LINE had not accepted it; when LINE
cannot be reached the webhook answers 500 so that LINE delivers the event again."""
import json
import logging
import time
from datetime import timedelta

import urllib3
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseNotAllowed
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from linebot.v3.exceptions import InvalidSignatureError
from linebot.v3.messaging import Message, ReplyMessageRequest
from linebot.v3.messaging.exceptions import ApiException
from linebot.v3.webhook import SignatureValidator, WebhookParser

from outreach.models import LineEvent

from . import channel, events

log = logging.getLogger(__name__)
KEEP_EVENTS = timedelta(days=7)  # longer than LINE goes on redelivering an event
_last_prune = 0.0


def _bad(message):
    return HttpResponseBadRequest(message.encode(), content_type="text/plain; charset=utf-8")


@csrf_exempt
def webhook(request):
    if not channel.configured():
        raise Http404("ยังไม่ได้ตั้งค่าบัญชี LINE")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    signature = request.headers.get("X-Line-Signature", "")
    try:
        body = request.body.decode("utf-8")
    except UnicodeDecodeError:
        return _bad("ลายเซ็นไม่ถูกต้อง")
    if not signature or not SignatureValidator(settings.LINE_CHANNEL_SECRET).validate(body, signature):
        return _bad("ลายเซ็นไม่ถูกต้อง")
    try:
        payload = WebhookParser(settings.LINE_CHANNEL_SECRET).parse(body, signature, as_payload=True)
    except (InvalidSignatureError, ValueError, KeyError, TypeError):
        return _bad("ข้อมูลจาก LINE อ่านไม่ได้")
    base = request.build_absolute_uri("/").rstrip("/")
    retry = False
    for event in payload.events or []:
        retry |= not handle(event, base)
    _prune()
    return HttpResponse(status=500 if retry else 200)


def handle(event, base) -> bool:
    """Handle one event; False when its reply could not be sent and LINE should try again."""
    event_id = getattr(event, "webhook_event_id", None)
    if not event_id:
        return True
    token = getattr(event, "reply_token", None)
    seen = LineEvent.objects.filter(event_id=event_id).values_list("pending", flat=True).first()
    if seen is not None:  # a redelivery
        return not seen or not token or send(event_id, token, [Message.from_dict(m) for m in json.loads(seen)])
    work = events.plan(event, base)
    if work is None:
        return True
    try:
        with transaction.atomic():
            messages = work()
            pending = json.dumps([m.to_dict() for m in messages], ensure_ascii=False) if messages and token else ""
            LineEvent.objects.create(event_id=event_id, pending=pending)
    except IntegrityError:
        return True  # another delivery of the same event got there first
    return not pending or send(event_id, token, messages)


def send(event_id, token, messages) -> bool:
    try:
        channel.messaging_api().reply_message(ReplyMessageRequest(reply_token=token, messages=messages),
                                              _request_timeout=channel.TIMEOUT)
    except ApiException as exc:
        if exc.status is None or exc.status >= 500 or exc.status == 429:
            log.warning("LINE did not take the reply to %s (%s); asking for redelivery", event_id, exc.status)
            return False
        # 4xx: an expired or used reply token, a refused message; sending again will not help.
        log.error("LINE refused the reply to %s: %s %s", event_id, exc.status, exc.body)
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        log.warning("LINE could not be reached for %s (%r); asking for redelivery", event_id, exc)
        return False
    LineEvent.objects.filter(event_id=event_id).update(pending="")
    return True


def _prune():
    """Forget handled events after a week, at most once an hour per process."""
    global _last_prune
    if time.monotonic() - _last_prune > 3600:
        _last_prune = time.monotonic()
        LineEvent.objects.filter(received_at__lt=timezone.now() - KEEP_EVENTS, pending="").delete()
