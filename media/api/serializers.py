"""Mastodon's MediaAttachment entity. Nothing here queries."""

from typing import Any

from fediverse import uris
from media import storage
from media.models import MediaAttachment


def media_proxy_url(media: MediaAttachment, style: str, *, absolute: bool = True) -> str:
    path = f"/media_proxy/{media.pk}/{style}"
    return uris.absolute(path) if absolute else path


def original_url(media: MediaAttachment, *, absolute: bool = True) -> str | None:
    if not media.processed:
        return None
    if not media.file and media.remote_url:
        # Not copied here (yet, or any more): the proxy fetches a copy when asked.
        return media_proxy_url(media, "original", absolute=absolute)
    return storage.url(media.file.name, absolute=absolute)


def preview_url(media: MediaAttachment, *, absolute: bool = True) -> str | None:
    if media.thumbnail:
        return storage.url(media.thumbnail.name, absolute=absolute)
    if media.preview:
        return storage.url(media.preview.name, absolute=absolute)
    if not media.file and media.remote_url and media.type != "audio":
        return media_proxy_url(media, "small", absolute=absolute)
    return None


def media_entity(media: MediaAttachment) -> dict[str, Any]:
    return {
        "id": str(media.pk),
        "type": media.type,
        "url": original_url(media),
        "preview_url": preview_url(media),
        "remote_url": media.remote_url or None,
        "preview_remote_url": media.thumbnail_remote_url or None,
        "text_url": None,
        "meta": media.meta or {},
        "description": media.description or None,
        "blurhash": media.blurhash or None,
    }
