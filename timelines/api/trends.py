"""Mastodon's trends API: hashtags, posts and links, ranked from recent usage and paged by
offset."""

from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

from fediverse.api.errors import ApiError
from fediverse.api.pagination import Page, paginated
from fediverse.api.views import ApiView, public
from timelines import selectors, selectors_cards
from timelines.api.cards import card_entity
from timelines.api.common import offset_and_limit, offset_paginated
from timelines.api.present import present_statuses, present_timeline
from timelines.api.tags import present_tags
from timelines.services import trends
from timelines.services.search import ids_in_order

TAGS_PAGE = 10
STATUSES_PAGE = 20
LINKS_PAGE = 10


def link_entity(link: trends.LinkUsage) -> dict[str, Any]:
    """Trends::Link: the PreviewCard with its history."""
    return {**card_entity(link.card), "history": link.history}


class TrendingTagsView(ApiView):
    access = {"GET": public()}

    def get(self, request: Request) -> Response:
        offset, limit = offset_and_limit(request, TAGS_PAGE)
        tags = trends.trending_tags(offset=offset, limit=limit)
        data = present_tags(self.viewer, tags)
        return offset_paginated(request, data, count=len(tags), offset=offset, limit=limit)


class TrendingStatusesView(ApiView):
    access = {"GET": public()}

    def get(self, request: Request) -> Response:
        offset, limit = offset_and_limit(request, STATUSES_PAGE)
        statuses = ids_in_order(trends.trending_statuses(self.viewer, offset=offset, limit=limit))
        data = present_statuses(self.viewer, statuses)
        return offset_paginated(request, data, count=len(statuses), offset=offset, limit=limit)


class TrendingLinksView(ApiView):
    access = {"GET": public()}

    def get(self, request: Request) -> Response:
        offset, limit = offset_and_limit(request, LINKS_PAGE)
        links = trends.trending_links(offset=offset, limit=limit)
        data = [link_entity(link) for link in links]
        return offset_paginated(request, data, count=len(links), offset=offset, limit=limit)


class LinkTimelineView(ApiView):
    """Public posts of discoverable accounts carrying a trending link's card (Mastodon 4.3)."""

    access = {"GET": public("read:statuses")}

    def get(self, request: Request) -> Response:
        url = request.query_params.get("url", "")
        card = trends.trending_cards().filter(url=url).first() if url else None
        if card is None:
            raise ApiError("Record not found", 404)
        qs = selectors_cards.link_timeline(self.viewer, card)
        statuses = selectors.paginate(qs, **Page.from_request(request).as_kwargs())
        return paginated(request, present_timeline(self.viewer, statuses, "public"), statuses)
