"""The LINE channel: whether one is configured, and the API clients pointed at
settings.LINE_API_BASE (a local stand-in in tests and staging)."""
from functools import lru_cache
from urllib.parse import quote

from django.conf import settings
from linebot.v3.messaging import ApiClient, Configuration, MessagingApi, MessagingApiBlob

# (connect, read) seconds for one call to LINE: a reply must not hold a web worker long.
TIMEOUT = (3.05, 5)


def configured() -> bool:
    return bool(settings.LINE_CHANNEL_SECRET and settings.LINE_CHANNEL_ACCESS_TOKEN)


def friend_url() -> str:
    """The "add friend" link of the account, when a channel and its basic ID are set."""
    if not (configured() and settings.LINE_BASIC_ID):
        return ""
    basic_id = settings.LINE_BASIC_ID if settings.LINE_BASIC_ID.startswith("@") else f"@{settings.LINE_BASIC_ID}"
    return f"https://line.me/R/ti/p/{quote(basic_id)}"


@lru_cache(maxsize=4)
def _client(host: str, token: str) -> ApiClient:
    # One client (and its connection pool) per process, reused by every request.
    return ApiClient(Configuration(host=host, access_token=token))


def messaging_api() -> MessagingApi:
    return MessagingApi(_client(settings.LINE_API_BASE, settings.LINE_CHANNEL_ACCESS_TOKEN))


def blob_api() -> MessagingApiBlob:
    return MessagingApiBlob(_client(settings.LINE_API_DATA_BASE, settings.LINE_CHANNEL_ACCESS_TOKEN))
