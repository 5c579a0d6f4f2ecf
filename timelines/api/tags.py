"""Mastodon's hashtag API: a tag with its recent history, following and unfollowing it, and
the list of followed tags."""

from typing import Any

from django.http import Http404
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.featured import featured_tag_ids
from accounts.models import Account
from fediverse import uris
from fediverse.api.pagination import Page
from fediverse.api.views import ApiView, public, user
from timelines.api.common import id_page, id_paginated
from timelines.models import Tag
from timelines.services import tag_follows
from timelines.services.trends import empty_history, tag_history

FOLLOWED_TAGS_PAGE = 100


def present_tags(viewer: Account | None, tags: list[Tag]) -> list[dict[str, Any]]:
    """Tag entities for a batch of tags in three queries; `following` and `featuring` only for
    a signed-in viewer. A tag nobody has used yet has no id ("") and an empty history."""
    histories = tag_history(tags)
    followed = tag_follows.followed_tag_ids(viewer, tags)
    featured = featured_tag_ids(viewer, tags)
    entities = []
    for tag in tags:
        data: dict[str, Any] = {
            "id": str(tag.pk) if tag.pk is not None else "",
            "name": tag.name,
            "url": uris.tag_url(tag.name.lower()),
            "history": histories.get(tag.pk, empty_history()),
        }
        if viewer is not None:
            data.update(following=tag.pk in followed, featuring=tag.pk in featured)
        entities.append(data)
    return entities


def named_tag(name: str) -> Tag:
    """The stored tag, or an unsaved one for a valid name nobody has used (as Mastodon shows
    it); a name that cannot be a hashtag is not found."""
    if not tag_follows.valid_tag_name(name):
        raise Http404
    return tag_follows.find_tag(name) or Tag(name=name)


class TagView(ApiView):
    access = {"GET": public()}

    def get(self, request: Request, name: str) -> Response:
        return Response(present_tags(self.viewer, [named_tag(name)])[0])


class TagFollowView(ApiView):
    access = {"POST": user("write:follows")}

    def post(self, request: Request, name: str) -> Response:
        try:
            tag = tag_follows.do_follow_tag(account=self.acting, name=name)
        except Tag.DoesNotExist as error:
            raise Http404 from error
        return Response(present_tags(self.viewer, [tag])[0])


class TagUnfollowView(ApiView):
    access = {"POST": user("write:follows")}

    def post(self, request: Request, name: str) -> Response:
        tag = named_tag(name)
        if tag.pk is not None:
            tag_follows.do_unfollow_tag(account=self.acting, tag=tag)
        return Response(present_tags(self.viewer, [tag])[0])


class FollowedTagsView(ApiView):
    access = {"GET": user("read:follows")}

    def get(self, request: Request) -> Response:
        page = Page.from_request(request, default=FOLLOWED_TAGS_PAGE)
        follows = id_page(tag_follows.tag_follows(self.acting), page)
        data = present_tags(self.viewer, [f.tag for f in follows])
        return id_paginated(request, data, follows, limit=page.limit)
