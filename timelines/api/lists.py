"""Mastodon's lists API: lists, their members, and the list timeline."""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.views import present_accounts
from accounts.models import Account
from fediverse.api.errors import ApiError
from fediverse.api.pagination import Page, paginated
from fediverse.api.parsers import to_bool
from fediverse.api.views import ApiView, user
from timelines import selectors
from timelines.api.common import id_list, id_page, id_paginated, refused
from timelines.api.present import present_timeline
from timelines.models_curation import FilterContext, List
from timelines.services import lists as list_service

READ = user("read:lists")
WRITE = user("write:lists")
MEMBERS_PAGE = 40


def list_entity(list_: List) -> dict[str, Any]:
    return {
        "id": str(list_.pk),
        "title": list_.title,
        "replies_policy": list_.replies_policy,
        "exclusive": list_.exclusive,
    }


def list_fields(data: Any) -> dict[str, Any]:
    """Only the fields sent, so that an update leaves the others as they are."""
    fields: dict[str, Any] = {}
    if "title" in data:
        fields["title"] = str(data["title"] or "")
    if data.get("replies_policy") not in (None, ""):
        fields["replies_policy"] = str(data["replies_policy"])
    if "exclusive" in data:
        fields["exclusive"] = to_bool(data["exclusive"])
    return fields


def own_list(view: ApiView, list_id: str) -> List:
    try:
        return list_service.find_list(account=view.acting, list_id=list_id)
    except List.DoesNotExist as error:
        raise Http404 from error


def account_ids(request: Request) -> list[int]:
    """`account_ids[]` from the body, or from the query string as some apps send a DELETE."""
    found = request.data.get("account_ids")
    if found is None:
        params = request.query_params
        found = params.getlist("account_ids[]") or params.getlist("account_ids")
    return id_list(found)


class ListsView(ApiView):
    access = {"GET": READ, "POST": WRITE}

    def get(self, request: Request) -> Response:
        lists = List.objects.filter(account=self.acting).order_by("id")
        return Response([list_entity(lst) for lst in lists])

    def post(self, request: Request) -> Response:
        fields = {"title": "", **list_fields(request.data)}
        try:
            created = list_service.do_create_list(account=self.acting, **fields)
        except ValidationError as error:
            raise refused(error) from error
        return Response(list_entity(created))


class ListView(ApiView):
    access = {"GET": READ, "PUT": WRITE, "DELETE": WRITE}

    def get(self, request: Request, list_id: str) -> Response:
        return Response(list_entity(own_list(self, list_id)))

    def put(self, request: Request, list_id: str) -> Response:
        list_ = own_list(self, list_id)
        try:
            list_service.do_update_list(list_=list_, **list_fields(request.data))
        except ValidationError as error:
            raise refused(error) from error
        return Response(list_entity(list_))

    def delete(self, request: Request, list_id: str) -> Response:
        list_service.do_delete_list(list_=own_list(self, list_id))
        return Response({})


class ListAccountsView(ApiView):
    access = {"GET": READ, "POST": WRITE, "DELETE": WRITE}

    def get(self, request: Request, list_id: str) -> Response:
        members = list_service.list_members(own_list(self, list_id))
        if request.query_params.get("limit") == "0":  # Mastodon's "all of them, unpaged"
            return Response(present_accounts(list(members.order_by("-id"))))
        page = Page.from_request(request, default=MEMBERS_PAGE)
        accounts = id_page(members, page)
        data = present_accounts(accounts)
        return id_paginated(request, data, accounts, limit=page.limit, prev="since_id")

    def post(self, request: Request, list_id: str) -> Response:
        list_ = own_list(self, list_id)
        ids = account_ids(request)
        accounts = list(Account.objects.filter(pk__in=ids, suspended_at__isnull=True))
        if len({a.pk for a in accounts}) < len(set(ids)):
            raise ApiError("Record not found", 404)
        try:
            list_service.do_add_list_accounts(list_=list_, accounts=accounts)
        except ValidationError as error:
            raise refused(error) from error
        return Response({})

    def delete(self, request: Request, list_id: str) -> Response:
        list_ = own_list(self, list_id)
        list_service.do_remove_list_accounts(list_=list_, account_ids=account_ids(request))
        return Response({})


class ListTimelineView(ApiView):
    access = {"GET": READ}

    def get(self, request: Request, list_id: str) -> Response:
        list_ = own_list(self, list_id)
        page = Page.from_request(request)
        statuses = selectors.paginate(list_service.list_timeline(list_), **page.as_kwargs())
        data = present_timeline(self.viewer, statuses, FilterContext.HOME)
        return paginated(request, data, statuses)
