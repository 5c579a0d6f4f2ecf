"""Mastodon's CustomEmoji entity, kept apart from the other moderation entities so that the
account and status serializers can use it without importing views."""

from typing import Any

from fediverse import uris
from moderation.models import CustomEmoji


def custom_emoji_entity(emoji: CustomEmoji, *, with_category: bool = False) -> dict[str, Any]:
    url = uris.absolute(emoji.image.url) if emoji.image else ""
    still = uris.absolute(emoji.static_image.url) if emoji.static_image else url
    entity: dict[str, Any] = {
        "shortcode": emoji.shortcode,
        "url": url,
        "static_url": still,
        "visible_in_picker": emoji.visible_in_picker,
    }
    # Mastodon names the category only in the emoji list, and only when there is one.
    if with_category and emoji.category:
        entity["category"] = emoji.category
    return entity


def emoji_entities(emojis: list[CustomEmoji] | None) -> list[dict[str, Any]]:
    return [custom_emoji_entity(emoji) for emoji in emojis or ()]
