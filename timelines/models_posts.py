"""What hangs on writing a post beyond its text: polls and their votes, the edit history,
posts scheduled for later, and threads a person muted. Mastodon's Poll, PollVote, StatusEdit,
ScheduledStatus and ConversationMute."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from accounts.models import Account
from fediverse.ids import generate_snowflake
from timelines.models import Status

__all__ = ["ConversationMute", "Poll", "PollVote", "ScheduledStatus", "StatusEdit"]


class Poll(models.Model):
    """A poll on a post. The tallies live on the row, as Mastodon caches them, so a page of
    posts shows its polls without counting votes."""

    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    status = models.OneToOneField(Status, on_delete=models.CASCADE, related_name="poll")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="polls")
    options = models.JSONField(default=list)
    tallies = models.JSONField(default=list)
    multiple = models.BooleanField(default=False)
    hide_totals = models.BooleanField(default=False)
    expires_at = models.DateTimeField(null=True, blank=True)
    votes_count = models.PositiveIntegerField(default=0)
    voters_count = models.PositiveIntegerField(null=True, blank=True, default=0)
    # Set once the end of the poll has been announced to its author and voters.
    closed = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["closed", "expires_at"])]

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class PollVote(models.Model):
    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="poll_votes")
    choice = models.PositiveSmallIntegerField()
    uri = models.CharField(max_length=2048, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "account", "choice"], name="poll_vote_unique")
        ]


class StatusEdit(models.Model):
    """One revision of an edited post. The first edit also records the original, so that the
    history reads from the post as first published to its current state."""

    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="edits")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    text = models.TextField(blank=True, default="")
    content = models.TextField(blank=True, default="")
    spoiler_text = models.TextField(blank=True, default="")
    sensitive = models.BooleanField(default=False)
    language = models.CharField(max_length=16, null=True, blank=True)
    poll_options = models.JSONField(null=True, blank=True)
    media_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["status", "id"])]


class ScheduledStatus(models.Model):
    """A post to publish later. `params` keeps what the author sent, in the shape Mastodon
    shows it back (text, visibility, poll, in_reply_to_id…)."""

    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="scheduled_statuses"
    )
    scheduled_at = models.DateTimeField(db_index=True)
    params = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "scheduled statuses"


class ConversationMute(models.Model):
    """A thread whose notifications an account no longer wants, held on the thread's first
    post: every reply below it belongs to the same conversation."""

    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="conversation_mutes"
    )
    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "status"], name="conversation_mute_unique")
        ]
