"""What federation remembers: remote public keys by key id, the activities already processed
(so that a redelivery changes nothing), and the ids of objects deleted before they arrived
(so that a Delete that overtakes its Create wins)."""

from __future__ import annotations

import hashlib

from django.db import models
from django.utils import timezone

from accounts.models import Account


def uri_digest(uri: str) -> str:
    """Ids can be long; their SHA-256 keeps the unique index small."""
    return hashlib.sha256(uri.encode()).hexdigest()


class RemoteKey(models.Model):
    """A remote actor's public key, cached by the key id its signatures name."""

    key_id = models.CharField(max_length=2048)
    key_digest = models.CharField(max_length=64, unique=True)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="remote_keys")
    public_key_pem = models.TextField()
    fetched_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.key_id


class ProcessedActivity(models.Model):
    """An inbound activity id, recorded in the same transaction that applied it."""

    activity_digest = models.CharField(max_length=64, unique=True)
    uri = models.CharField(max_length=2048)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name_plural = "processed activities"

    def __str__(self) -> str:
        return self.uri


class Tombstone(models.Model):
    """A remote object that was deleted: it is not created again if it arrives later."""

    uri_digest = models.CharField(max_length=64, unique=True)
    uri = models.CharField(max_length=2048)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.uri


class OutgoingActivity(models.Model):
    """An activity rendered once for all its inboxes. The signing key is copied so that an
    account's own Delete can still be signed after the account is gone."""

    body = models.TextField()
    key_id = models.CharField(max_length=2048)
    private_key = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "outgoing activities"

    def __str__(self) -> str:
        return self.key_id


class Delivery(models.Model):
    """One inbox still to receive an activity; deleted once delivered or given up. The row,
    not a Celery countdown, holds the retry schedule, so a worker restart loses nothing."""

    activity = models.ForeignKey(
        OutgoingActivity, on_delete=models.CASCADE, related_name="deliveries"
    )
    inbox_url = models.CharField(max_length=2048)
    domain = models.CharField(max_length=255, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_status = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return self.inbox_url


class UnavailableDomain(models.Model):
    """Delivery failures of one remote domain, counted by distinct day; the domain is
    unavailable (skipped) once `unavailable_since` is set. A success or a signed request
    from the domain deletes the row."""

    domain = models.CharField(max_length=255, unique=True)
    failure_days = models.JSONField(default=list, blank=True)
    last_failure_at = models.DateTimeField(default=timezone.now)
    unavailable_since = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.domain
