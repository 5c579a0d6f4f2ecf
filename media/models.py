"""Media attachments: uploaded or cached files hung on posts, as Mastodon's MediaAttachment."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Account
from fediverse.ids import generate_snowflake

MAX_DESCRIPTION_LENGTH = 1500


class MediaType(models.TextChoices):
    IMAGE = "image"
    GIFV = "gifv"
    VIDEO = "video"
    AUDIO = "audio"
    UNKNOWN = "unknown"


class Processing(models.TextChoices):
    QUEUED = "queued"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    FAILED = "failed"


class MediaAttachmentQuerySet(models.QuerySet["MediaAttachment"]):
    def unattached(self) -> MediaAttachmentQuerySet:
        return self.filter(status__isnull=True)

    def local(self) -> MediaAttachmentQuerySet:
        return self.filter(remote_url="")

    def remote(self) -> MediaAttachmentQuerySet:
        return self.exclude(remote_url="")

    def cached(self) -> MediaAttachmentQuerySet:
        """Remote attachments whose file has been copied into our storage."""
        return self.remote().exclude(file="")


class MediaAttachment(models.Model):
    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="media_attachments")
    # Null until the upload is attached to a post; a deleted post leaves its media unattached
    # for a day, so that "delete and redraft" can post them again.
    status = models.ForeignKey(
        "timelines.Status",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="media_attachments",
    )
    # The order the author gave the attachments in.
    position = models.PositiveSmallIntegerField(default=0)
    type = models.CharField(max_length=16, choices=MediaType.choices, default=MediaType.UNKNOWN)
    file = models.FileField(max_length=255, blank=True, default="")
    file_content_type = models.CharField(max_length=100, blank=True, default="")
    file_size = models.BigIntegerField(null=True, blank=True)
    # The small version shown in timelines, generated from the file or the custom thumbnail.
    preview = models.FileField(max_length=255, blank=True, default="")
    # A custom thumbnail the author chose for audio or video.
    thumbnail = models.FileField(max_length=255, blank=True, default="")
    thumbnail_remote_url = models.CharField(max_length=2048, blank=True, default="")
    description = models.TextField(blank=True, default="")
    blurhash = models.CharField(max_length=100, blank=True, default="")
    meta = models.JSONField(default=dict, blank=True)
    processing = models.CharField(
        max_length=16, choices=Processing.choices, default=Processing.COMPLETE
    )
    # The source of a remote attachment; empty for ours.
    remote_url = models.CharField(max_length=2048, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MediaAttachmentQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        indexes = [
            models.Index(fields=["account", "-id"]),
            models.Index(
                fields=["created_at"], condition=Q(status__isnull=True), name="media_unattached"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.pk}"

    @property
    def local(self) -> bool:
        return self.remote_url == ""

    @property
    def processed(self) -> bool:
        return self.processing == Processing.COMPLETE

    @property
    def audio_or_video(self) -> bool:
        return self.type in (MediaType.AUDIO, MediaType.VIDEO)
