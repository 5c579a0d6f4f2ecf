"""Archives built the way Mastodon and Twitter write them, for the import tests and the
benchmark: Mastodon's outbox.json of Create/Announce activities with media under
media_attachments/, Twitter's data/tweets.js assignment with media in data/tweets_media/."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
ACTOR = "https://old.example/users/ann"
FOLLOWERS = f"{ACTOR}/followers"


def note_uri(n: int) -> str:
    return f"{ACTOR}/statuses/{n}"


def audience(visibility: str) -> tuple[list[str], list[str]]:
    return {
        "public": ([PUBLIC], [FOLLOWERS]),
        "unlisted": ([FOLLOWERS], [PUBLIC]),
        "private": ([FOLLOWERS], []),
        "direct": (["https://else.example/users/bea"], []),
    }[visibility]


def create(
    n: int,
    text: str,
    published: str,
    *,
    visibility: str = "public",
    in_reply_to: str | None = None,
    summary: str | None = None,
    sensitive: bool = False,
    language: str = "en",
    attachments: list[dict[str, Any]] | None = None,
    tags: list[str] | None = None,
) -> dict[str, Any]:
    to, cc = audience(visibility)
    note = {
        "id": note_uri(n),
        "type": "Note",
        "summary": summary,
        "inReplyTo": in_reply_to,
        "published": published,
        "url": f"https://old.example/@ann/{n}",
        "attributedTo": ACTOR,
        "to": to,
        "cc": cc,
        "sensitive": sensitive,
        "content": f"<p>{text}</p>",
        "contentMap": {language: f"<p>{text}</p>"},
        "attachment": attachments or [],
        "tag": [
            {"type": "Hashtag", "href": f"https://old.example/tags/{t}", "name": f"#{t}"}
            for t in tags or []
        ],
    }
    return {
        "id": f"{note_uri(n)}/activity",
        "type": "Create",
        "actor": ACTOR,
        "published": published,
        "to": to,
        "cc": cc,
        "object": note,
    }


def announce(n: int, target: str, published: str) -> dict[str, Any]:
    return {
        "id": f"{note_uri(n)}/activity",
        "type": "Announce",
        "actor": ACTOR,
        "published": published,
        "to": [PUBLIC],
        "cc": [FOLLOWERS],
        "object": target,
    }


def outbox(items: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": "outbox.json",
        "type": "OrderedCollection",
        "totalItems": len(items),
        "orderedItems": items,
    }


def actor() -> dict[str, Any]:
    return {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": ACTOR,
        "type": "Person",
        "preferredUsername": "ann",
        "followers": FOLLOWERS,
        "outbox": "outbox.json",
    }


@dataclass
class Zip:
    files: dict[str, bytes] = field(default_factory=dict)

    def json(self, name: str, value: Any) -> Zip:
        self.files[name] = json.dumps(value).encode()
        return self

    def add(self, name: str, data: bytes) -> Zip:
        self.files[name] = data
        return self

    def build(self) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.files.items():
                archive.writestr(name, data)
        return buffer.getvalue()


def mastodon_zip(items: list[dict[str, Any]], media: dict[str, bytes] | None = None) -> bytes:
    built = Zip().json("actor.json", actor()).json("outbox.json", outbox(items))
    for name, data in (media or {}).items():
        built.add(name, data)
    return built.build()


def tweet(
    id_str: str,
    text: str,
    created_at: str,
    *,
    reply_to: str | None = None,
    reply_to_user: str | None = None,
    urls: list[tuple[str, str]] | None = None,
    media: list[dict[str, Any]] | None = None,
    hashtags: list[str] | None = None,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id_str": id_str,
        "id": id_str,
        "full_text": text,
        "created_at": created_at,
        "lang": "en",
        "favorite_count": "0",
        "retweeted": False,
        "entities": {
            "urls": [{"url": s, "expanded_url": e, "display_url": e[8:30]} for s, e in urls or []],
            "hashtags": [{"text": h} for h in hashtags or []],
            "user_mentions": [],
        },
    }
    if reply_to:
        body.update(
            in_reply_to_status_id_str=reply_to,
            in_reply_to_status_id=reply_to,
            in_reply_to_user_id_str=reply_to_user or "1",
            in_reply_to_screen_name="someone",
        )
    if media:
        body["entities"]["media"] = media
        body["extended_entities"] = {"media": media}
    return {"tweet": body}


def tweets_js(tweets: list[dict[str, Any]], part: int = 0) -> bytes:
    return f"window.YTD.tweets.part{part} = {json.dumps(tweets, indent=2)}".encode()
