"""Changing an upload before it is posted, deleting it, and attaching uploads to a post."""

import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Account
from media import storage
from media.models import MediaAttachment
from media.processing.errors import MediaRejected
from media.processing.sniff import Family
from media.services.uploads import (
    THUMBNAIL_NOT_ALLOWED,
    THUMBNAILS,
    check_description,
    check_file,
    make_thumbnail,
    parse_focus,
)

MAX_ATTACHMENTS = 4
TOO_MANY = f"Cannot attach more than {MAX_ATTACHMENTS} files"
NOT_FOUND = "Media {ids} not found or already attached to another post"
MIXED = "Cannot attach a video to a post that already contains images"
NOT_READY = "Cannot attach files that have not finished processing. Try again in a moment!"


def media_files(media: MediaAttachment) -> list[str]:
    return [name for name in (media.file.name, media.preview.name, media.thumbnail.name) if name]


def do_update_media(
    *,
    media: MediaAttachment,
    description: str | None = None,
    focus: str | None = None,
    thumbnail: UploadedFile | None = None,
) -> MediaAttachment:
    """What the author may change before posting: alt text, focal point, custom thumbnail."""
    check_description(description)
    if thumbnail is not None:
        if not media.audio_or_video:
            raise MediaRejected(THUMBNAIL_NOT_ALLOWED)
        if check_file(thumbnail, label="Thumbnail") is not Family.IMAGE:
            raise MediaRejected("Validation failed: Thumbnail content type is invalid")
        with tempfile.TemporaryDirectory(prefix="herd-media-") as folder:
            made = make_thumbnail(thumbnail, Path(folder))
        name = storage.save_bytes(THUMBNAILS, made.small.extension, made.small.data)
        storage.delete_on_commit(media.thumbnail.name)
        media.thumbnail.name = name
        media.blurhash = made.blurhash
        media.meta = {**media.meta, "small": made.small.geometry()}
    if description is not None:
        media.description = description.strip()
    point = parse_focus(focus)
    if point is not None:
        media.meta = {**media.meta, "focus": point}
    with transaction.atomic():
        media.save()
    return media


def do_delete_media(*, media: MediaAttachment) -> None:
    """Only uploads not attached to a post; their files go once the row is gone."""
    if media.status_id is not None:
        raise ValidationError("Media attachment is currently used by a status")
    with transaction.atomic():
        storage.delete_on_commit(*media_files(media))
        media.delete()


def do_delete_media_rows(rows: Iterable[MediaAttachment]) -> int:
    deleted = 0
    for media in rows:
        with transaction.atomic():
            storage.delete_on_commit(*media_files(media))
            media.delete()
        deleted += 1
    return deleted


def parse_media_ids(value: Any) -> tuple[int, ...]:
    """media_ids[] as Mastodon reads them: what is not a number becomes 0 (not found)."""
    if value in (None, "", []):
        return ()
    items = value if isinstance(value, list | tuple) else [value]
    return tuple(int(item) if str(item).strip().isdigit() else 0 for item in items)


def check_media_for_status(
    *, account: Account, media_ids: Sequence[int], status_id: int | None = None
) -> list[MediaAttachment]:
    """The author's own uploads in the order given: unattached, or already on this post
    when it is being edited. Raises ValidationError({"media_ids": ...}) with Mastodon's
    wording otherwise."""
    if not media_ids:
        return []
    wanted = list(dict.fromkeys(media_ids))
    if len(media_ids) > MAX_ATTACHMENTS:
        raise _refusal(TOO_MANY)
    scope = Q(status__isnull=True)
    if status_id is not None:
        scope |= Q(status_id=status_id)
    found = {
        media.pk: media
        for media in MediaAttachment.objects.filter(scope, account=account, pk__in=wanted)
    }
    missing = [str(pk) for pk in wanted if pk not in found]
    if missing:
        raise _refusal(NOT_FOUND.format(ids=", ".join(missing)))
    ordered = [found[pk] for pk in wanted]
    if len(ordered) > 1 and any(media.audio_or_video for media in ordered):
        raise _refusal(MIXED)
    if not all(media.processed for media in ordered):
        raise _refusal(NOT_READY)
    return ordered


def _refusal(message: str) -> ValidationError:
    return ValidationError({"media_ids": ValidationError(message, code="media")})


def attached_ids(*, status_id: int) -> list[int]:
    return list(MediaAttachment.objects.filter(status_id=status_id).values_list("pk", flat=True))


def do_attach_media(*, status_id: int, media: list[MediaAttachment]) -> None:
    """Inside the post's transaction: these uploads, in this order, and no others. Uploads
    an edit took off become unattached again (and are cleaned up after a day)."""
    keep = [item.pk for item in media]
    MediaAttachment.objects.filter(status_id=status_id).exclude(pk__in=keep).update(status=None)
    free = Q(status__isnull=True) | Q(status_id=status_id)
    for position, item in enumerate(media):
        # Conditional, so that of two posts racing for one upload only the first gets it.
        taken = MediaAttachment.objects.filter(free, pk=item.pk).update(
            status_id=status_id, position=position, updated_at=timezone.now()
        )
        if not taken:
            raise _refusal(NOT_FOUND.format(ids=item.pk))
        item.status_id, item.position = status_id, position
