"""This server's custom emojis, uploaded by admins or copied from another server's: checked,
then processed by the media pipeline into a clean image and a still PNG beside it (Mastodon's
`static_url`, for apps that do not animate)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from media import storage
from media.processing.errors import MediaRejected
from media.processing.profile import EMOJI_FORMATS, ProfileImage, process_profile_image
from media.processing.sniff import Family, carries_markup, family
from media.services.profile_images import static_name, store_profile_image
from media.services.uploads import HEAD_BYTES, write_upload
from moderation.models import CustomEmoji

SHORTCODE_RE = re.compile(r"^[a-zA-Z0-9_]{2,}$")
MAX_SHORTCODE = 128
MAX_IMAGE_BYTES = 256 * 1024  # Mastodon's limit for local emoji
NOT_AN_EMOJI_IMAGE = "must be a PNG, GIF or WebP image"


def check_custom_emoji(*, shortcode: str, image: UploadedFile | None, exclude: int | None) -> None:
    if not SHORTCODE_RE.match(shortcode) or len(shortcode) > MAX_SHORTCODE:
        raise ValidationError(
            {"shortcode": "must be 2 to 128 characters: letters, digits and underscores"}
        )
    taken = CustomEmoji.objects.filter(domain__isnull=True, shortcode__iexact=shortcode)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError({"shortcode": "has already been taken"})
    if image is not None and not image.size:
        raise ValidationError({"image": "is empty"})
    if image is not None and image.size is not None and image.size > MAX_IMAGE_BYTES:
        raise ValidationError({"image": "must be smaller than 256 KB"})


def process_emoji_image(image: UploadedFile) -> ProfileImage:
    """Decoded and written anew (no metadata, at most 400x400 worth of pixels); an animated
    GIF stays animated. Anything that is not a PNG, GIF or WebP image is refused."""
    with tempfile.TemporaryDirectory(prefix="herd-emoji-") as folder:
        source = write_upload(image, Path(folder) / "source")
        with source.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
        if family(head) is not Family.IMAGE or carries_markup(head):
            raise ValidationError({"image": NOT_AN_EMOJI_IMAGE})
        try:
            return process_profile_image(source, "emoji", always_static=True, formats=EMOJI_FORMATS)
        except MediaRejected as error:
            raise ValidationError({"image": NOT_AN_EMOJI_IMAGE}) from error


def _stored_names(emoji: CustomEmoji) -> list[str]:
    if emoji.pk is None:
        return []
    row = CustomEmoji.objects.filter(pk=emoji.pk).values_list("image", "static_image").first()
    return [name for name in row or () if name]


def _save_with_files(emoji: CustomEmoji, name: str, still: str) -> CustomEmoji:
    """The row names the new files; the old ones go once that is committed, and the new ones
    if it is not."""
    old = _stored_names(emoji)
    emoji.image, emoji.static_image = name, still  # type: ignore[assignment]
    try:
        with transaction.atomic():
            emoji.save()
            storage.delete_on_commit(*[n for n in old if n not in (name, still)])
    except IntegrityError as error:
        storage.delete(name, still)
        raise ValidationError({"shortcode": "has already been taken"}) from error
    return emoji


def do_save_custom_emoji(*, emoji: CustomEmoji, image: UploadedFile | None) -> CustomEmoji:
    """Save a local emoji; a new image replaces both the image and its still version."""
    check_custom_emoji(shortcode=emoji.shortcode, image=image, exclude=emoji.pk)
    emoji.domain = None
    if image is None:
        if not _stored_names(emoji):
            raise ValidationError({"image": "is required"})
        emoji.save()
        return emoji
    name = store_profile_image(process_emoji_image(image), "emoji")
    return _save_with_files(emoji, name, static_name(name))


def do_set_emojis_disabled(*, ids: list[int], disabled: bool) -> int:
    return CustomEmoji.objects.filter(pk__in=ids).update(disabled=disabled)


def do_copy_remote_emoji(*, emoji: CustomEmoji) -> CustomEmoji | None:
    """Another server's emoji added to this server's own, with copies of its cached files;
    None when its image is not cached here or the shortcode is taken locally (an existing
    local emoji is never overwritten)."""
    if emoji.domain is None or not emoji.image:
        return None
    if CustomEmoji.objects.filter(domain__isnull=True, shortcode__iexact=emoji.shortcode).exists():
        return None
    extension = emoji.image.name.rsplit(".", 1)[-1]
    with default_storage.open(emoji.image.name, "rb") as source:
        name = storage.save_bytes("emojis", extension, source.read())
    still = static_name(name)
    with default_storage.open(emoji.static_image.name or emoji.image.name, "rb") as source:
        storage.save_as(still, source.read())
    copy = CustomEmoji(shortcode=emoji.shortcode, category=emoji.category)
    try:
        return _save_with_files(copy, name, still)
    except ValidationError:
        return None
