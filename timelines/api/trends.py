"""Mastodon's trends API: hashtags, posts and links, ranked from recent usage and paged by
offset."""

from typing import Any
from urllib.parse import urlsplit

from rest_framework.request import Request
from rest_framework.response import Response

from fediverse.api.views import ApiView, public
from timelines.api.common import offset_and_limit, offset_paginated
from timelines.api.present import present_statuses
from timelines.api.tags import present_tags
from timelines.services import trends
from timelines.services.search import ids_in_order

TAGS_PAGE = 10
STATUSES_PAGE = 20
LINKS_PAGE = 10


def link_entity(link: trends.LinkUsage) -> dict[str, Any]:
    """A PreviewCard with its history. Without a fetched preview, the card names the link
    and its site only."""
    host = urlsplit(link.url).hostname or ""
    return {
        "url": link.url,
        "title": link.url,
        "description": "",
        "language": None,
        "type": "link",
        "author_name": "",
        "author_url": "",
        "provider_name": host,
        "provider_url": "",
        "html": "",
        "width": 0,
        "height": 0,
        "image": None,
        "image_description": "",
        "embed_url": "",
        "blurhash": None,
        "published_at": None,
        "authors": [],
        "history": link.history(),
    }


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
