"""Periodic cleanup: uploads nobody posted, and copies of remote media past their retention."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from media import storage
from media.models import MediaAttachment
from media.services.attachments import do_delete_media_rows, media_files

UNATTACHED_GRACE = timedelta(days=1)
BATCH = 500


def scheduled_media_ids() -> set[int]:
    """Uploads waiting for a scheduled post, which may be published weeks from now."""
    from timelines.models import ScheduledStatus

    ids: set[int] = set()
    for listed in ScheduledStatus.objects.values_list("params__media_ids", flat=True):
        ids.update(int(value) for value in listed or () if str(value).isdigit())
    return ids


def do_remove_unattached_media() -> int:
    """Uploads older than a day that never made it into a post (or whose post was deleted)."""
    cutoff = timezone.now() - UNATTACHED_GRACE
    rows = MediaAttachment.objects.unattached().local().filter(created_at__lt=cutoff)
    rows = rows.exclude(pk__in=scheduled_media_ids()).order_by("id")
    removed = 0
    while batch := list(rows[:BATCH]):
        removed += do_delete_media_rows(batch)
    return removed


def remote_cache_retention() -> timedelta | None:
    from moderation.models import InstanceSettings

    days = InstanceSettings.current().media_cache_retention_days
    return timedelta(days=days) if days else None


def do_purge_remote_media_cache() -> int:
    """Drop our copies of remote attachments older than the admin's retention period. The rows
    stay, with their remote URLs: the media proxy fetches a copy again when someone looks."""
    retention = remote_cache_retention()
    if retention is None:
        return 0
    cutoff = timezone.now() - retention
    rows = MediaAttachment.objects.cached().filter(created_at__lt=cutoff).order_by("id")
    purged = 0
    while batch := list(rows[:BATCH]):
        for media in batch:
            with transaction.atomic():
                storage.delete_on_commit(*media_files(media))
                media.file.name = media.preview.name = media.thumbnail.name = ""
                media.save(update_fields=["file", "preview", "thumbnail", "updated_at"])
            purged += 1
    return purged
