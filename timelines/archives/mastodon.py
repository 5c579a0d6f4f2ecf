"""Mastodon's archive: `outbox.json`, an OrderedCollection of Create and Announce activities,
beside `actor.json` and the media files the Notes point at by their path in the zip."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from fediverse.formatting import sanitize_html
from timelines.archives.jsonstream import JsonStream
from timelines.archives.posts import (
    ArchiveMedia,
    ArchivePost,
    Entry,
    Plan,
    Skipped,
    link_html,
    parse_time,
)
from timelines.archives.safezip import ArchiveRefused, SafeArchive
from timelines.models import Visibility

OUTBOX = "outbox.json"
ACTOR = "actor.json"
OUTBOX_LIMIT = 2 * 1024**3
ACTOR_LIMIT = 1024 * 1024
PUBLIC = {"https://www.w3.org/ns/activitystreams#Public", "as:Public", "Public"}
POST_TYPES = {"Note", "Question", "Article", "Page"}


def _uri(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) and value else None


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def visibility(document: dict[str, Any], followers: str | None) -> str:
    """As Mastodon reads an audience: the public in `to` is public, in `cc` unlisted; the
    followers collection is followers-only; anything else is direct."""
    to = {_uri(v) for v in _list(document.get("to"))}
    cc = {_uri(v) for v in _list(document.get("cc"))}
    if to & PUBLIC:
        return Visibility.PUBLIC
    if cc & PUBLIC:
        return Visibility.UNLISTED
    audience = to | cc
    if (followers and followers in audience) or any(
        isinstance(a, str) and a.endswith("/followers") for a in audience
    ):
        return Visibility.PRIVATE
    return Visibility.DIRECT


def _problem(index: int, what: str) -> ArchiveRefused:
    return ArchiveRefused(f"{OUTBOX}, item {index + 1}: {what}.")


def _check_item(index: int, item: Any, plan: Plan) -> None:
    if not isinstance(item, dict) or not isinstance(item.get("type"), str):
        raise _problem(index, "not an activity")
    if item["type"] == "Create":
        obj = item.get("object")
        if not isinstance(obj, dict) or not _uri(obj):
            raise _problem(index, "a Create without its object")
        if obj.get("type") in POST_TYPES:
            if parse_time(obj.get("published") or item.get("published")) is None:
                raise _problem(index, "a post without a valid date")
            if not isinstance(obj.get("content", ""), str | None):
                raise _problem(index, "a post whose content is not text")
            if not isinstance(obj.get("attachment", []), list | dict | None):
                raise _problem(index, "a post with malformed attachments")
            plan.own_ids.add(_uri(obj))  # type: ignore[arg-type]
    elif item["type"] == "Announce" and (
        not _uri(item.get("object")) or parse_time(item.get("published")) is None
    ):
        raise _problem(index, "a boost without its post or date")


class MastodonReader:
    def __init__(self, archive: SafeArchive, *, keep_others: bool) -> None:
        self.archive = archive
        self.keep_others = keep_others
        self.followers = self._followers()

    def _followers(self) -> str | None:
        if not self.archive.has(ACTOR):
            return None
        with self.archive.open(ACTOR, limit=ACTOR_LIMIT) as source:
            try:
                actor = json.loads(source.read())
            except (ValueError, RecursionError) as error:
                raise ArchiveRefused(f"{ACTOR} is not valid JSON.") from error
        if not isinstance(actor, dict):
            raise ArchiveRefused(f"{ACTOR} is not an actor.")
        return _uri(actor.get("followers"))

    def _items(self) -> Iterator[Any]:
        with self.archive.open(OUTBOX, limit=OUTBOX_LIMIT) as source:
            stream = JsonStream(source, OUTBOX, "orderedItems.item")  # type: ignore[arg-type]
            yield from stream.items()
            if stream.root_type != "start_map" or stream.top.get("type") not in (
                "OrderedCollection",
                "OrderedCollectionPage",
            ):
                raise ArchiveRefused(f"{OUTBOX} is not an OrderedCollection.")

    def validate(self, tick: Callable[[], None] | None = None) -> Plan:
        plan = Plan(tick=tick)
        for index, item in enumerate(self._items()):
            _check_item(index, item, plan)
            plan.count()
        return plan

    def entries(self, plan: Plan) -> Iterator[Entry]:
        for index, item in enumerate(self._items()):
            entry = self._entry(index, item, plan)
            yield replace(entry, order=index) if isinstance(entry, ArchivePost) else entry

    def _entry(self, index: int, item: dict[str, Any], plan: Plan) -> Entry:
        source_id = _uri(item.get("id")) or f"#{index}"
        if item["type"] == "Announce":
            if not self.keep_others:
                return Skipped(source_id)
            uri = _uri(item["object"]) or ""
            return ArchivePost(
                source_id=source_id,
                published=parse_time(item["published"]),  # type: ignore[arg-type]
                content=f"<p>{link_html(uri)}</p>",
                visibility=self._boost_visibility(item),
            )
        obj = item.get("object")
        if item["type"] != "Create" or not isinstance(obj, dict):
            return Skipped(source_id)
        if obj.get("type") not in POST_TYPES:
            return Skipped(source_id)
        return self._post(obj, plan, item.get("published"))

    def _boost_visibility(self, item: dict[str, Any]) -> str:
        found = visibility(item, self.followers)
        return Visibility.UNLISTED if found == Visibility.DIRECT else found

    def _post(self, obj: dict[str, Any], plan: Plan, fallback: Any) -> Entry:
        source_id = _uri(obj) or ""
        seen = visibility(obj, self.followers)
        if seen == Visibility.DIRECT:
            return Skipped(source_id)
        content = sanitize_html(_content(obj))
        parent = _uri(obj.get("inReplyTo")) or ""
        reply_to = parent if parent in plan.own_ids else ""
        if parent and not reply_to:
            if not self.keep_others:
                return Skipped(source_id)
            content = f"<p>{link_html(parent)}</p>{content}"
        return ArchivePost(
            source_id=source_id,
            published=parse_time(obj.get("published") or fallback),  # type: ignore[arg-type]
            content=content,
            summary=str(obj.get("summary") or "")[:1000],
            sensitive=bool(obj.get("sensitive")),
            language=_language(obj),
            visibility=seen,
            reply_to=reply_to,
            tags=_hashtags(obj),
            media=tuple(self._media(obj)),
        )

    def _media(self, obj: dict[str, Any]) -> Iterator[ArchiveMedia]:
        for document in _list(obj.get("attachment"))[:4]:
            if not isinstance(document, dict):
                continue
            name = member_name(document.get("url"))
            if name and self.archive.has(name):
                yield ArchiveMedia(name, str(document.get("name") or "")[:1500])


def member_name(url: Any) -> str | None:
    """Where an attachment's file sits in the zip: Mastodon writes the path of the file's URL
    without its leading `/system/`."""
    if isinstance(url, list):
        url = url[0] if url else None
    if isinstance(url, dict):
        url = url.get("href")
    if not isinstance(url, str):
        return None
    path = urlsplit(url).path if "://" in url else url
    return path.lstrip("/").removeprefix("system/")


def _content(obj: dict[str, Any]) -> str:
    content = obj.get("content")
    if isinstance(content, str):
        return content
    mapped = obj.get("contentMap")
    if isinstance(mapped, dict):
        for value in mapped.values():
            if isinstance(value, str):
                return value
    return ""


def _language(obj: dict[str, Any]) -> str | None:
    mapped = obj.get("contentMap")
    if isinstance(mapped, dict) and mapped:
        code = next(iter(mapped))
        if isinstance(code, str) and 0 < len(code) <= 16:
            return code
    return None


def _hashtags(obj: dict[str, Any]) -> tuple[str, ...]:
    names = []
    for tag in _list(obj.get("tag")):
        if isinstance(tag, dict) and tag.get("type") == "Hashtag":
            name = str(tag.get("name") or "").lstrip("#")
            if name and len(name) <= 255 and name not in names:
                names.append(name)
    return tuple(names)
