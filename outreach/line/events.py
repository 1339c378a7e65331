"""One webhook event → what to do about it. `plan` reads only and returns a function that
writes and returns the reply's messages, or None when the event needs nothing (a group
message not addressed to the bot, an event type the bot does not use)."""
from dataclasses import dataclass

from linebot.v3.webhooks import (
    FollowEvent,
    JoinEvent,
    MessageEvent,
    PostbackEvent,
    TextMessageContent,
    UnfollowEvent,
)

from . import postbacks, replies, texts
from .subscribers import forget

ADDRESSING = ("ถาม", "?", "？")


@dataclass(frozen=True)
class Context:
    base: str  # the site's address for links
    in_group: bool  # a group or multi-person chat
    user_id: str  # the sender, when LINE gives one; stored only on "รับข่าว"

    @classmethod
    def of(cls, event, base):
        source = event.source
        kind = getattr(source, "type", "user")
        return cls(base=base, in_group=kind in ("group", "room"), user_id=getattr(source, "user_id", None) or "")


def addressed_text(message, ctx):
    """The text meant for the bot. In a group only a mention of the bot or a message
    starting with "ถาม" or "?" is; the mention itself is cut out."""
    text = message.text
    if not ctx.in_group:
        return text
    mine = [m for m in (message.mention.mentionees if message.mention else []) if getattr(m, "is_self", False)]
    if mine:
        for m in sorted(mine, key=lambda m: m.index, reverse=True):
            text = text[:m.index] + text[m.index + m.length:]
        return text
    return text if text.lstrip().startswith(ADDRESSING) else None


def plan(event, base):
    if getattr(event, "mode", "active") != "active":
        return None  # standby: another channel answers this chat
    ctx = Context.of(event, base)
    if isinstance(event, MessageEvent):
        if isinstance(event.message, TextMessageContent):
            text = addressed_text(event.message, ctx)
            return None if text is None else texts.plan(text, ctx)
        return None if ctx.in_group else (lambda: replies.text_only())
    if isinstance(event, PostbackEvent):
        return postbacks.plan(event.postback.data, ctx)
    if isinstance(event, FollowEvent):
        return lambda: replies.greeting()
    if isinstance(event, JoinEvent):
        return lambda: replies.group_greeting()
    if isinstance(event, UnfollowEvent):
        return lambda: forget(ctx.user_id)
    return None
