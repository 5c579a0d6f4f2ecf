"""Collections and their pages: outbox, followers, following, featured posts and tags, and a
post's replies, in the shapes Mastodon serves."""

from __future__ import annotations

from typing import Any

from federation.render.context import with_context
from fediverse import uris


def ordered_collection(
    uri: str,
    *,
    total: int | None = None,
    first: str | dict[str, Any] | None = None,
    last: str | None = None,
    items: list[Any] | None = None,
    extensions: tuple[str, ...] = (),
) -> dict[str, Any]:
    document: dict[str, Any] = {"id": uri, "type": "OrderedCollection"}
    if total is not None:
        document["totalItems"] = total
    if first is not None:
        document["first"] = first
    if last is not None:
        document["last"] = last
    if items is not None:
        document["orderedItems"] = items
    return with_context(document, *extensions)


def ordered_page(
    uri: str,
    *,
    part_of: str,
    items: list[Any],
    next_page: str | None = None,
    prev_page: str | None = None,
    total: int | None = None,
    extensions: tuple[str, ...] = (),
) -> dict[str, Any]:
    document: dict[str, Any] = {"id": uri, "type": "OrderedCollectionPage"}
    if total is not None:
        document["totalItems"] = total
    if next_page is not None:
        document["next"] = next_page
    if prev_page is not None:
        document["prev"] = prev_page
    document["partOf"] = part_of
    document["orderedItems"] = items
    return with_context(document, *extensions)


def collection(
    uri: str,
    *,
    total: int | None = None,
    first: dict[str, Any] | str | None = None,
    items: list[Any] | None = None,
    extensions: tuple[str, ...] = (),
) -> dict[str, Any]:
    document: dict[str, Any] = {"id": uri, "type": "Collection"}
    if total is not None:
        document["totalItems"] = total
    if first is not None:
        document["first"] = first
    if items is not None:
        document["items"] = items
    return with_context(document, *extensions)


def unordered_page(
    uri: str, *, part_of: str, items: list[Any], next_page: str | None = None
) -> dict[str, Any]:
    document: dict[str, Any] = {"id": uri, "type": "CollectionPage"}
    if next_page is not None:
        document["next"] = next_page
    document["partOf"] = part_of
    document["items"] = items
    return with_context(document)


def hashtag(name: str) -> dict[str, str]:
    return {"type": "Hashtag", "href": uris.tag_url(name), "name": f"#{name}"}
