"""Posts as Note objects, and the activities that carry them, as Mastodon renders them
(app/serializers/activitypub/note_serializer.rb, app/lib/activitypub/tag_manager.rb)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from federation.render.context import NOTE_EXTENSIONS, PUBLIC, with_context
from federation.render.emoji import emoji_tags
from fediverse import uris
from media.api.serializers import original_url
from media.models import MediaAttachment
from moderation.models import CustomEmoji
from timelines.models import Status, Visibility


@dataclass(frozen=True)
class MentionFact:
    uri: str
    acct: str
    # A reply's implicit mention of the author it answers: addressed, but not tagged.
    silent: bool = False


@dataclass(frozen=True)
class NoteFacts:
    """What a Note shows beyond the status row, loaded by federation.selectors."""

    mentions: list[MentionFact] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    in_reply_to_uri: str | None = None
    conversation: str | None = None
    # The author's own first replies, (id, uri), as the first page of `replies` lists them.
    self_replies: list[tuple[int, str]] = field(default_factory=list)
    favourites_count: int = 0
    reblogs_count: int = 0
    # The post's attachments in the author's order.
    attachments: list[MediaAttachment] = field(default_factory=list)
    # The custom emoji its text, content warning and poll options use.
    emojis: list[CustomEmoji] = field(default_factory=list)


def iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def followers_uri(status: Status) -> str:
    return f"{status.account.uri}/followers"


def audience(status: Status, mentions: list[MentionFact]) -> tuple[list[str], list[str]]:
    """`to` and `cc` for the four visibilities: public to everyone and followers; unlisted
    to followers with the public in copy; followers-only to followers; direct to the
    mentioned alone. The mentioned are copied on all but direct."""
    mentioned = list(dict.fromkeys(m.uri for m in mentions))
    if status.visibility == Visibility.PUBLIC:
        return [PUBLIC], [followers_uri(status), *mentioned]
    if status.visibility == Visibility.UNLISTED:
        return [followers_uri(status)], [PUBLIC, *mentioned]
    if status.visibility == Visibility.PRIVATE:
        return [followers_uri(status)], mentioned
    return mentioned, []


def replies_uri(status: Status) -> str:
    return f"{status.uri}/replies"


def _replies(status: Status, facts: NoteFacts) -> dict[str, Any]:
    base = replies_uri(status)
    if facts.self_replies:
        next_page = f"{base}?min_id={facts.self_replies[-1][0]}&page=true"
    else:
        next_page = f"{base}?only_other_accounts=true&page=true"
    return {
        "id": base,
        "type": "Collection",
        "first": {
            "type": "CollectionPage",
            "next": next_page,
            "partOf": base,
            "items": [uri for _, uri in facts.self_replies],
        },
    }


def attachment(media: MediaAttachment) -> dict[str, Any]:
    """A Document as Mastodon's MediaAttachmentSerializer renders one."""
    focus = media.meta.get("focus") if isinstance(media.meta, dict) else None
    document: dict[str, Any] = {
        "type": "Document",
        "mediaType": media.file_content_type or None,
        "url": original_url(media) or media.remote_url or None,
        "name": media.description or None,
        "blurhash": media.blurhash or None,
    }
    if isinstance(focus, dict):
        document["focalPoint"] = [focus.get("x", 0.0), focus.get("y", 0.0)]
    else:
        document["focalPoint"] = [0.0, 0.0]
    original = media.meta.get("original") if isinstance(media.meta, dict) else None
    if isinstance(original, dict) and original.get("width") and original.get("height"):
        document["width"], document["height"] = original["width"], original["height"]
    return document


def _tags(facts: NoteFacts) -> list[dict[str, str]]:
    mentions = [
        {"type": "Mention", "href": m.uri, "name": f"@{m.acct}"}
        for m in facts.mentions
        if not m.silent
    ]
    hashtags = [
        {"type": "Hashtag", "href": uris.tag_url(name), "name": f"#{name}"} for name in facts.tags
    ]
    return [*mentions, *hashtags, *emoji_tags(facts.emojis)]


def note(status: Status, facts: NoteFacts) -> dict[str, Any]:
    """The Note without its @context, for embedding in an activity or a collection."""
    to, cc = audience(status, facts.mentions)
    document: dict[str, Any] = {
        "id": status.uri,
        "type": "Note",
        "summary": status.spoiler_text or None,
        "inReplyTo": facts.in_reply_to_uri,
        "published": iso(status.created_at),
        "url": status.url or status.uri,
        "attributedTo": status.account.uri,
        "to": to,
        "cc": cc,
        # Moderators may have forced the author's media behind a warning.
        "sensitive": status.sensitive or status.account.sensitized_at is not None,
        "atomUri": status.uri,
        "inReplyToAtomUri": facts.in_reply_to_uri,
        "conversation": facts.conversation,
        "context": facts.conversation,
        "content": status.content,
    }
    if status.language:
        document["contentMap"] = {status.language: status.content}
    if status.edited_at:
        document["updated"] = iso(status.edited_at)
    document["attachment"] = [attachment(media) for media in facts.attachments]
    document["tag"] = _tags(facts)
    document["replies"] = _replies(status, facts)
    document["likes"] = {
        "id": f"{status.uri}/likes",
        "type": "Collection",
        "totalItems": facts.favourites_count,
    }
    document["shares"] = {
        "id": f"{status.uri}/shares",
        "type": "Collection",
        "totalItems": facts.reblogs_count,
    }
    return document


def render_note(status: Status, facts: NoteFacts) -> dict[str, Any]:
    return with_context(note(status, facts), *NOTE_EXTENSIONS)


def activity_uri(status: Status) -> str:
    return status.uri if status.reblog_id else f"{status.uri}/activity"


def create(status: Status, facts: NoteFacts) -> dict[str, Any]:
    obj = note(status, facts)
    return {
        "id": activity_uri(status),
        "type": "Create",
        "actor": status.account.uri,
        "published": obj["published"],
        "to": obj["to"],
        "cc": obj["cc"],
        "object": obj,
    }


def announce(reblog: Status, original: Status) -> dict[str, Any]:
    """A boost: public boosts go to everyone, a boost of one's own followers-only post to
    followers; the boosted author is always copied."""
    followers = followers_uri(reblog)
    if reblog.visibility == Visibility.PRIVATE:
        to, cc = [followers], [original.account.uri]
    else:
        to, cc = [PUBLIC], [original.account.uri, followers]
    return {
        "id": activity_uri(reblog),
        "type": "Announce",
        "actor": reblog.account.uri,
        "published": iso(reblog.created_at),
        "to": to,
        "cc": cc,
        "object": original.uri,
    }


def render_create(status: Status, facts: NoteFacts) -> dict[str, Any]:
    return with_context(create(status, facts), *NOTE_EXTENSIONS)


def render_announce(reblog: Status, original: Status) -> dict[str, Any]:
    return with_context(announce(reblog, original))


def tombstone(uri: str) -> dict[str, str]:
    return {"id": uri, "type": "Tombstone", "atomUri": uri}


def render_delete(status: Status) -> dict[str, Any]:
    """The Delete Mastodon sends for a post: addressed to the public (whoever receives it
    may drop the post), its object a Tombstone."""
    return with_context(
        {
            "id": f"{status.uri}#delete",
            "type": "Delete",
            "actor": status.account.uri,
            "to": [PUBLIC],
            "object": tombstone(status.uri),
        },
        "atom_uri",
    )
