"""Uploads from local users: what they may send, and turning it into a MediaAttachment.

Images are processed at once. Audio, video and animated GIFs are probed and checked at once,
so that a file outside the limits is refused in the request; converting them runs on the
`media` queue when the client can wait for it (`POST /api/v2/media`), or at once otherwise.
Every refusal comes before anything is stored: a refused upload leaves no file and no row."""

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import Account
from media import storage
from media.models import MAX_DESCRIPTION_LENGTH, MediaAttachment, MediaType, Processing
from media.processing import images, streams
from media.processing.errors import MediaRejected
from media.processing.images import Rendition
from media.processing.pipeline import StreamResult, process_stream
from media.processing.sniff import Family, carries_markup, family

MEGABYTE = 1024 * 1024
IMAGE_LIMIT = 16 * MEGABYTE
VIDEO_LIMIT = 99 * MEGABYTE
HEAD_BYTES = 4096
ORIGINALS = "media_attachments/original"
SMALLS = "media_attachments/small"
THUMBNAILS = "media_attachments/thumbnails"
INCOMING = "media_attachments/incoming"
SPOOFED = "Validation failed: {label} has contents that are not what they are reported to be"
DESCRIPTION_TOO_LONG = (
    f"Validation failed: Description is too long (maximum is {MAX_DESCRIPTION_LENGTH} characters)"
)
THUMBNAIL_NOT_ALLOWED = "Validation failed: Thumbnail must be blank"


@dataclass(frozen=True)
class MediaInput:
    file: UploadedFile | None = None
    thumbnail: UploadedFile | None = None
    description: str | None = None
    focus: str | None = None


@dataclass(frozen=True)
class Thumbnail:
    small: Rendition
    blurhash: str


def check_file(upload: UploadedFile | None, *, label: str = "File") -> Family:
    """The family of an upload from its first bytes, within its size limit."""
    if upload is None or not upload.size:
        raise MediaRejected(f"Validation failed: {label} can't be blank")
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    found = family(head)
    if found is None:
        raise MediaRejected(f"Validation failed: {label} content type is invalid")
    if carries_markup(head):
        raise MediaRejected(SPOOFED.format(label=label))
    limit = IMAGE_LIMIT if found is Family.IMAGE else VIDEO_LIMIT
    if upload.size > limit:
        raise MediaRejected(
            f"Validation failed: {label} file size must be less than {limit // MEGABYTE} MB"
        )
    if found is Family.STREAM and not streams.available():
        raise MediaRejected(streams.NO_FFMPEG)
    return found


def check_description(description: str | None) -> None:
    if description is not None and len(description) > MAX_DESCRIPTION_LENGTH:
        raise MediaRejected(DESCRIPTION_TOO_LONG)


def parse_focus(value: Any) -> dict[str, float] | None:
    """A focal point "x,y" with both between -1 and 1, read as Mastodon reads it: what is not a
    number counts as 0."""
    if value is None or not str(value).strip():
        return None
    parts = (str(value).split(",") + ["0"])[:2]
    point = []
    for part in parts:
        try:
            number = float(part)
        except ValueError:
            number = 0.0
        point.append(max(-1.0, min(1.0, number)) if number == number else 0.0)
    return {"x": point[0], "y": point[1]}


def check_media_input(data: MediaInput) -> Family:
    check_description(data.description)
    found = check_file(data.file)
    if data.thumbnail is not None:
        if found is Family.IMAGE:
            raise MediaRejected(THUMBNAIL_NOT_ALLOWED)
        if check_file(data.thumbnail, label="Thumbnail") is not Family.IMAGE:
            raise MediaRejected("Validation failed: Thumbnail content type is invalid")
    return found


def write_upload(upload: UploadedFile, target: Path) -> Path:
    upload.seek(0)
    with target.open("wb") as sink:
        for chunk in upload.chunks():
            sink.write(chunk)
    return target


def make_thumbnail(upload: UploadedFile, work: Path) -> Thumbnail:
    small, blurhash = images.process_thumbnail(write_upload(upload, work / "thumbnail"))
    return Thumbnail(small, blurhash)


def do_create_media(*, account: Account, data: MediaInput, wait: bool) -> MediaAttachment:
    """`wait`: convert audio and video now rather than on the media queue."""
    found = check_media_input(data)
    assert data.file is not None
    with tempfile.TemporaryDirectory(prefix="herd-media-") as folder:
        work = Path(folder)
        source = write_upload(data.file, work / "source")
        gif = False
        if found is Family.IMAGE:
            header = images.read_header(source)
            if not (header.format == "GIF" and header.animated):
                return _create_image(account, data, images.process_image(source, header))
            if not streams.available():
                raise MediaRejected(streams.NO_FFMPEG)
            gif = True
            kind = MediaType.GIFV
        else:
            probe = streams.probe(source)
            streams.check(probe)
            kind = MediaType.AUDIO if probe.video is None else MediaType.VIDEO
            if probe.video is not None and probe.audio is None:
                kind = MediaType.GIFV
        thumbnail = make_thumbnail(data.thumbnail, work) if data.thumbnail else None
        if wait:
            result = process_stream(source, work, gif=gif)
            return _create_stream(account, data, result, thumbnail)
        return _queue_stream(account, data, source, kind, thumbnail)


def _created(names: list[str], fields: dict[str, Any]) -> MediaAttachment:
    """The row for files already stored; if it cannot be written, the files go too."""
    try:
        with transaction.atomic():
            return MediaAttachment.objects.create(**fields)
    except BaseException:
        storage.delete(*names)
        raise


def _common(account: Account, data: MediaInput) -> dict[str, Any]:
    return {"account": account, "description": (data.description or "").strip()}


def _meta(data: MediaInput, **sizes: dict[str, Any] | None) -> dict[str, Any]:
    meta: dict[str, Any] = {key: value for key, value in sizes.items() if value}
    focus = parse_focus(data.focus)
    if focus is not None:
        meta["focus"] = focus
    return meta


def image_fields(processed: images.ProcessedImage) -> dict[str, Any]:
    """The columns describing a processed image, once its files are stored."""
    original, small = processed.original, processed.small
    return {
        "type": MediaType.IMAGE,
        "file": storage.save_bytes(ORIGINALS, original.extension, original.data),
        "preview": storage.save_bytes(SMALLS, small.extension, small.data),
        "file_content_type": original.content_type, "file_size": len(original.data),
        "blurhash": processed.blurhash,
        "meta": {"original": original.geometry(), "small": small.geometry()},
        "processing": Processing.COMPLETE,
    }  # fmt: skip


def _create_image(
    account: Account, data: MediaInput, processed: images.ProcessedImage
) -> MediaAttachment:
    fields = image_fields(processed)
    fields["meta"] = {**fields["meta"], **_meta(data)}
    return _created([fields["file"], fields["preview"]], {**_common(account, data), **fields})


def _save_thumbnail(thumbnail: Thumbnail | None) -> str:
    if thumbnail is None:
        return ""
    small = thumbnail.small
    return storage.save_bytes(THUMBNAILS, small.extension, small.data)


def stream_fields(result: StreamResult, thumbnail: Thumbnail | None) -> dict[str, Any]:
    """The columns describing a converted stream, once its files are stored."""
    file = storage.save_path(ORIGINALS, result.extension, result.original)
    preview = ""
    if result.small is not None:
        preview = storage.save_bytes(SMALLS, result.small.extension, result.small.data)
    small = thumbnail.small if thumbnail else result.small
    return {
        "type": result.type, "file": file, "preview": preview,
        "file_content_type": result.content_type, "file_size": result.original.stat().st_size,
        "blurhash": thumbnail.blurhash if thumbnail else result.blurhash,
        "meta": {"original": result.meta, **({"small": small.geometry()} if small else {})},
        "processing": Processing.COMPLETE,
    }  # fmt: skip


def _create_stream(
    account: Account, data: MediaInput, result: StreamResult, thumbnail: Thumbnail | None
) -> MediaAttachment:
    thumb = _save_thumbnail(thumbnail)
    fields = stream_fields(result, thumbnail)
    fields["meta"] = {**fields["meta"], **_meta(data)}
    names = [fields["file"], fields["preview"], thumb]
    return _created(names, {**_common(account, data), **fields, "thumbnail": thumb})


def _queue_stream(
    account: Account, data: MediaInput, source: Path, kind: str, thumbnail: Thumbnail | None
) -> MediaAttachment:
    from fediverse.effects import enqueue
    from media.tasks import process_media

    incoming = storage.save_path(INCOMING, "bin", source)
    thumb = _save_thumbnail(thumbnail)
    small = {"small": thumbnail.small.geometry()} if thumbnail else {}
    with transaction.atomic():
        media = _created(
            [incoming, thumb],
            {**_common(account, data), "type": kind, "file": incoming, "thumbnail": thumb,
             "blurhash": thumbnail.blurhash if thumbnail else "",
             "meta": _meta(data, **small), "processing": Processing.QUEUED},
        )  # fmt: skip
        enqueue(process_media, media.pk, queue="media")
    return media
