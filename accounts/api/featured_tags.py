"""Featured hashtags: the viewer's own (list, feature, unfeature, suggestions) and another
account's, as Mastodon's FeaturedTag and Tag entities."""

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from accounts import featured
from accounts.api.views import visible_account
from accounts.models import Account, FeaturedTag
from accounts.services import featured_tags
from fediverse import uris
from fediverse.api.errors import ApiError
from fediverse.api.render import iso_date
from fediverse.api.views import ApiView, public, user
from timelines.api.tags import present_tags


def present_featured_tags(account: Account, tags: list[FeaturedTag]) -> list[dict[str, Any]]:
    stats = featured.featured_tag_stats(account, tags)
    tags = sorted(tags, key=lambda f: (-stats[f.tag_id].statuses, f.pk))
    profile_url = account.url or uris.account_url(account.username)
    return [
        {
            "id": str(f.pk),
            "name": f.tag.name,
            "url": f"{profile_url}/tagged/{f.tag.name}",
            "statuses_count": str(stats[f.tag_id].statuses),
            "last_status_at": iso_date(stats[f.tag_id].last_status_at),
        }
        for f in tags
    ]


class FeaturedTagsView(ApiView):
    access = {"GET": user("read:accounts"), "POST": user("write:accounts")}

    def get(self, request: Request) -> Response:
        return Response(present_featured_tags(self.acting, featured.featured_tags(self.acting)))

    def post(self, request: Request) -> Response:
        name = request.data.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ApiError("param is missing or the value is empty: name", 400)
        tag = featured_tags.do_feature_tag(account=self.acting, name=name)
        return Response(present_featured_tags(self.acting, [tag])[0])


class FeaturedTagView(ApiView):
    access = {"DELETE": user("write:accounts")}

    def delete(self, request: Request, featured_tag_id: str) -> Response:
        if not featured_tag_id.isdigit():
            raise Http404
        tag = get_object_or_404(FeaturedTag, pk=int(featured_tag_id), account=self.acting)
        featured_tags.do_unfeature_tag(featured_tag=tag)
        return Response({})


class FeaturedTagSuggestionsView(ApiView):
    access = {"GET": user("read:accounts")}

    def get(self, request: Request) -> Response:
        return Response(present_tags(self.acting, featured.suggested_tags(self.acting)))


class AccountFeaturedTagsView(ApiView):
    access = {"GET": public("read:accounts")}

    def get(self, request: Request, account_id: str) -> Response:
        account = visible_account(account_id)
        return Response(present_featured_tags(account, featured.featured_tags(account)))
