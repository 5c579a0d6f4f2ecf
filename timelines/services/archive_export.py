"""The archive of one's own account, in Mastodon's layout (app/services/backup_service.rb):
`outbox.json` with every post as the activity other servers received, `likes.json` and
`bookmarks.json` listing post URIs, `actor.json` whose avatar and header name the files beside
it, and the media files at the paths the Notes point at. The zip is written entry by entry to
a temporary file, posts a batch at a time, so memory does not grow with the account."""

from __future__ import annotations

import json
import logging
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from accounts.models import Account
from federation.render.actor import render_actor
from federation.render.collections import ordered_collection
from federation.render.context import NOTE_EXTENSIONS
from federation.render.note import announce, create
from federation.selectors import note_facts
from fediverse.effects import enqueue
from media import storage
from media.models import MediaAttachment
from timelines.models import ARCHIVE_LIFETIME, Backup, Bookmark, Favourite, JobState, Status

BACKUPS = "backups"
BATCH_SIZE = 500
CHUNK = 1024 * 1024
TOO_SOON = "You can ask for an archive once every 7 days."
FAILED = "The archive could not be prepared because of an error on this server."
logger = logging.getLogger(__name__)


def check_backup_request(*, account: Account) -> None:
    recent = Backup.objects.filter(
        account=account, created_at__gt=timezone.now() - ARCHIVE_LIFETIME
    ).exclude(state=JobState.FAILED)
    if recent.exists():
        raise ValidationError(TOO_SOON, code="too_soon")


def do_request_backup(*, account: Account) -> Backup:
    check_backup_request(account=account)
    from timelines.tasks import prepare_backup

    with transaction.atomic():
        backup = Backup.objects.create(account=account)
        enqueue(prepare_backup, backup.pk, queue="default")
    return backup


def do_prepare_backup(*, backup_id: int) -> None:
    claimed = Backup.objects.filter(pk=backup_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING
    )
    if not claimed:
        return
    backup = Backup.objects.select_related("account").get(pk=backup_id)
    with tempfile.TemporaryDirectory(prefix="herd-backup-") as folder:
        path = Path(folder) / "archive.zip"
        try:
            write_archive(backup, path)
            size = path.stat().st_size
            name = storage.save_path(BACKUPS, "zip", path)
        except Exception:
            logger.exception("archive %s could not be prepared", backup_id)
            Backup.objects.filter(pk=backup_id).update(
                state=JobState.FAILED, error=FAILED, finished_at=timezone.now()
            )
            return
    Backup.objects.filter(pk=backup_id).update(
        state=JobState.FINISHED, file=name, file_size=size, finished_at=timezone.now()
    )


def write_archive(backup: Backup, path: Path) -> None:
    account = backup.account
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        _write_outbox(archive, backup)
        _write_media(archive, account)
        _write_uris(archive, "likes.json", Favourite.objects.filter(account=account))
        _write_uris(archive, "bookmarks.json", Bookmark.objects.filter(account=account))
        _write_actor(archive, account)


def _dump(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def _open_collection(sink: IO[bytes], uri: str, total: int, extensions: tuple[str, ...]) -> None:
    """The collection's fields, then an open `orderedItems` array for the items to follow."""
    head = _dump(ordered_collection(uri, total=total, extensions=extensions))
    sink.write(head[:-1] + b',"orderedItems":[')


def _write_items(sink: IO[bytes], items: Iterable[Any]) -> None:
    first = True
    for item in items:
        sink.write(_dump(item) if first else b"," + _dump(item))
        first = False


def _outbox_items(backup: Backup) -> Iterable[dict[str, Any]]:
    statuses = Status.objects.filter(account=backup.account).select_related(
        "account", "reblog__account"
    )
    last, done = 0, 0
    while batch := list(statuses.filter(pk__gt=last).order_by("pk")[:BATCH_SIZE]):
        facts = note_facts([s for s in batch if s.reblog_id is None])
        for status in batch:
            if status.reblog is not None:
                yield announce(status, status.reblog)
                continue
            activity = create(status, facts[status.pk])
            for document, media in zip(
                activity["object"]["attachment"], facts[status.pk].attachments, strict=True
            ):
                if media.file:
                    document["url"] = media.file.name
            yield activity
        last, done = batch[-1].pk, done + len(batch)
        Backup.objects.filter(pk=backup.pk).update(done_items=done)


def _write_outbox(archive: zipfile.ZipFile, backup: Backup) -> None:
    total = Status.objects.filter(account=backup.account).count()
    Backup.objects.filter(pk=backup.pk).update(total_items=total)
    with archive.open("outbox.json", "w", force_zip64=True) as sink:
        _open_collection(sink, "outbox.json", total, NOTE_EXTENSIONS)
        _write_items(sink, _outbox_items(backup))
        sink.write(b"]}")


def _write_uris(archive: zipfile.ZipFile, name: str, rows: Any) -> None:
    with archive.open(name, "w", force_zip64=True) as sink:
        _open_collection(sink, name, rows.count(), ())
        _write_items(sink, rows.order_by("pk").values_list("status__uri", flat=True).iterator())
        sink.write(b"]}")


def _copy(archive: zipfile.ZipFile, name: str, stored: str) -> bool:
    """A stored file into the zip as it is: media is compressed already."""
    info = zipfile.ZipInfo(name, date_time=datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_STORED
    try:
        with (
            default_storage.open(stored, "rb") as source,
            archive.open(info, "w", force_zip64=True) as sink,
        ):
            shutil.copyfileobj(source, sink, CHUNK)
    except FileNotFoundError:
        return False
    return True


def _write_media(archive: zipfile.ZipFile, account: Account) -> None:
    rows = MediaAttachment.objects.filter(account=account, status__isnull=False).exclude(file="")
    for name in rows.order_by("pk").values_list("file", flat=True).iterator():
        _copy(archive, name, name)


def _write_actor(archive: zipfile.ZipFile, account: Account) -> None:
    actor = render_actor(account)
    for key, field, base in (
        ("icon", account.avatar, "avatar"),
        ("image", account.header, "header"),
    ):
        if key in actor and field:
            inside = base + Path(field.name).suffix.lower()
            if _copy(archive, inside, field.name):
                actor[key] = {**actor[key], "url": inside}
            else:
                del actor[key]
    actor.update(outbox="outbox.json", likes="likes.json", bookmarks="bookmarks.json")
    archive.writestr("actor.json", _dump(actor))


def remove_expired_backups() -> int:
    expired = Backup.objects.filter(created_at__lt=timezone.now() - ARCHIVE_LIFETIME)
    count = 0
    for backup in expired.iterator():
        storage.delete(backup.file.name)
        backup.delete()
        count += 1
    return count
