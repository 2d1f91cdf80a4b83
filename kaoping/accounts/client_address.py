"""The client's address as the nearest trusted proxy saw it.

Each proxy appends the address it received from to X-Forwarded-For, so with N trusted proxies the
client is the N-th entry from the right; anything left of it was written by the client and can be
forged. (django-ipware takes the leftmost entry, which is the forgeable one, so it is not used.)
"""

from __future__ import annotations

import ipaddress

from django.conf import settings


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request) -> str | None:
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.KAOPING_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part]
    if len(forwarded) < proxies:
        # Fewer hops than configured proxies: the request did not come through them.
        return remote
    return _valid(forwarded[-proxies]) or remote
