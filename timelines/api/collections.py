"""The viewer's bookmarks and favourites, newest first, paged by the bookmark or favourite id
as Mastodon pages them (so the Link header carries those ids, not the statuses')."""

from typing import TypeVar

from django.db.models import QuerySet
from rest_framework.request import Request
from rest_framework.response import Response

from fediverse.api.pagination import Page, paginated
from fediverse.api.views import ApiView, user
from timelines import selectors_inbox as inbox
from timelines.api.present import present_statuses
from timelines.models import Bookmark, Favourite

Mark = TypeVar("Mark", Bookmark, Favourite)


def statuses_page(view: ApiView, request: Request, qs: QuerySet[Mark]) -> Response:
    page = Page.from_request(request, default=20, maximum=40)
    marks = inbox.page_by_id(qs, page)
    by_id = inbox.statuses_by_id([m.status_id for m in marks])
    statuses = [by_id[m.status_id] for m in marks if m.status_id in by_id]
    return paginated(request, present_statuses(view.acting, statuses), marks)


class BookmarksView(ApiView):
    access = {"GET": user("read:bookmarks")}

    def get(self, request: Request) -> Response:
        return statuses_page(self, request, inbox.bookmarks(self.acting))


class FavouritesView(ApiView):
    access = {"GET": user("read:favourites")}

    def get(self, request: Request) -> Response:
        return statuses_page(self, request, inbox.favourites(self.acting))
