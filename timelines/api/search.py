"""Mastodon's /api/v2/search."""

import re
from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.views import present_accounts
from fediverse.api.errors import ApiError
from fediverse.api.parsers import to_bool
from fediverse.api.views import ApiView, public
from timelines.api.present import present_statuses
from timelines.api.tags import present_tags
from timelines.services.search import SearchParams, search

RESULTS_LIMIT = 20
LEADING_INT = re.compile(r"^\s*([+-]?\d+)")


def ruby_int(value: Any) -> int:
    """Rails' to_i: the leading integer, else 0."""
    match = LEADING_INT.match(str(value or ""))
    return int(match.group(1)) if match else 0


def optional_id(value: Any) -> int | None:
    if value in (None, ""):
        return None
    return int(value) if str(value).isdigit() else 0  # 0: no record has it, nothing matches


def search_params(view: ApiView, request: Request) -> SearchParams:
    """Mastodon's checks, in its order: q is required; without a signed-in user neither
    paging nor resolving; limit and offset must not be negative."""
    params = request.query_params
    query = params.get("q", "")
    if not query.strip():
        raise ApiError("param is missing or the value is empty: q", 400)
    if view.viewer is None and params.get("offset", "") != "":
        raise ApiError("Search queries pagination is not supported without authentication", 401)
    if view.viewer is None and to_bool(params.get("resolve")):
        raise ApiError(
            "Search queries that resolve remote resources are not supported without "
            "authentication", 401,
        )  # fmt: skip
    limit, offset = ruby_int(params.get("limit", RESULTS_LIMIT)), ruby_int(params.get("offset"))
    if limit < 0 or offset < 0:
        raise ApiError("Pagination values for `offset` and `limit` must be positive", 400)
    return SearchParams(
        query=query,
        type=params.get("type") or None,
        limit=min(limit, RESULTS_LIMIT * 2) if params.get("limit", "") != "" else RESULTS_LIMIT,
        offset=offset,
        resolve=to_bool(params.get("resolve")),
        following=to_bool(params.get("following")),
        account_id=optional_id(params.get("account_id")),
        max_id=optional_id(params.get("max_id")),
        min_id=optional_id(params.get("min_id")),
    )


class SearchView(ApiView):
    access = {"GET": public("read:search")}

    def get(self, request: Request) -> Response:
        found = search(self.viewer, search_params(self, request))
        return Response(
            {
                "accounts": present_accounts(found.accounts),
                "statuses": present_statuses(self.viewer, found.statuses),
                "hashtags": present_tags(self.viewer, found.hashtags),
            }
        )
