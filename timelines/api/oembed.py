"""GET /api/oembed: how another site embeds one of this server's public posts."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

from fediverse.api.errors import ApiError
from fediverse.api.views import ApiView, public
from timelines.views.embeds import DEFAULT_WIDTH, oembed_entity, status_for_url

MAX_SIDE = 10_000


def _side(value: Any, default: int | None) -> int | None:
    if value in (None, ""):
        return default
    if not str(value).isdigit() or not 0 < int(value) <= MAX_SIDE:
        raise ApiError(f"maxwidth and maxheight must be whole numbers from 1 to {MAX_SIDE}", 400)
    return int(value)


class OEmbedView(ApiView):
    access = {"GET": public()}
    authentication_classes: list[Any] = []

    def get(self, request: Request) -> Response:
        if request.query_params.get("format", "json") != "json":
            raise ApiError("Only the json format is offered", 501)
        status = status_for_url(str(request.query_params.get("url", "")))
        if status is None:
            raise ApiError("Record not found", 404)
        width = _side(request.query_params.get("maxwidth"), DEFAULT_WIDTH)
        height = _side(request.query_params.get("maxheight"), None)
        return Response(oembed_entity(status, width or DEFAULT_WIDTH, height))
