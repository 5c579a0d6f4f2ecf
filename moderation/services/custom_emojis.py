"""This server's custom emojis, uploaded by admins: checked, and given a still image for apps
that do not animate (Mastodon's `static_url`)."""

import re
from io import BytesIO
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from PIL import Image, UnidentifiedImageError

from moderation.models import CustomEmoji

SHORTCODE_RE = re.compile(r"^[a-zA-Z0-9_]{2,}$")
MAX_IMAGE_BYTES = 256 * 1024
IMAGE_TYPES = {"PNG", "GIF", "WEBP", "JPEG"}


def check_custom_emoji(*, shortcode: str, image: UploadedFile | None, exclude: int | None) -> None:
    if not SHORTCODE_RE.match(shortcode):
        raise ValidationError(
            {"shortcode": "must be at least 2 characters: letters, digits and underscores"}
        )
    taken = CustomEmoji.objects.filter(domain__isnull=True, shortcode__iexact=shortcode)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise ValidationError({"shortcode": "has already been taken"})
    if image is not None and image.size is not None and image.size > MAX_IMAGE_BYTES:
        raise ValidationError({"image": "must be smaller than 256 KB"})


def still_png(image: UploadedFile) -> bytes:
    """The first frame as PNG: what apps show when animation is turned off."""
    try:
        image.seek(0)
        with Image.open(image) as picture:
            if picture.format not in IMAGE_TYPES:
                raise ValidationError({"image": "must be a PNG, GIF, WebP or JPEG image"})
            picture.seek(0)
            frame = picture.convert("RGBA")
    except (UnidentifiedImageError, OSError) as error:
        raise ValidationError({"image": "is not an image"}) from error
    finally:
        image.seek(0)
    out = BytesIO()
    frame.save(out, format="PNG")
    return out.getvalue()


def do_save_custom_emoji(*, emoji: CustomEmoji, image: UploadedFile | None) -> CustomEmoji:
    """Save a local emoji; a new image replaces both the image and its still copy."""
    check_custom_emoji(shortcode=emoji.shortcode, image=image, exclude=emoji.pk)
    emoji.domain = None
    with transaction.atomic():
        if image is not None:
            still = still_png(image)
            stem = PurePath(image.name or emoji.shortcode).stem
            emoji.image.save(image.name or f"{emoji.shortcode}.png", image, save=False)
            emoji.static_image.save(f"{stem}.png", ContentFile(still), save=False)
        emoji.save()
    return emoji
