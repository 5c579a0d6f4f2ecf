"""Archives of a whole account: the zip a person downloads (Mastodon's Backup), and the posts
imported from a Mastodon or Twitter archive, with one row per source item so that an import
cut short resumes where it stopped and one that fails can be undone."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone

from accounts.models import Account
from fediverse.ids import generate_snowflake
from timelines.models import Status

__all__ = [
    "ARCHIVE_LIFETIME",
    "ArchiveSource",
    "Backup",
    "ImportedPost",
    "JobState",
    "OthersChoice",
    "PostImport",
]

# A prepared archive stays downloadable this long, and a new one may be asked for as often.
ARCHIVE_LIFETIME = timedelta(days=7)


class JobState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "In progress"
    FINISHED = "finished", "Finished"
    FAILED = "failed", "Failed"


class Backup(models.Model):
    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="backups")
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    file = models.FileField(max_length=255, blank=True, default="")
    file_size = models.BigIntegerField(null=True, blank=True)
    total_items = models.PositiveIntegerField(default=0)
    done_items = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["account", "-created_at"])]

    @property
    def expires_at(self):  # type: ignore[no-untyped-def]
        return self.created_at + ARCHIVE_LIFETIME

    @property
    def downloadable(self) -> bool:
        return (
            self.state == JobState.FINISHED and bool(self.file) and timezone.now() < self.expires_at
        )


class ArchiveSource(models.TextChoices):
    MASTODON = "mastodon", "Mastodon archive"
    TWITTER = "twitter", "Twitter/X archive"


class OthersChoice(models.TextChoices):
    """What becomes of boosts, retweets and replies to other people's posts."""

    SKIP = "skip", "Leave them out"
    LINK = "link", "Keep them as posts linking to the original"


class PostImport(models.Model):
    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="post_imports")
    source = models.CharField(max_length=16, choices=ArchiveSource.choices)
    others = models.CharField(max_length=8, choices=OthersChoice.choices, default=OthersChoice.SKIP)
    # Whether the imported posts are sent to the followers' servers once all are in.
    federate = models.BooleanField(default=False)
    state = models.CharField(max_length=16, choices=JobState.choices, default=JobState.QUEUED)
    # The uploaded zip in storage, removed once the import has finished or failed.
    file = models.FileField(max_length=255, blank=True, default="")
    original_filename = models.CharField(max_length=255, blank=True, default="")
    validated = models.BooleanField(default=False)
    total_items = models.PositiveIntegerField(default=0)
    done_items = models.PositiveIntegerField(default=0)
    imported_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, default="")
    # Touched after every batch: a run finding it recent leaves the job to the live worker.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["account", "-created_at"])]


class ImportedPost(models.Model):
    """One source item done: the post made from it, or none when it was left out."""

    post_import = models.ForeignKey(PostImport, on_delete=models.CASCADE, related_name="items")
    source_id = models.CharField(max_length=2048)
    status = models.ForeignKey(
        Status, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # The source id of the own post this one answers, threaded once every post is in.
    reply_to_source = models.CharField(max_length=2048, blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post_import", "source_id"], name="imported_post_unique"
            )
        ]
