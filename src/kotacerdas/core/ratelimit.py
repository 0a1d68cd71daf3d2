"""Rate limits for public endpoints (the service desk's form and Open311, Cek Bansos).

A fixed window per key, counted in Django's cache: the file cache in the data directory by
default, so that every gunicorn worker of a deployment counts together; Redis when
``REDIS_URL`` is set. A limit is ``(count, seconds)``; the settings name them, so operations
can loosen one without a release.
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's address as the platform sees it. Behind a reverse proxy the proxy must set
    REMOTE_ADDR (gunicorn's ``--forwarded-allow-ips``); headers a client can forge are not read."""
    return request.META.get("REMOTE_ADDR", "")


def hit(scope: str, key: str, limit: tuple[int, int]) -> bool:
    """Count one use of ``scope`` by ``key`` and say whether it is within ``limit``.

    The key is hashed before it reaches the cache, so a NIK or an address never sits there.
    """
    count, seconds = limit
    if count <= 0:
        return True
    window = int(time.time() // seconds)
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{window}:{digest}"
    # add() only sets a missing key, so the first use of a window starts it at 1 atomically
    # enough for a limit (two racing first uses may both count as 1: one extra request).
    if cache.add(cache_key, 1, timeout=seconds):
        return True
    try:
        used = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=seconds)
        return True
    return used <= count


def limit_for(name: str) -> tuple[int, int]:
    """The configured limit ``name`` (see settings.RATE_LIMITS)."""
    return settings.RATE_LIMITS[name]
