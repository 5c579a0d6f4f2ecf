"""Sending one rendered activity to its inboxes, durably.

Each inbox gets a Delivery row in the same transaction that stores the activity; the row
holds the retry schedule. A worker claims a row by moving its `next_attempt_at` a lease
ahead before posting, so a worker killed mid-delivery leaves a row that the minutely beat
task picks up again once the lease runs out. No backoff ever rides on a Celery countdown."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from federation import http
from federation.models import Delivery, OutgoingActivity, UnavailableDomain
from federation.parse.values import host_of
from federation.policy import domain_blocked
from federation.signatures import SigningKey

logger = logging.getLogger(__name__)

# Waits after each failed attempt: about two days in all (Mastodon retries for about as
# long), then the delivery is given up.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=15),
    timedelta(hours=1),
    timedelta(hours=3),
    timedelta(hours=6),
    timedelta(hours=12),
    timedelta(hours=24),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
# Longer than one attempt can take (two signed POSTs of at most 30 s each).
LEASE = timedelta(minutes=5)
# A domain is skipped after failures on this many separate days (Mastodon's threshold).
FAILURE_DAYS_THRESHOLD = 7
# Client errors that may pass: unauthorised (a key not yet fetched), timeout, rate limit.
RETRYABLE_CLIENT_ERRORS = frozenset({401, 408, 429})
DUE_BATCH = 500


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    retry: bool
    status: int | None = None
    error: str = ""


def is_unavailable(domain: str) -> bool:
    return UnavailableDomain.objects.filter(
        domain=domain.lower(), unavailable_since__isnull=False
    ).exists()


def unavailable_domains(domains: Iterable[str]) -> set[str]:
    rows = UnavailableDomain.objects.filter(
        domain__in=[d.lower() for d in domains], unavailable_since__isnull=False
    )
    return set(rows.values_list("domain", flat=True))


def record_failure(domain: str) -> None:
    """One more failure; the days are counted, not the failures, so that one bad hour does
    not mark a server gone."""
    today = timezone.now().date().isoformat()
    with transaction.atomic():
        row, _ = UnavailableDomain.objects.select_for_update().get_or_create(domain=domain.lower())
        if today not in row.failure_days:
            row.failure_days = [*row.failure_days, today]
        row.last_failure_at = timezone.now()
        if len(row.failure_days) >= FAILURE_DAYS_THRESHOLD and row.unavailable_since is None:
            row.unavailable_since = timezone.now()
            logger.warning("%s is marked unavailable after failures on %d days.", domain,
                           len(row.failure_days))  # fmt: skip
        row.save()


def clear_failures(domain: str | None) -> None:
    """The domain answers again (a success, or a signed request from it)."""
    if domain:
        UnavailableDomain.objects.filter(domain=domain.lower()).delete()


def distinct_inboxes(urls: Iterable[str]) -> list[str]:
    """Each inbox once, without blocked or unavailable domains."""
    inboxes = list(dict.fromkeys(u for u in urls if u))
    skipped = unavailable_domains(host_of(u) for u in inboxes)
    return [u for u in inboxes if host_of(u) not in skipped and not domain_blocked(host_of(u))]


def store_activity(document: dict[str, Any], key: SigningKey, inboxes: Iterable[str]) -> list[int]:
    """The activity and one Delivery per inbox, leased for the first attempt that the caller
    enqueues; returns the delivery ids."""
    targets = distinct_inboxes(inboxes)
    if not targets:
        return []
    lease_end = timezone.now() + LEASE
    with transaction.atomic():
        activity = OutgoingActivity.objects.create(
            body=json.dumps(document), key_id=key.key_id, private_key=key.private_key_pem
        )
        rows = Delivery.objects.bulk_create(
            Delivery(
                activity=activity, inbox_url=url, domain=host_of(url), next_attempt_at=lease_end
            )  # fmt: skip
            for url in targets
        )
    return [row.pk for row in rows]


def limits() -> http.Limits:
    """The client's limits; tests shorten the total time (an undocumented setting)."""
    total = float(getattr(settings, "FEDERATION_DELIVERY_TIMEOUT", http.DEFAULT_LIMITS.total))
    return http.Limits(total=total, connect=min(http.DEFAULT_LIMITS.connect, total))


def post(inbox_url: str, body: dict[str, Any], key: SigningKey) -> Outcome:
    """One signed POST: draft-cavage with Digest, then once more with RFC 9421 when the
    server says the signature is not one it takes (400 or 401)."""
    try:
        response = http.post_activity(inbox_url, body, signer=key, limits=limits())
        if response.status in (400, 401):
            response = http.post_activity(
                inbox_url, body, signer=key, signature_scheme="rfc9421", limits=limits()
            )
    except http.FetchError as error:
        return Outcome(delivered=False, retry=True, error=str(error)[:500])
    if response.ok:
        return Outcome(delivered=True, retry=False, status=response.status)
    hopeless = 400 <= response.status < 500 and response.status not in RETRYABLE_CLIENT_ERRORS
    return Outcome(delivered=False, retry=not hopeless, status=response.status,
                   error=f"HTTP {response.status}")  # fmt: skip


def _claim(delivery_id: int) -> Delivery | None:
    """The row, leased to this worker; None when it is gone or another worker holds it."""
    with transaction.atomic():
        row = (
            # Only the delivery row: locking the shared activity too would make the workers
            # attempting its other inboxes at the same moment skip their rows as taken.
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("activity")
            .filter(pk=delivery_id)
            .first()
        )
        if row is None:
            return None
        row.attempts += 1
        row.next_attempt_at = timezone.now() + LEASE
        row.save(update_fields=["attempts", "next_attempt_at"])
    return row


def _finish(row: Delivery) -> None:
    activity_id = row.activity_id
    row.delete()
    OutgoingActivity.objects.filter(pk=activity_id, deliveries__isnull=True).delete()


def attempt(delivery_id: int) -> str:
    """Try one delivery; returns "delivered", "retry", "failed", "skipped" or "gone"."""
    row = _claim(delivery_id)
    if row is None:
        return "gone"
    if is_unavailable(row.domain) or domain_blocked(row.domain):
        _finish(row)
        return "skipped"
    key = SigningKey(key_id=row.activity.key_id, private_key_pem=row.activity.private_key)
    outcome = post(row.inbox_url, json.loads(row.activity.body), key)
    if outcome.delivered:
        _finish(row)
        clear_failures(row.domain)
        return "delivered"
    if not outcome.retry:
        # The server answered, if only to refuse: it is up (Mastodon counts this the same).
        clear_failures(row.domain)
        _finish(row)
        return "failed"
    record_failure(row.domain)
    if row.attempts >= MAX_ATTEMPTS:
        logger.info("Gave up delivering to %s: %s", row.inbox_url, outcome.error)
        _finish(row)
        return "failed"
    row.next_attempt_at = timezone.now() + BACKOFF[row.attempts - 1]
    row.last_status = outcome.status
    row.last_error = outcome.error
    row.save(update_fields=["next_attempt_at", "last_status", "last_error"])
    return "retry"


def claim_due(limit: int = DUE_BATCH) -> list[int]:
    """Due rows, leased so that the next beat does not hand them out again while queued."""
    with transaction.atomic():
        ids = list(
            Delivery.objects.select_for_update(skip_locked=True)
            .filter(next_attempt_at__lte=timezone.now())
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:limit]
        )
        Delivery.objects.filter(pk__in=ids).update(next_attempt_at=timezone.now() + LEASE)
    return ids
