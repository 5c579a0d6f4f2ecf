"""Imports of CSV files (follows, blocks, mutes, domain blocks, bookmarks, lists), as Mastodon's
BulkImport: the file is parsed once into rows, which a background task works through, each row
ending done or failed with its reason."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from accounts.models import Account
from fediverse.ids import generate_snowflake

__all__ = ["BulkImport", "BulkImportRow", "ImportState", "ImportType", "RowState"]


class ImportType(models.TextChoices):
    FOLLOWING = "following", "Following list"
    BLOCKING = "blocking", "Blocking list"
    MUTING = "muting", "Muting list"
    DOMAIN_BLOCKING = "domain_blocking", "Domain blocking list"
    BOOKMARKS = "bookmarks", "Bookmarks"
    LISTS = "lists", "Lists"


class ImportState(models.TextChoices):
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    FINISHED = "finished"


class RowState(models.TextChoices):
    PENDING = "pending"
    DONE = "done"
    FAILED = "failed"


class BulkImport(models.Model):
    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="bulk_imports")
    type = models.CharField(max_length=32, choices=ImportType.choices)
    overwrite = models.BooleanField(default=False)
    state = models.CharField(
        max_length=16, choices=ImportState.choices, default=ImportState.SCHEDULED
    )
    original_filename = models.CharField(max_length=255, blank=True, default="")
    total_items = models.PositiveIntegerField(default=0)
    # Overwrite mode undoes what the file does not list once, before the first row runs.
    prepared = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["account", "-id"])]

    def __str__(self) -> str:
        return f"{self.get_type_display()} ({self.original_filename})"


class BulkImportRow(models.Model):
    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    bulk_import = models.ForeignKey(BulkImport, on_delete=models.CASCADE, related_name="rows")
    # The line of the file the row came from, to point at it when it fails.
    line = models.PositiveIntegerField()
    data = models.JSONField(default=dict)
    state = models.CharField(max_length=16, choices=RowState.choices, default=RowState.PENDING)
    reason = models.TextField(blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["bulk_import", "state", "line"])]

    @property
    def subject(self) -> str:
        """What the row names: an account, a domain or a post, after its list if any."""
        named = self.data.get("acct") or self.data.get("domain") or self.data.get("uri") or ""
        listed = self.data.get("list_name")
        return f"{listed}: {named}" if listed else str(named)
