"""Every request to the API counted against API_RATE_LIMIT: a token's requests together wherever they come
from, an address's without one. One increment in the rate limiter's store per request: Flask-Limiter's
decorator resolved, filtered and evaluated its limits and wrote its headers at every request, a sixth of a
kept answer's time (docs/performance.md); a fixed window's count is all the API needs.

With the store unreachable (Redis away) the count goes on in this process's memory, as Flask-Limiter's own
fallback does for the pages; the store is tried again a minute later."""
import logging
import time
from functools import lru_cache

from flask import current_app, request
from limits import parse

from academy.api import tokens
from academy.core.ratestore import SweptMemoryStorage
from academy.core.errors import problem
from academy.extensions import limiter

log = logging.getLogger("academy.api")
RETRY_STORE_AFTER = 60.0  # seconds in memory after the store failed

_fallback: dict = {"storage": None, "until": 0.0}


@lru_cache(maxsize=8)
def _limit(text: str):
    return parse(text)


def caller_key(presented: str | None) -> str:
    """A token's requests count together (by its digest, a token never kept); without one, an address's."""
    if presented:
        return "api-token:" + tokens.digest(presented)
    return "api-address:" + (request.remote_addr or "")


def _store():
    if time.monotonic() < _fallback["until"]:
        return _fallback["storage"]
    return limiter.storage


def _count(key: str, expiry: int) -> tuple[int, object]:
    """This request's number in its window, and the store that counted it."""
    store = _store()
    try:
        return store.incr(key, expiry), store
    except Exception:  # noqa: BLE001 - any failure of the store: count in memory rather than refuse or fail
        if _fallback["storage"] is None:
            _fallback["storage"] = SweptMemoryStorage()
        if store is not _fallback["storage"]:
            log.warning("API rate limit store unreachable: counting in this process's memory for %d s",
                        RETRY_STORE_AFTER)
        _fallback["until"] = time.monotonic() + RETRY_STORE_AFTER
        return _fallback["storage"].incr(key, expiry), _fallback["storage"]


def _resets(store, key: str, window: int) -> float:
    """When the window counted in `store` ends (a whole window from now if the store cannot say)."""
    try:
        return store.get_expiry(key)
    except Exception:  # noqa: BLE001 - the store went away after counting: the refusal stands all the same
        return time.time() + window


def check(presented: str | None):
    """(None, the rate headers) when this request is within the limit, else (the 429 problem, its headers)."""
    if not limiter.enabled:
        return None, {}
    limit = _limit(current_app.config["API_RATE_LIMIT"])
    key = limit.key_for(caller_key(presented))
    number, store = _count(key, limit.get_expiry())
    headers = {"X-RateLimit-Limit": str(limit.amount), "X-RateLimit-Remaining": str(max(0, limit.amount - number))}
    if number <= limit.amount:
        return None, headers
    wait = max(1, int(_resets(store, key, limit.get_expiry()) - time.time() + 0.999))
    headers.update({"Retry-After": str(wait), "X-RateLimit-Reset": str(int(time.time()) + wait)})
    return problem(429, headers=headers), headers
