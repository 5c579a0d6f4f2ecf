"""Custom emoji tags (`{"type": "Emoji", "name": ":code:", "icon": {...}}`), as notes and
actors carry them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from federation.parse.values import (
    as_list,
    datetime_of,
    id_of,
    is_http_uri,
    string_of,
    types_of,
    url_of,
)

# What Mastodon takes as a shortcode; anything else in a tag's name is not an emoji here.
SHORTCODE_RE = re.compile(r"^[a-zA-Z0-9_]{2,128}$")
MAX_TAGS = 100


@dataclass(frozen=True)
class RemoteEmoji:
    shortcode: str
    url: str
    uri: str = ""
    updated: datetime | None = None


def parse_emojis(document: dict[str, Any]) -> list[RemoteEmoji]:
    found: list[RemoteEmoji] = []
    for tag in as_list(document.get("tag"))[:MAX_TAGS]:
        if not isinstance(tag, dict) or "Emoji" not in types_of(tag):
            continue
        shortcode = (string_of(tag, "name") or "").strip(":")
        icon = as_list(tag.get("icon"))
        url = url_of(icon[0].get("url")) if icon and isinstance(icon[0], dict) else None
        if SHORTCODE_RE.match(shortcode) and url and is_http_uri(url):
            uri = id_of(tag.get("id")) or ""
            found.append(RemoteEmoji(shortcode, url, uri, datetime_of(tag, "updated")))
    return found
