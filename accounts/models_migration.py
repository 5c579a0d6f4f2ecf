"""Moves between accounts and deleted accounts' usernames."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import Account
from fediverse.ids import generate_snowflake

__all__ = ["AccountMigration", "RetiredUsername"]


class AccountMigration(models.Model):
    """A move of a local account to another, kept for the cooldown between moves."""

    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="migrations")
    target_account = models.ForeignKey(
        Account, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    acct = models.CharField(max_length=2048)
    followers_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)


class RetiredUsername(models.Model):
    """The username of a deleted local account: never given out again, so that nobody can
    take over the deleted account's identity on other servers."""

    username = models.CharField(max_length=2048)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(Lower("username"), name="retired_username")]
