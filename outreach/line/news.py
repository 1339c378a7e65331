"""News to the followers who typed "รับข่าว": an editor confirms an announcement in the
admin, `start` splits the followers into batches of LINE's multicast limit (by ranges of
subscriber rows, so no list of user ids is copied anywhere) and the task queue sends each
batch. A batch keeps its retry key, so sending it again never delivers twice."""
import logging

import urllib3
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks import task
from linebot.v3.messaging import MulticastRequest
from linebot.v3.messaging.exceptions import ApiException

from outreach.models import LineSubscriber, NewsAnnouncement, NewsBatch

from . import channel, replies

log = logging.getLogger(__name__)
BATCH = 500  # LINE's limit of recipients per multicast


def recipients_count():
    return LineSubscriber.objects.count()


def start(announcement) -> int:
    """Make the batches of a draft (or the failed batches of a half-sent) announcement and
    queue them; returns how many batches were queued."""
    with transaction.atomic():
        announcement = NewsAnnouncement.objects.select_for_update().get(pk=announcement.pk)
        if announcement.status == NewsAnnouncement.DRAFT:
            pks = list(LineSubscriber.objects.order_by("pk").values_list("pk", flat=True))
            NewsBatch.objects.bulk_create(
                NewsBatch(announcement=announcement, number=n, first_pk=chunk[0], last_pk=chunk[-1])
                for n, chunk in enumerate((pks[i:i + BATCH] for i in range(0, len(pks), BATCH)), 1))
        elif announcement.status == NewsAnnouncement.FAILED:
            announcement.batches.filter(status=NewsBatch.FAILED).update(status=NewsBatch.QUEUED, error="")
        else:
            return 0
        queued = list(announcement.batches.filter(status=NewsBatch.QUEUED).values_list("pk", flat=True))
        announcement.status = NewsAnnouncement.SENDING if queued else NewsAnnouncement.SENT
        announcement.sent_at = timezone.now()
        announcement.save(update_fields=["status", "sent_at"])
        transaction.on_commit(lambda: [send_batch.enqueue(pk) for pk in queued])
    return len(queued)


@task(queue_name="line")
def send_batch(batch_id):
    batch = NewsBatch.objects.select_related("announcement__item__chapter").get(pk=batch_id)
    if batch.status != NewsBatch.QUEUED:
        return
    to = list(LineSubscriber.objects.filter(pk__gte=batch.first_pk, pk__lte=batch.last_pk)
              .order_by("pk").values_list("user_id", flat=True))
    status, error = NewsBatch.SENT, ""
    if to:
        message = replies.news(batch.announcement, settings.SITE_URL)
        try:
            channel.messaging_api().multicast(MulticastRequest(to=to, messages=[message]),
                                              x_line_retry_key=batch.retry_key, _request_timeout=channel.TIMEOUT)
        except ApiException as exc:
            if exc.status != 409:  # 409: LINE already accepted this retry key
                log.error("news batch %s: LINE answered %s %s", batch_id, exc.status, exc.body)
                status, error = NewsBatch.FAILED, f"LINE ตอบกลับ {exc.status}"
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            log.error("news batch %s: %r", batch_id, exc)
            status, error = NewsBatch.FAILED, "ติดต่อ LINE ไม่ได้"
    NewsBatch.objects.filter(pk=batch_id).update(status=status, error=error,
                                                 recipients=len(to) if status == NewsBatch.SENT else 0)
    _settle(batch.announcement_id)


def _settle(announcement_id):
    """Once no batch is waiting, the announcement is sent, or failed if any batch failed."""
    batches = NewsBatch.objects.filter(announcement_id=announcement_id)
    if batches.filter(status=NewsBatch.QUEUED).exists():
        return
    failed = batches.filter(status=NewsBatch.FAILED).exists()
    NewsAnnouncement.objects.filter(pk=announcement_id).update(
        status=NewsAnnouncement.FAILED if failed else NewsAnnouncement.SENT)


def delivered(announcement) -> int:
    return sum(announcement.batches.filter(status=NewsBatch.SENT).values_list("recipients", flat=True))
