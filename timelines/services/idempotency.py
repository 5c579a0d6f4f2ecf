"""The Idempotency-Key of POST /api/v1/statuses: an app that retries a post (a flaky network, a
double tap) gets back what the first try made instead of a second copy, for an hour. The
record lives in Redis (the cache), keyed by account and key, as Mastodon keeps it."""

import hashlib
import time
from collections.abc import Callable

from django.core.cache import cache

from timelines.models import ScheduledStatus, Status

TTL_SECONDS = 3600
LOCK_SECONDS = 30
WAIT_SECONDS = 5.0

Made = Status | ScheduledStatus


class Busy(Exception):
    """The same key is being used by a request still running."""


def _slot(account_id: int, key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"idempotency:status:{account_id}:{digest}"


def _recall(account_id: int, stored: str) -> Made:
    """Raises DoesNotExist when what the key made has been deleted since, as Mastodon does."""
    kind, _, pk = stored.partition(":")
    if kind == "scheduled":
        return ScheduledStatus.objects.get(pk=int(pk), account_id=account_id)
    return Status.objects.get(pk=int(pk), account_id=account_id)


def _lock(slot: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not cache.add(f"{slot}:lock", 1, LOCK_SECONDS):
        if time.monotonic() > deadline:
            raise Busy
        time.sleep(0.05)


def once(*, account_id: int, key: str | None, make: Callable[[], Made]) -> Made:
    """Run `make` unless this account already used this key within the hour; then return
    what that first call made."""
    if not key:
        return make()
    slot = _slot(account_id, key)
    _lock(slot)
    try:
        stored = cache.get(slot)
        if stored is not None:
            return _recall(account_id, stored)
        made = make()
        kind = "scheduled" if isinstance(made, ScheduledStatus) else "status"
        cache.set(slot, f"{kind}:{made.pk}", TTL_SECONDS)
        return made
    finally:
        cache.delete(f"{slot}:lock")
