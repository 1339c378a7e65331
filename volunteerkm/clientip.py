"""The address a request came from, for rate limits and login lockouts.

Behind a load balancer every request arrives from the balancer, so with
``TRUSTED_PROXIES`` = n the address is the n-th entry from the right of
X-Forwarded-For (each trusted proxy appends the address it saw). With the default 0
the peer address (REMOTE_ADDR) is used and X-Forwarded-For, which anyone can send, is
ignored.
"""
from django.conf import settings


def client_ip(request) -> str:
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"
