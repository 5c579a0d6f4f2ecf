"""One batch of imported posts, written in one transaction: the posts with ids made from their
original dates, their hashtags and media, and the record of which source items are done."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from fediverse import uris
from fediverse.ids import snowflake_from_time
from media import storage
from media.models import MediaAttachment
from media.processing.errors import MediaRejected
from media.services.attachments import media_files
from media.services.uploads import VIDEO_LIMIT, MediaInput, do_create_media
from timelines.archives.posts import ArchivePost, Skipped, html_to_text
from timelines.archives.safezip import SafeArchive
from timelines.models import ImportedPost, PostImport, Status
from timelines.services.hashtags import tags_named


def _free_ids(posts: list[ArchivePost]) -> list[int]:
    """Ids from the posts' dates, moved up a step where one is taken; the low bits come from
    the place in the archive, so that posts of the same second keep their order, and a rerun
    gives each post the id it had."""
    wanted = [snowflake_from_time(p.published, p.order) for p in posts]
    taken = set(Status.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    chosen: list[int] = []
    for candidate in wanted:
        while candidate in taken:
            candidate += 1
            if candidate not in taken and Status.objects.filter(pk=candidate).exists():
                taken.add(candidate)
        taken.add(candidate)
        chosen.append(candidate)
    return chosen


def _statuses(job: PostImport, posts: list[ArchivePost]) -> list[Status]:
    username, now = job.account.username, timezone.now()
    rows = []
    for post, pk in zip(posts, _free_ids(posts), strict=True):
        rows.append(
            Status(
                id=pk,
                uri=uris.status_uri(username, pk),
                url=uris.status_url(username, pk),
                account_id=job.account_id,
                text=html_to_text(post.content),
                content=post.content,
                spoiler_text=post.summary.strip(),
                sensitive=post.sensitive or bool(post.summary.strip()),
                visibility=post.visibility,
                language=post.language,
                local=True,
                created_at=post.published,
                imported_at=now,
            )
        )
    return Status.objects.bulk_create(rows)


def _tags(posts: list[ArchivePost], statuses: list[Status]) -> None:
    names = {name.lower(): name for post in posts for name in post.tags}
    if not names:
        return
    found = {tag.name.lower(): tag.pk for tag in tags_named(names.values())}
    through = Status.tags.through
    links = {
        (status.pk, found[name.lower()])
        for post, status in zip(posts, statuses, strict=True)
        for name in post.tags
    }
    through.objects.bulk_create([through(status_id=s, tag_id=t) for s, t in links])


def _media(
    job: PostImport, archive: SafeArchive, post: ArchivePost, status: Status, work: Path,
    stored: list[str],
) -> int:  # fmt: skip
    """Each file through the upload pipeline; one it refuses is left out, not the post."""
    skipped = 0
    for position, item in enumerate(post.media):
        if archive.size(item.name) > VIDEO_LIMIT:
            skipped += 1
            continue
        target = work / f"media-{status.pk}-{position}"
        archive.copy_to(item.name, target, limit=VIDEO_LIMIT)
        with target.open("rb") as handle:
            upload = UploadedFile(handle, name=target.name, size=target.stat().st_size)
            data = MediaInput(file=upload, description=item.description or None)
            try:
                media = do_create_media(account=job.account, data=data, wait=True)
            except MediaRejected:
                skipped += 1
                continue
            finally:
                target.unlink(missing_ok=True)
        stored.extend(media_files(media))
        MediaAttachment.objects.filter(pk=media.pk).update(status_id=status.pk, position=position)
    return skipped


def write_batch(
    *, job: PostImport, archive: SafeArchive, posts: list[ArchivePost], skipped: list[Skipped],
    work: Path,
) -> None:  # fmt: skip
    stored: list[str] = []
    try:
        with transaction.atomic():
            statuses = _statuses(job, posts)
            _tags(posts, statuses)
            for post, status in zip(posts, statuses, strict=True):
                if post.media:
                    _media(job, archive, post, status, work, stored)
            records = [
                ImportedPost(post_import=job, source_id=post.source_id, status_id=status.pk,
                             reply_to_source=post.reply_to)
                for post, status in zip(posts, statuses, strict=True)
            ] + [ImportedPost(post_import=job, source_id=s.source_id) for s in skipped]  # fmt: skip
            ImportedPost.objects.bulk_create(records)
            PostImport.objects.filter(pk=job.pk).update(
                done_items=F("done_items") + len(records),
                imported_count=F("imported_count") + len(posts),
                skipped_count=F("skipped_count") + len(skipped),
            )
    except BaseException:
        storage.delete(*stored)
        raise
