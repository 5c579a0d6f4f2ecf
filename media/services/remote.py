"""Media of other servers: attachments of their posts, avatars and headers of their accounts,
and their custom emoji. Each is fetched through the one outbound client (federation.http: no
private addresses, bounded time and size), on the `media` queue, processed exactly as an
upload is, and stored here, so that readers never load anything from the other server."""

import logging
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from accounts.models import Account
from federation import http, policy
from media import storage
from media.models import MAX_DESCRIPTION_LENGTH, MediaAttachment, MediaType
from media.processing import images, streams
from media.processing.errors import MediaRejected
from media.processing.pipeline import process_stream
from media.processing.profile import EMOJI_FORMATS, Kind, process_profile_image
from media.processing.sniff import Family, carries_markup, family
from media.services.profile_images import PROFILE_IMAGE_LIMIT, static_name, store_profile_image
from media.services.uploads import HEAD_BYTES, IMAGE_LIMIT, VIDEO_LIMIT, image_fields
from media.services.uploads import stream_fields as converted_stream_fields

logger = logging.getLogger(__name__)
EMOJI_LIMIT = 256 * 1024
MAX_REMOTE_ATTACHMENTS = 4  # Mastodon keeps no more of a remote post
BLURHASH_CHARACTERS = set(
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"
)


class NotCached(Exception):
    """The remote file could not be fetched or is not one we take; the row keeps its URL."""


@dataclass(frozen=True)
class RemoteMedia:
    """An attachment as a remote post describes it (an ActivityPub Document)."""

    url: str
    media_type: str = ""
    description: str = ""
    blurhash: str = ""
    focus: tuple[float, float] | None = None
    width: int | None = None
    height: int | None = None


def fetch_timeout() -> float:
    """All of one download, slow senders included; the outbound client's 30 s by default."""
    return float(getattr(settings, "MEDIA_FETCH_TIMEOUT", 30.0))


def download(url: str, limit: int, target: Path) -> Family:
    limits = http.Limits(total=fetch_timeout(), max_bytes=limit)
    try:
        response = http.get(url, limits=limits)
    except http.FetchError as error:
        raise NotCached(str(error)) from error
    if not response.ok:
        raise NotCached(f"{url} answered {response.status}")
    head = response.body[:HEAD_BYTES]
    found = family(head)
    if found is None or carries_markup(head):
        raise NotCached(f"{url} is not an image, audio or video file")
    if found is Family.IMAGE and len(response.body) > IMAGE_LIMIT:
        raise NotCached(f"{url} is larger than an image may be")
    target.write_bytes(response.body)
    return found


def _type_of(media_type: str) -> str:
    kind = media_type.split("/")[0].lower()
    return {"image": MediaType.IMAGE, "video": MediaType.VIDEO, "audio": MediaType.AUDIO}.get(
        kind, MediaType.UNKNOWN
    )


def _described(item: RemoteMedia) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    if item.width and item.height and item.width > 0 and item.height > 0:
        meta["original"] = images.geometry(item.width, item.height)
    if item.focus is not None:
        meta["focus"] = {"x": max(-1.0, min(1.0, item.focus[0])),
                         "y": max(-1.0, min(1.0, item.focus[1]))}  # fmt: skip
    valid_hash = 6 <= len(item.blurhash) <= 100 and set(item.blurhash) <= BLURHASH_CHARACTERS
    return {
        "type": _type_of(item.media_type),
        "remote_url": item.url[:2048],
        "description": item.description.strip()[:MAX_DESCRIPTION_LENGTH],
        "blurhash": item.blurhash if valid_hash else "",
        "meta": meta,
    }


def do_add_remote_media(
    *, account: Account, status_id: int, items: Sequence[RemoteMedia]
) -> list[MediaAttachment]:
    """Inside the transaction that stores a remote post: rows pointing at the remote files,
    and a copy of each fetched on the media queue once the post is committed."""
    from fediverse.effects import enqueue
    from media.tasks import fetch_remote_media

    made = [
        MediaAttachment.objects.create(
            account=account, status_id=status_id, position=position, **_described(item)
        )
        for position, item in enumerate(items[:MAX_REMOTE_ATTACHMENTS])
        if item.url.startswith(("https://", "http://"))
    ]
    for media in made:
        enqueue(fetch_remote_media, media.pk, queue="media")
    return made


def _convert(source: Path, work: Path, found: Family) -> dict[str, Any]:
    if found is Family.IMAGE:
        header = images.read_header(source)
        if not (header.format == "GIF" and header.animated):
            return image_fields(images.process_image(source, header))
        if not streams.available():
            raise MediaRejected(streams.NO_FFMPEG)
        return converted_stream_fields(process_stream(source, work, gif=True), None)
    if not streams.available():
        raise MediaRejected(streams.NO_FFMPEG)
    return converted_stream_fields(process_stream(source, work, gif=False), None)


def do_fetch_remote_media(*, media_id: int) -> bool:
    """Copy a remote attachment here. False when it cannot be had now; its row stays, and the
    media proxy tries again when someone looks at it."""
    media = MediaAttachment.objects.remote().filter(pk=media_id).select_related("account").first()
    if media is None or media.file:
        return media is not None
    if policy.rejects_media(media.account.domain):
        return False
    with tempfile.TemporaryDirectory(prefix="herd-remote-") as folder:
        work = Path(folder)
        try:
            found = download(media.remote_url, VIDEO_LIMIT, work / "source")
            fields = _convert(work / "source", work, found)
        except (NotCached, MediaRejected) as error:
            logger.info("remote media %s not cached: %s", media_id, error)
            return False
    return _store_copy(media_id, fields)


def _store_copy(media_id: int, fields: dict[str, Any]) -> bool:
    new_files = [str(fields["file"]), str(fields["preview"])]
    with transaction.atomic():
        media = MediaAttachment.objects.select_for_update().filter(pk=media_id).first()
        if media is None or media.file:
            storage.delete_on_commit(*new_files)
            return media is not None
        meta = {**media.meta, **fields.pop("meta")}
        if media.blurhash:
            fields.pop("blurhash")  # the author's server made it from the full picture
        for name, value in fields.items():
            setattr(media, name, value)
        media.meta = meta
        media.save()
    return True


def do_cache_remote_profile_image(*, account_id: int, kind: str, url: str) -> bool:
    """A remote account's avatar or header (`kind`), processed as a local one is."""
    account = Account.objects.filter(pk=account_id, domain__isnull=False).first()
    if account is None or kind not in ("avatar", "header") or policy.rejects_media(account.domain):
        return False
    shape: Kind = "avatar" if kind == "avatar" else "header"
    with tempfile.TemporaryDirectory(prefix="herd-remote-") as folder:
        source = Path(folder) / "source"
        try:
            if download(url, PROFILE_IMAGE_LIMIT, source) is not Family.IMAGE:
                raise NotCached(f"{url} is not an image")
            name = store_profile_image(process_profile_image(source, shape), shape)
        except (NotCached, MediaRejected) as error:
            logger.info("%s of account %s not cached: %s", kind, account_id, error)
            return False
    with transaction.atomic():
        field = getattr(Account.objects.select_for_update().get(pk=account_id), kind)
        old = field.name or ""
        field.name = name
        field.instance.save(update_fields=[kind, "updated_at"])
        if old:
            storage.delete_on_commit(old, static_name(old) if old.endswith(".gif") else "")
    return True


def do_cache_remote_emoji(*, emoji_id: int) -> bool:
    """A remote custom emoji's image and its still version, from its image_remote_url."""
    from moderation.models import CustomEmoji

    emoji = CustomEmoji.objects.filter(pk=emoji_id, domain__isnull=False).first()
    if emoji is None or not emoji.image_remote_url or policy.rejects_media(emoji.domain):
        return False
    with tempfile.TemporaryDirectory(prefix="herd-remote-") as folder:
        source = Path(folder) / "source"
        try:
            if download(emoji.image_remote_url, EMOJI_LIMIT, source) is not Family.IMAGE:
                raise NotCached(f"{emoji.image_remote_url} is not an image")
            processed = process_profile_image(
                source, "emoji", always_static=True, formats=EMOJI_FORMATS
            )
        except (NotCached, MediaRejected) as error:
            logger.info("emoji %s not cached: %s", emoji_id, error)
            return False
    name = store_profile_image(processed, "emoji")
    with transaction.atomic():
        storage.delete_on_commit(emoji.image.name, emoji.static_image.name)
        emoji.image.name, emoji.static_image.name = name, static_name(name)
        emoji.save(update_fields=["image", "static_image", "updated_at"])
    return True
