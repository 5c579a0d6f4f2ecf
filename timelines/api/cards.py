"""Mastodon's PreviewCard entity."""

from typing import Any

from fediverse.api.render import iso
from media import storage
from timelines.models import PreviewCard


def card_entity(card: PreviewCard) -> dict[str, Any]:
    return {
        "url": card.url,
        "title": card.title,
        "description": card.description,
        "language": card.language or None,
        "type": card.type,
        "author_name": card.author_name,
        "author_url": card.author_url,
        "provider_name": card.provider_name,
        "provider_url": card.provider_url,
        "html": card.html,
        "width": card.width,
        "height": card.height,
        "image": storage.url(card.image.name or ""),
        "image_description": card.image_description,
        "embed_url": card.embed_url,
        "blurhash": card.blurhash or None,
        "published_at": iso(card.published_at),
        # Mastodon 4.3 lists the author once more here, for the fediverse:creator account.
        "authors": [{"name": card.author_name, "url": card.author_url, "account": None}],
    }


def card_of(cards: dict[int, PreviewCard] | None, status_id: int) -> dict[str, Any] | None:
    """The entity of a status's card, from the cards status_context loaded for its page."""
    card = (cards or {}).get(status_id)
    return card_entity(card) if card is not None else None
