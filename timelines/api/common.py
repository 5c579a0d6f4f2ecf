"""Small pieces the list, filter, tag, search and trends endpoints share: paging a queryset by
id as Mastodon pages them, offset Link headers, reading id arrays, and the errors Mastodon
gives without the "Validation failed" prefix."""

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from rest_framework.request import Request
from rest_framework.response import Response

from fediverse import uris
from fediverse.api.errors import ApiError, validation_message
from fediverse.api.pagination import Page

M = TypeVar("M", bound=Model)


def id_page(qs: QuerySet[M], page: Page, field: str = "id") -> list[M]:
    """Newest first; with min_id, the page just above it (then reversed to newest first)."""
    if page.max_id is not None:
        qs = qs.filter(**{f"{field}__lt": page.max_id})
    if page.since_id is not None:
        qs = qs.filter(**{f"{field}__gt": page.since_id})
    if page.min_id is not None:
        above = qs.filter(**{f"{field}__gt": page.min_id}).order_by(field)[: page.limit]
        return list(reversed(above))
    return list(qs.order_by(f"-{field}")[: page.limit])


def id_paginated(
    request: Request,
    data: Any,
    items: list[Any],
    *,
    limit: int,
    key: Callable[[Any], int] = lambda item: item.pk,
    prev: str = "min_id",
) -> Response:
    """Link header as Mastodon's controllers build it for lists and followed tags: `next`
    only after a full page, `prev` with `min_id` or `since_id` as the endpoint uses."""
    response = Response(data)
    links = []
    if items and len(items) >= limit:
        links.append(f'<{_url(request, max_id=key(items[-1]))}>; rel="next"')
    if items:
        links.append(f'<{_url(request, **{prev: key(items[0])})}>; rel="prev"')
    if links:
        response["Link"] = ", ".join(links)
    return response


def offset_and_limit(request: Request, default: int) -> tuple[int, int]:
    """Mastodon's `offset` and `limit` (at most twice the default) for ranked results."""
    params = request.query_params
    offset = int(params["offset"]) if str(params.get("offset", "")).isdigit() else 0
    limit = Page.from_request(request, default=default).limit
    return offset, limit


def offset_paginated(
    request: Request, data: Any, *, count: int, offset: int, limit: int
) -> Response:
    """`next` while a full page came back, `prev` once past the first page."""
    response = Response(data)
    links = []
    if count >= limit:
        links.append(f'<{_url(request, offset=offset + limit)}>; rel="next"')
    if offset > 0:
        links.append(f'<{_url(request, offset=max(offset - limit, 0))}>; rel="prev"')
    if links:
        response["Link"] = ", ".join(links)
    return response


def _url(request: Request, **cursor: int) -> str:
    """This request's URL with the paging cursor replaced."""
    dropped = ("offset", "max_id", "min_id", "since_id", "access_token")
    kept = [
        (key, value)
        for key, values in request.query_params.lists()
        if key not in dropped
        for value in values
    ]
    kept += [(key, str(value)) for key, value in cursor.items()]
    return f"{uris.base_url()}{request.path}?{urlencode(kept)}"


def id_list(value: Any) -> list[int]:
    """`account_ids[]` as a list of ids, whatever shape the client sent; a malformed id is
    an unknown record, as Rails' find answers it."""
    if value is None or value == "":
        return []
    values = value if isinstance(value, list) else [value]
    ids = []
    for item in values:
        if not str(item).isdigit():
            raise ApiError("Record not found", 404)
        ids.append(int(item))
    return ids


def refused(error: ValidationError) -> ApiError:
    """Mastodon answers enum mistakes with the bare ArgumentError text, and some rules with a
    bare message; everything else is a model validation failure, worded as Rails words it
    ("Context None or invalid context supplied": the message is kept as written)."""
    if not hasattr(error, "error_dict"):
        if error.code in ("argument", "bare"):
            return ApiError(error.messages[0], 422)
        return ApiError(validation_message(error), 422)
    parts = [
        message if field == "__all__" else f"{field.replace('_', ' ').capitalize()} {message}"
        for field, messages in error.message_dict.items()
        for message in messages
    ]
    return ApiError("Validation failed: " + ", ".join(parts), 422)
