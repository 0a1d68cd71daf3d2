"""Rate limits (core.ratelimit): a fixed window per scope and key, counted in the cache, with
the key hashed before it reaches the cache."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from kotacerdas.core import ratelimit

# The root conftest gives every test a fresh LocMem cache.
NIK = "3571014501900001"
ADDRESS = "203.0.113.7"


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves: ``clock[0]`` is the time in seconds."""
    now = [1_800_000_000.0]  # 15 January 2027: a window of 60 s starts here (divisible by 60)
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    return now


def _uses(scope: str, key: str, limit: tuple[int, int], times: int) -> list[bool]:
    return [ratelimit.hit(scope, key, limit) for _ in range(times)]


def test_uses_within_the_limit_are_allowed_and_the_next_is_refused():
    # Given a limit of 3 uses an hour
    limit = (3, 3600)
    # When one address uses the form five times
    # Then the first three are allowed, and every use after is refused
    assert _uses("public_write", ADDRESS, limit, 5) == [True, True, True, False, False]


def test_a_limit_of_one_allows_exactly_one_use():
    assert _uses("cekbansos", NIK, (1, 60), 2) == [True, False]


def test_another_key_is_counted_on_its_own():
    # Given one address that used up its limit
    limit = (2, 3600)
    _uses("public_write", ADDRESS, limit, 3)
    # Then another address is not held back by it
    assert _uses("public_write", "198.51.100.9", limit, 2) == [True, True]
    assert ratelimit.hit("public_write", ADDRESS, limit) is False


def test_another_scope_is_counted_on_its_own():
    limit = (2, 3600)
    _uses("public_write", ADDRESS, limit, 3)
    assert _uses("public_read", ADDRESS, limit, 2) == [True, True]
    assert ratelimit.hit("public_write", ADDRESS, limit) is False


@pytest.mark.parametrize("count", [0, -1])
def test_a_limit_of_zero_or_less_means_unlimited(count):
    assert all(_uses("public_write", ADDRESS, (count, 3600), 50))
    # ...and nothing is counted for it
    assert not list(cache._cache.keys())


def test_the_key_never_reaches_the_cache():
    # Given a NIK and an address used as rate-limit keys
    ratelimit.hit("cekbansos", NIK, (5, 3600))
    ratelimit.hit("public_write", ADDRESS, (5, 3600))
    # Then the cache holds one counter for each, and neither names the NIK or the address
    keys = list(cache._cache.keys())
    assert len(keys) == 2
    for cache_key in keys:
        assert NIK not in cache_key
        assert ADDRESS not in cache_key
        assert "ratelimit:" in cache_key
    # ...while the counters stay apart by scope
    assert any(":cekbansos:" in key for key in keys)
    assert any(":public_write:" in key for key in keys)


def test_a_new_window_starts_the_count_again(clock):
    # Given a key that used up its 2 uses in a window of a minute
    limit = (2, 60)
    assert _uses("public_write", ADDRESS, limit, 3) == [True, True, False]
    # When later in the same window it tries again, it is still refused
    clock[0] += 59
    assert ratelimit.hit("public_write", ADDRESS, limit) is False
    # When the next window starts
    clock[0] += 1
    # Then it is allowed its 2 uses again, and no more
    assert _uses("public_write", ADDRESS, limit, 3) == [True, True, False]


def test_the_window_is_fixed_not_sliding(clock):
    # Given two uses at the very end of a window
    limit = (2, 60)
    clock[0] += 59
    assert _uses("public_write", ADDRESS, limit, 2) == [True, True]
    # Then a second later, in the next window, the count starts again
    clock[0] += 1
    assert ratelimit.hit("public_write", ADDRESS, limit) is True


def test_a_limit_is_read_from_the_settings(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "public_write": (7, 600)}
    assert ratelimit.limit_for("public_write") == (7, 600)
    with pytest.raises(KeyError):
        ratelimit.limit_for("no-such-limit")


def test_the_client_address_is_the_connections_not_a_header_it_sends():
    # Given a client that claims another address in X-Forwarded-For
    request = RequestFactory().get(
        "/", REMOTE_ADDR=ADDRESS, HTTP_X_FORWARDED_FOR="10.0.0.1", HTTP_X_REAL_IP="10.0.0.2"
    )
    # Then its limit is counted under the address the connection came from
    assert ratelimit.client_address(request) == ADDRESS


def test_a_request_with_no_address_gives_an_empty_one():
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert ratelimit.client_address(request) == ""
