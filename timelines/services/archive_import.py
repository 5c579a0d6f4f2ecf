"""Posts brought in from a Mastodon or Twitter archive.

The upload is stored as it came, and a task on the default queue works through it: a first
pass reads the whole archive and refuses it before anything is created if any part is
malformed; a second pass creates the posts in batches, each batch one transaction recording
which source items it did, so that a run cut short by a worker restart resumes after the last
batch. If the archive still turns out unreadable (a damaged media entry, say), every post the
import made is deleted again. Imported posts keep their original date, in their id too, and
are not fanned out, notified or streamed; they reach other servers only if the person asked.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from tempfile import TemporaryDirectory

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Account
from federation.services import outbox
from fediverse.effects import enqueue
from media import storage
from media.models import MediaAttachment
from media.services.attachments import media_files
from timelines.archives.mastodon import MastodonReader
from timelines.archives.posts import ArchivePost, ArchiveReader, Entry, Plan, Skipped
from timelines.archives.safezip import MAX_TOTAL_SIZE, ArchiveRefused, SafeArchive, open_archive
from timelines.archives.twitter import TwitterReader
from timelines.models import ArchiveSource, ImportedPost, JobState, OthersChoice, PostImport, Status
from timelines.services.archive_writes import write_batch

logger = logging.getLogger(__name__)
UPLOADS = "imports"
BATCH_SIZE = 500
# A running job whose worker has not reported for this long is taken to have died.
STALE_AFTER = timedelta(minutes=30)
# A batch closes early once it holds this many media files, each converted in the batch.
BATCH_MEDIA = 40
UNEXPECTED = "The archive could not be imported because of an error on this server."


def check_post_import(*, account: Account, upload: UploadedFile | None, source: str) -> None:
    if upload is None or not upload.size:
        raise ValidationError({"archive": "Choose an archive to import."})
    if upload.size > MAX_TOTAL_SIZE:
        # Refused before it is stored: it could not expand within the limit anyway.
        raise ValidationError({"archive": "This archive is too large to import."})
    if source not in ArchiveSource.values:
        raise ValidationError({"source": "Choose a Mastodon or a Twitter archive."})
    active = PostImport.objects.filter(
        account=account, state__in=(JobState.QUEUED, JobState.RUNNING)
    )
    if active.exists():
        raise ValidationError("An import is still in progress; wait until it has finished.")


def do_start_post_import(
    *, account: Account, upload: UploadedFile | None, source: str, others: str, federate: bool
) -> PostImport:
    check_post_import(account=account, upload=upload, source=source)
    assert upload is not None
    # Django has already spooled a large upload to a temporary file; storage copies or moves
    # it chunk by chunk.
    name = default_storage.save(storage.random_name(UPLOADS, "zip"), upload)
    with transaction.atomic():
        job = PostImport.objects.create(
            account=account,
            source=source,
            others=others if others in OthersChoice.values else OthersChoice.SKIP,
            federate=federate,
            file=name,
            original_filename=(upload.name or "")[:255],
        )
        enqueue(run_post_import_task(), job.pk, queue="default")
    return job


def run_post_import_task():  # type: ignore[no-untyped-def]
    from timelines.tasks import run_post_import

    return run_post_import


@contextmanager
def local_copy(name: str) -> Iterator[Path]:
    """The stored upload as a local file: itself on a filesystem, a copy from a bucket."""
    try:
        local = Path(default_storage.path(name))
    except NotImplementedError:
        local = None
    if local is not None:
        yield local
        return
    with TemporaryDirectory(prefix="herd-import-") as folder:
        target = Path(folder) / "archive.zip"
        storage.fetch_to(name, target)
        yield target


def _claim(import_id: int) -> PostImport | None:
    with transaction.atomic():
        job = PostImport.objects.select_for_update().filter(pk=import_id).first()
        if job is None or job.state in (JobState.FINISHED, JobState.FAILED):
            return None
        now = timezone.now()
        if (
            job.state == JobState.RUNNING
            and job.heartbeat_at
            and now - job.heartbeat_at < STALE_AFTER
        ):
            return None  # another worker is on it
        job.state, job.heartbeat_at = JobState.RUNNING, now
        job.save(update_fields=["state", "heartbeat_at"])
        return job


def do_run_post_import(*, import_id: int) -> None:
    job = _claim(import_id)
    if job is None:
        return
    try:
        with local_copy(job.file.name) as path, open_archive(path) as archive:
            reader = _reader(job, archive)
            plan = reader.validate(tick=lambda: _beat(job))
            PostImport.objects.filter(pk=job.pk).update(validated=True, total_items=plan.total)
            _import_entries(job, archive, reader.entries(plan))
        _thread(job)
    except ArchiveRefused as refusal:
        _fail(job, str(refusal))
        return
    except Exception:
        logger.exception("post import %s failed", job.pk)
        _fail(job, UNEXPECTED)
        return
    _finish(job)


def _reader(job: PostImport, archive: SafeArchive) -> ArchiveReader:
    keep = job.others == OthersChoice.LINK
    if job.source == ArchiveSource.TWITTER:
        return TwitterReader(archive, keep_others=keep)
    return MastodonReader(archive, keep_others=keep)


def _import_entries(job: PostImport, archive: SafeArchive, entries: Iterator[Entry]) -> None:
    done = set(ImportedPost.objects.filter(post_import=job).values_list("source_id", flat=True))
    batch: list[Entry] = []
    media = 0
    for entry in entries:
        if entry.source_id in done:
            continue
        done.add(entry.source_id)  # an archive naming an item twice gets it once
        batch.append(entry)
        media += len(entry.media) if isinstance(entry, ArchivePost) else 0
        if len(batch) >= BATCH_SIZE or media >= BATCH_MEDIA:
            _write(job, archive, batch)
            batch, media = [], 0
    if batch:
        _write(job, archive, batch)


def _write(job: PostImport, archive: SafeArchive, batch: list[Entry]) -> None:
    posts = [e for e in batch if isinstance(e, ArchivePost)]
    skipped = [e for e in batch if isinstance(e, Skipped)]
    with TemporaryDirectory(prefix="herd-import-") as folder:
        write_batch(job=job, archive=archive, posts=posts, skipped=skipped, work=Path(folder))
    _beat(job)


def _beat(job: PostImport) -> None:
    PostImport.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())


def _thread(job: PostImport) -> None:
    """Replies to the author's own posts point at the posts made from them, wherever the
    parent came in the archive."""
    rows = ImportedPost.objects.filter(post_import=job, status__isnull=False).exclude(
        reply_to_source=""
    )
    pending = list(rows.values_list("status_id", "reply_to_source"))
    for start in range(0, len(pending), BATCH_SIZE):
        chunk = pending[start : start + BATCH_SIZE]
        parents = dict(
            ImportedPost.objects.filter(
                post_import=job, source_id__in={p for _, p in chunk}, status__isnull=False
            ).values_list("source_id", "status_id")
        )
        updates = [
            Status(pk=child, in_reply_to_id=parents[parent], in_reply_to_account_id=job.account_id)
            for child, parent in chunk
            if parent in parents
        ]
        Status.objects.bulk_update(updates, ["in_reply_to", "in_reply_to_account"])


def _finish(job: PostImport) -> None:
    if job.federate and outbox.follower_inboxes(job.account):
        _federate(job)
    PostImport.objects.filter(pk=job.pk).update(
        state=JobState.FINISHED, finished_at=timezone.now(), file=""
    )
    storage.delete(job.file.name)


def _federate(job: PostImport) -> None:
    """Announced only once every post is in: a failed import has told nobody anything."""
    ids = ImportedPost.objects.filter(post_import=job, status__isnull=False).order_by("status_id")
    status_ids = list(ids.values_list("status_id", flat=True))
    for start in range(0, len(status_ids), BATCH_SIZE):
        chunk = Status.objects.filter(pk__in=status_ids[start : start + BATCH_SIZE])
        with transaction.atomic():
            for status in chunk.select_related("account"):
                outbox.federate_status(status)


def _fail(job: PostImport, message: str) -> None:
    undo_import(job)
    PostImport.objects.filter(pk=job.pk).update(
        state=JobState.FAILED, error=message, finished_at=timezone.now(), file=""
    )
    storage.delete(job.file.name)


def undo_import(job: PostImport) -> None:
    """Delete every post the import made, with its media files."""
    made = ImportedPost.objects.filter(post_import=job, status__isnull=False)
    while ids := list(made.values_list("status_id", flat=True)[:BATCH_SIZE]):
        with transaction.atomic():
            media = MediaAttachment.objects.filter(status_id__in=ids)
            storage.delete_on_commit(*(name for m in media for name in media_files(m)))
            media.delete()
            Status.objects.filter(pk__in=ids).delete()
    ImportedPost.objects.filter(post_import=job).delete()
    PostImport.objects.filter(pk=job.pk).update(done_items=0, imported_count=0, skipped_count=0)


def resume_stalled_imports() -> int:
    """Jobs whose worker died (or whose task was lost) are queued again."""
    cutoff = timezone.now() - STALE_AFTER
    stalled = PostImport.objects.filter(
        state__in=(JobState.QUEUED, JobState.RUNNING), created_at__lt=cutoff
    ).exclude(heartbeat_at__gte=cutoff)
    ids = list(stalled.values_list("pk", flat=True))
    for pk in ids:
        with transaction.atomic():
            enqueue(run_post_import_task(), pk, queue="default")
    return len(ids)


def progress(job: PostImport) -> int:
    return int(100 * job.done_items / job.total_items) if job.total_items else 0


__all__ = ["Plan", "do_run_post_import", "do_start_post_import", "resume_stalled_imports"]
