"""Remote actors (Person, Service, Application, Group, Organization) as typed values."""

from __future__ import annotations

import re
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

ACTOR_TYPES = frozenset({"Person", "Service", "Application", "Group", "Organization"})
BOT_TYPES = frozenset({"Service", "Application"})
USERNAME_RE = re.compile(r"^[^\s@/:]{1,2048}$")
MAX_FIELDS = 16


@dataclass(frozen=True)
class PublicKey:
    id: str
    owner: str
    pem: str


@dataclass(frozen=True)
class RemoteActor:
    id: str
    type: str
    username: str
    inbox: str
    display_name: str = ""
    summary: str = ""
    url: str | None = None
    outbox: str | None = None
    shared_inbox: str | None = None
    followers: str | None = None
    following: str | None = None
    featured: str | None = None
    locked: bool = False
    discoverable: bool = False
    indexable: bool = False
    published: datetime | None = None
    icon: str | None = None
    image: str | None = None
    fields: list[dict[str, str]] = field(default_factory=list)
    also_known_as: list[str] = field(default_factory=list)
    moved_to: str | None = None
    keys: list[PublicKey] = field(default_factory=list)
    # Custom emoji its name, bio and fields use.
    emojis: list[RemoteEmoji] = field(default_factory=list)

    @property
    def bot(self) -> bool:
        return self.type in BOT_TYPES

    def key(self, key_id: str) -> PublicKey | None:
        return next((k for k in self.keys if k.id == key_id), None)


def looks_like_actor(document: dict[str, Any]) -> bool:
    return bool(set(types_of(document)) & ACTOR_TYPES) and "inbox" in document


def parse_keys(document: dict[str, Any], actor_id: str) -> list[PublicKey]:
    keys = []
    for item in as_list(document.get("publicKey")):
        if not isinstance(item, dict):
            continue
        key_id, pem = id_of(item), item.get("publicKeyPem")
        owner = id_of(item.get("owner")) or actor_id
        if key_id and isinstance(pem, str) and pem.strip():
            keys.append(PublicKey(key_id, owner, pem.strip()))
    return keys


def _fields(document: dict[str, Any]) -> list[dict[str, str]]:
    found = []
    for item in as_list(document.get("attachment")):
        if isinstance(item, dict) and "PropertyValue" in types_of(item):
            name, value = item.get("name"), item.get("value")
            if isinstance(name, str) and isinstance(value, str):
                found.append({"name": name, "value": value})
    return found[:MAX_FIELDS]


def _image(value: Any) -> str | None:
    item = as_list(value)[0] if as_list(value) else None
    if isinstance(item, dict):
        return url_of(item.get("url"))
    return url_of(item)


def _endpoint(document: dict[str, Any]) -> str | None:
    endpoints = document.get("endpoints")
    shared = endpoints.get("sharedInbox") if isinstance(endpoints, dict) else None
    return shared if is_http_uri(shared) else None


def _optional_uri(document: dict[str, Any], key: str) -> str | None:
    uri = id_of(document.get(key))
    return uri if is_http_uri(uri) else None


def parse_actor(document: dict[str, Any]) -> RemoteActor:
    actor_type = type_of(document, ACTOR_TYPES)
    if actor_type is None:
        raise ParseError("This is not an actor.")
    actor_id = require_uri(document.get("id"), "The actor's id")
    username = string_of(document, "preferredUsername")
    if not username or not USERNAME_RE.match(username):
        raise ParseError("The actor has no usable preferredUsername.")
    name, _ = text_of(document, "name")
    summary, _ = text_of(document, "summary")
    return RemoteActor(
        id=actor_id,
        type=actor_type,
        username=username,
        inbox=require_uri(document.get("inbox"), "The actor's inbox"),
        display_name=(name or "")[:2048],
        summary=summary or "",
        url=url_of(document.get("url")),
        outbox=_optional_uri(document, "outbox"),
        shared_inbox=_endpoint(document),
        followers=_optional_uri(document, "followers"),
        following=_optional_uri(document, "following"),
        featured=_optional_uri(document, "featured"),
        locked=bool_of(document, "manuallyApprovesFollowers"),
        discoverable=bool_of(document, "discoverable"),
        indexable=bool_of(document, "indexable"),
        published=datetime_of(document, "published"),
        icon=_image(document.get("icon")),
        image=_image(document.get("image")),
        fields=_fields(document),
        also_known_as=[u for u in ids_of(document.get("alsoKnownAs")) if is_http_uri(u)],
        moved_to=_optional_uri(document, "movedTo"),
        keys=parse_keys(document, actor_id),
        emojis=parse_emojis(document),
    )
