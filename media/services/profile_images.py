"""Avatars and headers of local accounts, processed as attachments are: the format read from
the bytes, the limits checked before decoding, metadata dropped, random names."""

import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models.fields.files import FieldFile

from media import storage
from media.processing.errors import MediaRejected
from media.processing.profile import Kind, ProfileImage, process_profile_image
from media.processing.sniff import Family, carries_markup, family
from media.services.uploads import HEAD_BYTES, MEGABYTE, write_upload

PROFILE_IMAGE_LIMIT = 8 * MEGABYTE
NOT_AN_IMAGE = "This file is not a PNG, JPEG, GIF or WebP image."
STATIC_SUFFIX = "_static.png"


def check_profile_image(upload: UploadedFile) -> None:
    """Cheap checks on the upload itself; decoding comes when it is stored."""
    if not upload.size:
        raise ValidationError("The file is empty.", code="blank")
    if upload.size > PROFILE_IMAGE_LIMIT:
        raise ValidationError("Images are at most 8 MB.", code="too_large")
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    if family(head) is not Family.IMAGE or carries_markup(head):
        raise ValidationError(NOT_AN_IMAGE, code="invalid")
    try:
        _process(upload, "avatar")
    except MediaRejected as error:
        raise ValidationError(error.message, code="invalid") from error


def _process(upload: UploadedFile, kind: Kind) -> ProfileImage:
    with tempfile.TemporaryDirectory(prefix="herd-profile-") as folder:
        return process_profile_image(write_upload(upload, Path(folder) / "source"), kind)


def static_name(name: str) -> str:
    """Where the still version of an animated avatar or header is kept."""
    return name.rsplit(".", 1)[0] + STATIC_SUFFIX


def store_profile_image(processed: ProfileImage, kind: Kind) -> str:
    image = processed.image
    name = storage.save_bytes(f"{kind}s", image.extension, image.data)
    if processed.static is not None:
        target = static_name(name)
        saved = storage.save_as(target, processed.static.data)
        assert saved == target, "random names never collide"
    return name


def do_replace_profile_image(field: FieldFile, upload: UploadedFile, kind: Kind) -> None:
    """Process and store the new image; the old files go once the change is committed."""
    try:
        processed = _process(upload, kind)
    except MediaRejected as error:
        raise ValidationError({kind: ValidationError(error.message, code="invalid")}) from error
    old = field.name or ""
    field.name = store_profile_image(processed, kind)
    if old:
        storage.delete_on_commit(old, static_name(old) if old.endswith(".gif") else "")


def profile_image_url(field: FieldFile, *, still: bool = False) -> str | None:
    """The image's URL, or with `still` the still version of a GIF (Mastodon's *_static)."""
    if not field.name:
        return None
    name = static_name(field.name) if still and field.name.endswith(".gif") else field.name
    return storage.url(name)
