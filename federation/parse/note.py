"""Remote posts (Note) as typed values: text, audience, thread, mentions and hashtags."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from federation.parse.emoji import RemoteEmoji, parse_emojis
from federation.parse.values import (
    ParseError,
    as_list,
    bool_of,
    datetime_of,
    id_of,
    ids_of,
    is_http_uri,
    require_uri,
    string_of,
    text_of,
    type_of,
    types_of,
    url_of,
)

# Mastodon keeps Notes and Questions as they are and converts the other kinds of object
# into posts that show their title and link (ActivityPub::Activity::Create).
CONVERTED_TYPES = frozenset({"Article", "Page", "Image", "Audio", "Video", "Event"})
NOTE_TYPES = frozenset({"Note", "Question"}) | CONVERTED_TYPES
MAX_POLL_OPTIONS = 20
MAX_CONTENT = 100_000
MAX_TAGS = 100
# Read past what is kept (four) so that unusable entries do not crowd out usable ones.
MAX_ATTACHMENTS = 20


@dataclass(frozen=True)
class Mention:
    href: str
    name: str


@dataclass(frozen=True)
class PollOption:
    name: str
    votes: int


@dataclass(frozen=True)
class RemotePoll:
    options: list[PollOption]
    multiple: bool
    ends_at: datetime | None
    closed: bool
    voters_count: int | None


@dataclass(frozen=True)
class RemoteDocument:
    """An attachment (Document, Image…) as the post lists it."""

    url: str
    media_type: str = ""
    name: str = ""
    blurhash: str = ""
    focal_point: tuple[float, float] | None = None
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True)
class RemoteNote:
    id: str
    attributed_to: str
    content: str
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    summary: str = ""
    sensitive: bool = False
    language: str | None = None
    url: str | None = None
    in_reply_to: str | None = None
    published: datetime | None = None
    updated: datetime | None = None
    conversation: str | None = None
    mentions: list[Mention] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    type: str = "Note"
    name: str = ""
    poll: RemotePoll | None = None
    attachments: list[RemoteDocument] = field(default_factory=list)
    emojis: list[RemoteEmoji] = field(default_factory=list)

    @property
    def audience(self) -> list[str]:
        return [*self.to, *self.cc]


def _tags(document: dict[str, Any]) -> tuple[list[Mention], list[str]]:
    mentions: list[Mention] = []
    hashtags: dict[str, str] = {}
    for tag in as_list(document.get("tag"))[:MAX_TAGS]:
        if not isinstance(tag, dict):
            continue
        kinds = types_of(tag)
        raw_name = tag.get("name")
        name = raw_name if isinstance(raw_name, str) else ""
        if "Mention" in kinds:
            href = id_of(tag.get("href"))
            if href and is_http_uri(href):
                mentions.append(Mention(href, name))
        elif "Hashtag" in kinds and name:
            clean = name.lstrip("#").strip()
            if clean and len(clean) <= 255 and not any(c.isspace() for c in clean):
                hashtags.setdefault(clean.lower(), clean)
    return mentions, list(hashtags.values())


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _size(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _document(item: Any) -> RemoteDocument | None:
    if not isinstance(item, dict):
        return None
    url = url_of(item.get("url"))
    if not url or not is_http_uri(url):
        return None
    focal = item.get("focalPoint")
    point = None
    if isinstance(focal, list) and len(focal) == 2:
        x, y = _number(focal[0]), _number(focal[1])
        point = (x, y) if x is not None and y is not None else None
    return RemoteDocument(
        url=url,
        media_type=string_of(item, "mediaType") or "",
        name=string_of(item, "name") or "",
        blurhash=string_of(item, "blurhash") or "",
        focal_point=point,
        width=_size(item.get("width")),
        height=_size(item.get("height")),
    )


def _attachments(document: dict[str, Any]) -> list[RemoteDocument]:
    found = (_document(item) for item in as_list(document.get("attachment"))[:MAX_ATTACHMENTS])
    return [item for item in found if item is not None]


def _poll(document: dict[str, Any]) -> RemotePoll | None:
    multiple = "anyOf" in document
    options = []
    for item in as_list(document.get("anyOf" if multiple else "oneOf"))[:MAX_POLL_OPTIONS]:
        if isinstance(item, dict) and isinstance(item.get("name"), str):
            replies = item.get("replies")
            votes = replies.get("totalItems") if isinstance(replies, dict) else 0
            options.append(PollOption(item["name"][:500], votes if isinstance(votes, int) else 0))
    if len(options) < 1:
        return None
    voters = document.get("votersCount")
    ends_at = datetime_of(document, "endTime") or datetime_of(document, "closed")
    return RemotePoll(
        options=options,
        multiple=multiple,
        ends_at=ends_at,
        closed="closed" in document,
        voters_count=voters if isinstance(voters, int) else None,
    )


def parse_note(document: dict[str, Any]) -> RemoteNote:
    kind = type_of(document, NOTE_TYPES)
    if kind is None:
        raise ParseError("This is not a Note.")
    content, content_language = text_of(document, "content")
    summary, summary_language = text_of(document, "summary")
    mentions, hashtags = _tags(document)
    in_reply_to = id_of(document.get("inReplyTo"))
    conversation = string_of(document, "context") or string_of(document, "conversation")
    return RemoteNote(
        id=require_uri(document.get("id"), "The note's id"),
        attributed_to=require_uri(document.get("attributedTo"), "The note's author"),
        content=(content or "")[:MAX_CONTENT],
        to=ids_of(document.get("to")),
        cc=ids_of(document.get("cc")),
        summary=(summary or "")[:MAX_CONTENT],
        sensitive=bool_of(document, "sensitive"),
        language=(content_language or summary_language or None),
        url=url_of(document.get("url")),
        in_reply_to=in_reply_to if is_http_uri(in_reply_to) else None,
        published=datetime_of(document, "published"),
        updated=datetime_of(document, "updated"),
        conversation=conversation,
        mentions=mentions,
        hashtags=hashtags,
        type=kind,
        name=(string_of(document, "name") or "")[:2048],
        poll=_poll(document) if kind == "Question" else None,
        attachments=_attachments(document),
        emojis=parse_emojis(document),
    )
