"""Actor documents for local accounts and for the instance actor, with every field Mastodon
emits (app/serializers/activitypub/actor_serializer.rb)."""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable, Sequence
from typing import Any

from django.db.models.fields.files import FieldFile

from accounts.models import Account
from federation.render.context import ACTOR_EXTENSIONS, with_context
from federation.render.emoji import emoji_tags
from fediverse import uris
from fediverse.formatting import render_plain_text
from moderation.models import CustomEmoji

# What an unsigned request gets when signatures are required: enough to verify signatures.
RESTRICTED_FIELDS = ("id", "type", "preferredUsername", "inbox", "outbox", "publicKey", "endpoints")


def key_id(account: Account) -> str:
    return f"{account.uri}#main-key"


def public_key(account: Account) -> dict[str, str]:
    return {"id": key_id(account), "owner": account.uri, "publicKeyPem": account.public_key}


def collection_uri(account: Account, name: str) -> str:
    return f"{account.uri}/{name}"


def _image(file: FieldFile) -> dict[str, str] | None:
    if not file:
        return None
    media_type = mimetypes.guess_type(file.name or "")[0] or "image/png"
    return {"type": "Image", "mediaType": media_type, "url": uris.absolute(file.url)}


def field_value_html(value: str) -> str:
    """A profile field as HTML: links and hashtags, no paragraph around it."""
    html = render_plain_text(value, resolve_mention=lambda _u, _d: None, tag_url=uris.tag_url)
    return html.removeprefix("<p>").removesuffix("</p>")


def property_values(fields: Iterable[dict[str, Any]]) -> list[dict[str, str]]:
    return [
        {
            "type": "PropertyValue",
            "name": str(field.get("name", "")),
            "value": field_value_html(str(field.get("value", ""))),
        }
        for field in fields
    ]


def _profile(account: Account, available: bool, emojis: Sequence[CustomEmoji]) -> dict[str, Any]:
    """The parts a suspended account no longer shows (Mastodon's `unavailable?`)."""
    return {
        "name": (account.display_name or account.username) if available else account.username,
        "summary": account.note if available else "",
        "manuallyApprovesFollowers": account.locked if available else False,
        "discoverable": account.discoverable if available else False,
        "indexable": account.indexable if available else False,
        "tag": emoji_tags(emojis) if available else [],
        "attachment": property_values(account.fields or []) if available else [],
    }


def render_actor(
    account: Account,
    *,
    also_known_as: Sequence[str] = (),
    moved_to: str | None = None,
    restricted: bool = False,
    emojis: Sequence[CustomEmoji] = (),
) -> dict[str, Any]:
    """`also_known_as` and `moved_to` default to what the account stores; `emojis` are the
    custom emoji its name, bio and fields use (moderation.selectors_emojis)."""
    available = account.suspended_at is None
    also_known_as = also_known_as or account.also_known_as or ()
    if moved_to is None and account.moved_to_id is not None and account.moved_to is not None:
        moved_to = account.moved_to.uri
    document: dict[str, Any] = {
        "id": account.uri,
        "type": "Service" if account.bot else "Person",
        "following": collection_uri(account, "following"),
        "followers": collection_uri(account, "followers"),
        "inbox": collection_uri(account, "inbox"),
        "outbox": collection_uri(account, "outbox"),
        "featured": collection_uri(account, "collections/featured"),
        "featuredTags": collection_uri(account, "collections/tags"),
        "preferredUsername": account.username,
        "url": uris.account_url(account.username),
        **_profile(account, available, emojis),
        "published": account.created_at.replace(hour=0, minute=0, second=0, microsecond=0).strftime(
            "%Y-%m-%dT%H:%M:%SZ"
        ),
        "memorial": False,
        "publicKey": public_key(account),
        "endpoints": {"sharedInbox": uris.shared_inbox_url()},
    }
    images = {"icon": _image(account.avatar), "image": _image(account.header)}
    document.update({k: v for k, v in images.items() if v is not None and available})
    if also_known_as and available:
        document["alsoKnownAs"] = list(also_known_as)
    if moved_to and available:
        document["movedTo"] = moved_to
    if not available:
        document["suspended"] = True
    if restricted:
        document = {k: v for k, v in document.items() if k in RESTRICTED_FIELDS}
    return with_context(document, *ACTOR_EXTENSIONS, security=True)


def render_instance_actor(account: Account) -> dict[str, Any]:
    """The server's own actor, shaped as Mastodon's /actor."""
    document = {
        "id": account.uri,
        "type": "Application",
        "inbox": account.inbox_url,
        "outbox": account.outbox_url,
        "preferredUsername": account.username,
        "url": account.url,
        "manuallyApprovesFollowers": True,
        "publicKey": public_key(account),
        "endpoints": {"sharedInbox": uris.shared_inbox_url()},
    }
    return with_context(document, "manually_approves_followers", security=True)
