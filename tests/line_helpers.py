"""Webhook events as LINE sends them, signed with the channel secret."""
import base64
import hashlib
import hmac
import itertools
import json

SECRET, TOKEN = "test-channel-secret", "test-channel-token"
BOT_NAME = "@คลังความรู้ อพม."
_serial = itertools.count(1)


def sign(body: bytes, secret=SECRET) -> str:
    return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()


def _base(kind, user, group=None, **extra):
    n = next(_serial)
    source = {"type": "group", "groupId": group, "userId": user} if group else {"type": "user", "userId": user}
    return {"type": kind, "mode": "active", "timestamp": 1767225600000 + n, "source": source,
            "webhookEventId": f"01JTEST{n:019d}", "deliveryContext": {"isRedelivery": False},
            "replyToken": f"reply-token-{n}", **extra}


def text_event(text, user="U0000000000000000000000000000test", group=None, mention_self=False):
    message = {"id": str(next(_serial)), "type": "text", "text": text, "quoteToken": "quote"}
    if mention_self:
        message["text"] = f"{BOT_NAME} {text}"
        message["mention"] = {"mentionees": [{"index": 0, "length": len(BOT_NAME), "type": "user",
                                              "userId": "Ubot", "isSelf": True}]}
    return _base("message", user, group, message=message)


def postback_event(data, user="U0000000000000000000000000000test"):
    return _base("postback", user, postback={"data": data})


def follow_event(user="U0000000000000000000000000000test"):
    return _base("follow", user, follow={"isUnblocked": False})


def unfollow_event(user="U0000000000000000000000000000test"):
    event = _base("unfollow", user)
    del event["replyToken"]
    return event


def join_event(group="C0000000000000000000000000000group"):
    event = _base("join", None, group)
    del event["source"]["userId"]
    return event


def post(client, *events, signature=None, body=None):
    """POST the events to the webhook as LINE does; returns the response."""
    body = body if body is not None else json.dumps({"destination": "Ubot", "events": list(events)},
                                                    ensure_ascii=False).encode()
    headers = {} if signature == "" else {"HTTP_X_LINE_SIGNATURE": signature or sign(body)}
    return client.post("/line/webhook", data=body, content_type="application/json", **headers)
