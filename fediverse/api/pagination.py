"""Mastodon's id-based paging: max_id / since_id / min_id / limit, and a Link header with
absolute URLs, `next` (older) before `prev` (newer), keeping the other query parameters."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict
from rest_framework.request import Request
from rest_framework.response import Response

from fediverse import uris


def _int(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(value)
    except ValueError:
        return None


@dataclass(frozen=True)
class Page:
    max_id: int | None
    since_id: int | None
    min_id: int | None
    limit: int

    @classmethod
    def from_request(
        cls, request: Request, default: int = 20, maximum: int | None = None
    ) -> "Page":
        return cls.from_query(request.query_params, default, maximum)

    @classmethod
    def from_query(cls, params: QueryDict, default: int = 20, maximum: int | None = None) -> "Page":
        maximum = maximum or default * 2
        limit = _int(params.get("limit"))
        limit = default if limit is None or limit <= 0 else min(limit, maximum)
        return cls(
            max_id=_int(params.get("max_id")),
            since_id=_int(params.get("since_id")),
            min_id=_int(params.get("min_id")),
            limit=limit,
        )

    def as_kwargs(self) -> dict[str, Any]:
        return {"max_id": self.max_id, "since_id": self.since_id, "min_id": self.min_id,
                "limit": self.limit}  # fmt: skip


def _url(request: Request, **params: Any) -> str:
    return _link(request.path, request.query_params, **params)


def _link(path: str, query: QueryDict, **params: Any) -> str:
    kept = [
        (key, value)
        for key, values in query.lists()
        if key not in ("max_id", "since_id", "min_id", "offset", "access_token")
        for value in values
    ]
    kept += [(key, str(value)) for key, value in params.items()]
    return f"{uris.base_url()}{path}?{urlencode(kept)}"


def id_links(path: str, query: QueryDict, first: int, last: int) -> str:
    """The Link header of a page cut at ids: older after `last`, newer before `first`."""
    older, newer = _link(path, query, max_id=last), _link(path, query, min_id=first)
    return f'<{older}>; rel="next", <{newer}>; rel="prev"'


def paginated(
    request: Request,
    data: Any,
    items: Sequence[Any],
    *,
    key: Callable[[Any], int] = lambda item: item.pk,
    offset: int | None = None,
) -> Response:
    """The response with its Link header; `key` gives the id a page is cut at (Mastodon pages
    some lists by the id of the follow or favourite, not of the account or status shown)."""
    response = Response(data)
    links = []
    if offset is not None:
        limit = Page.from_request(request).limit
        if len(items) >= limit:
            links.append(f'<{_url(request, offset=offset + limit)}>; rel="next"')
        if offset > 0:
            links.append(f'<{_url(request, offset=max(offset - limit, 0))}>; rel="prev"')
    elif items:
        links.append(id_links(request.path, request.query_params, key(items[0]), key(items[-1])))
    if links:
        response["Link"] = ", ".join(links)
    return response
