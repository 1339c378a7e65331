"""News opt-in: "รับข่าว" keeps the LINE user id, "หยุดรับข่าว" or unfollowing deletes it.
Only in a one-to-one chat: a group never gets news."""
from outreach.models import LineSubscriber

from . import replies


def subscribe(ctx):
    if ctx.in_group or not ctx.user_id:
        return replies.private_only()
    _, created = LineSubscriber.objects.get_or_create(user_id=ctx.user_id)
    return replies.subscribed(created)


def unsubscribe(ctx):
    if ctx.in_group or not ctx.user_id:
        return replies.private_only()
    deleted, _ = LineSubscriber.objects.filter(user_id=ctx.user_id).delete()
    return replies.unsubscribed(deleted)


def forget(user_id):
    """The user blocked or removed the account: nothing of theirs is kept."""
    if user_id:
        LineSubscriber.objects.filter(user_id=user_id).delete()
    return []
