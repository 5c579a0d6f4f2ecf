"""Custom emoji as the Emoji tags Mastodon puts on notes and actors
(app/serializers/activitypub/emoji_serializer.rb)."""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from typing import Any

from fediverse import uris
from moderation.models import CustomEmoji


def emoji_uri(emoji: CustomEmoji) -> str:
    """A local emoji's id is its document here; a remote one keeps its own server's id."""
    if emoji.domain is None:
        return uris.absolute(f"/emojis/{emoji.pk}")
    return emoji.uri


def emoji_tag(emoji: CustomEmoji) -> dict[str, Any]:
    image = emoji.image.name or ""
    return {
        "id": emoji_uri(emoji),
        "type": "Emoji",
        "name": f":{emoji.shortcode}:",
        "updated": emoji.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "icon": {
            "type": "Image",
            "mediaType": mimetypes.guess_type(image)[0] or "image/png",
            "url": uris.absolute(emoji.image.url) if image else emoji.image_remote_url,
        },
    }


def emoji_tags(emojis: Iterable[CustomEmoji]) -> list[dict[str, Any]]:
    return [emoji_tag(emoji) for emoji in emojis]
