"""Mastodon's filters API, v2 (filters with their keywords and statuses) and v1 (each keyword
seen as a filter of its own)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from rest_framework.request import Request
from rest_framework.response import Response

from fediverse.api.errors import ApiError
from fediverse.api.parsers import to_bool
from fediverse.api.views import ApiView, user
from timelines.api.common import refused
from timelines.api.filter_entities import (
    filter_entity,
    filter_status_entity,
    keyword_entity,
    v1_filter_entity,
)
from timelines.models_curation import Filter, FilterKeyword, FilterStatus
from timelines.services import filters as service
from timelines.services.filters import KEEP, KeywordChange

READ = user("read:filters")
WRITE = user("write:filters")


def own(view: ApiView, qs: QuerySet[Any], row_id: str, owner: str = "account") -> Any:
    """A row of the viewer's own filters; anything else answers as missing."""
    if not str(row_id).isdigit():
        raise Http404
    found = qs.filter(pk=int(row_id), **{owner: view.acting}).first()
    if found is None:
        raise Http404
    return found


FILTERS = Filter.objects.prefetch_related(
    Prefetch("keywords", FilterKeyword.objects.order_by("id")),
    Prefetch("statuses", FilterStatus.objects.order_by("id")),
)
KEYWORDS = FilterKeyword.objects.select_related("filter")


def context_list(value: Any) -> list[str]:
    if value in (None, ""):
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def regroup(items: list[Any]) -> list[Any]:
    """Form bodies with `keywords_attributes[][keyword]=…&keywords_attributes[][whole_word]=…`
    reach us as one single-key dict per value, grouped by key (the form parser keeps the
    order of values per key, not across keys). Entry n takes the n-th value of each key."""
    if not all(isinstance(i, dict) and len(i) == 1 for i in items):
        return items
    by_key: dict[str, list[Any]] = {}
    for item in items:
        ((key, value),) = item.items()
        by_key.setdefault(key, []).append(value)
    count = max((len(values) for values in by_key.values()), default=0)
    return [
        {key: values[n] for key, values in by_key.items() if n < len(values)} for n in range(count)
    ]


def keyword_changes(request: Request) -> list[KeywordChange]:
    raw = request.data.get("keywords_attributes")
    if raw in (None, ""):
        return []
    if isinstance(raw, dict):  # keywords_attributes[0][keyword]=…: ordered by index
        raw = [raw[k] for k in sorted(raw, key=lambda k: int(k) if str(k).isdigit() else 0)]
    elif isinstance(raw, list) and "json" not in (request.content_type or ""):
        raw = regroup(raw)
    if not isinstance(raw, list) or not all(isinstance(i, dict) for i in raw):
        raise ApiError("Validation failed: Keywords attributes are malformed", 422)
    changes = []
    for item in raw:
        if item.get("id") not in (None, "") and not str(item["id"]).isdigit():
            raise Http404
        changes.append(
            KeywordChange(
                keyword=None if item.get("keyword") is None else str(item["keyword"]),
                whole_word=to_bool(item["whole_word"])
                if item.get("whole_word") not in (None, "")
                else None,
                id=int(item["id"]) if str(item.get("id") or "").isdigit() else None,
                destroy=to_bool(item.get("_destroy")),
            )
        )
    return changes


def filter_fields(data: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if "title" in data:
        fields["title"] = str(data["title"] or "")
    if "context" in data:
        fields["context"] = context_list(data["context"])
    if data.get("filter_action") not in (None, ""):
        fields["filter_action"] = str(data["filter_action"])
    if "expires_in" in data:
        fields["expires_in"] = data["expires_in"]
    return fields


class FiltersView(ApiView):
    access = {"GET": READ, "POST": WRITE}

    def get(self, request: Request) -> Response:
        filters = FILTERS.filter(account=self.acting).order_by("id")
        return Response([filter_entity(f) for f in filters])

    def post(self, request: Request) -> Response:
        fields = {"title": "", "context": [], **filter_fields(request.data)}
        try:
            created = service.do_create_filter(
                account=self.acting, keywords=keyword_changes(request), **fields
            )
        except ValidationError as error:
            raise refused(error) from error
        return Response(filter_entity(FILTERS.get(pk=created.pk)))


class FilterView(ApiView):
    access = {"GET": READ, "PUT": WRITE, "DELETE": WRITE}

    def get(self, request: Request, filter_id: str) -> Response:
        return Response(filter_entity(own(self, FILTERS, filter_id)))

    def put(self, request: Request, filter_id: str) -> Response:
        filter_ = own(self, Filter.objects.all(), filter_id)
        try:
            service.do_update_filter(
                filter_=filter_, keywords=keyword_changes(request), **filter_fields(request.data)
            )
        except FilterKeyword.DoesNotExist as error:
            raise Http404 from error
        except ValidationError as error:
            raise refused(error) from error
        return Response(filter_entity(FILTERS.get(pk=filter_.pk)))

    def delete(self, request: Request, filter_id: str) -> Response:
        service.do_delete_filter(filter_=own(self, Filter.objects.all(), filter_id))
        return Response({})


def keyword_fields(data: Any) -> dict[str, Any]:
    return {
        "keyword_text": None if data.get("keyword") is None else str(data["keyword"]),
        "whole_word": None if data.get("whole_word") in (None, "") else to_bool(data["whole_word"]),
    }


class FilterKeywordsView(ApiView):
    access = {"GET": READ, "POST": WRITE}

    def get(self, request: Request, filter_id: str) -> Response:
        filter_ = own(self, FILTERS, filter_id)
        return Response([keyword_entity(k) for k in filter_.keywords.all()])

    def post(self, request: Request, filter_id: str) -> Response:
        filter_ = own(self, Filter.objects.all(), filter_id)
        fields = keyword_fields(request.data)
        try:
            keyword = service.do_add_keyword(
                filter_=filter_, keyword=fields["keyword_text"], whole_word=fields["whole_word"]
            )
        except ValidationError as error:
            raise refused(error) from error
        return Response(keyword_entity(keyword))


class FilterKeywordView(ApiView):
    access = {"GET": READ, "PUT": WRITE, "DELETE": WRITE}

    def get(self, request: Request, keyword_id: str) -> Response:
        return Response(keyword_entity(own(self, KEYWORDS, keyword_id, "filter__account")))

    def put(self, request: Request, keyword_id: str) -> Response:
        keyword = own(self, KEYWORDS, keyword_id, "filter__account")
        try:
            service.do_update_keyword(keyword=keyword, **keyword_fields(request.data))
        except ValidationError as error:
            raise refused(error) from error
        return Response(keyword_entity(keyword))

    def delete(self, request: Request, keyword_id: str) -> Response:
        service.do_delete_keyword(keyword=own(self, KEYWORDS, keyword_id, "filter__account"))
        return Response({})


class FilterStatusesView(ApiView):
    access = {"GET": READ, "POST": WRITE}

    def get(self, request: Request, filter_id: str) -> Response:
        filter_ = own(self, FILTERS, filter_id)
        return Response([filter_status_entity(s) for s in filter_.statuses.all()])

    def post(self, request: Request, filter_id: str) -> Response:
        filter_ = own(self, Filter.objects.all(), filter_id)
        try:
            row = service.do_add_filter_status(
                filter_=filter_, status_id=request.data.get("status_id")
            )
        except ValidationError as error:
            raise refused(error) from error
        return Response(filter_status_entity(row))


class FilterStatusView(ApiView):
    access = {"GET": READ, "DELETE": WRITE}

    def get(self, request: Request, row_id: str) -> Response:
        row = own(self, FilterStatus.objects.all(), row_id, "filter__account")
        return Response(filter_status_entity(row))

    def delete(self, request: Request, row_id: str) -> Response:
        row = own(self, FilterStatus.objects.all(), row_id, "filter__account")
        service.do_delete_filter_status(filter_status=row)
        return Response({})


def v1_fields(data: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if "phrase" in data:
        fields["phrase"] = str(data["phrase"] or "")
    if "context" in data:
        fields["context"] = context_list(data["context"])
    for name in ("irreversible", "whole_word"):
        if data.get(name) not in (None, ""):
            fields[name] = to_bool(data[name])
    if "expires_in" in data:
        fields["expires_in"] = data["expires_in"]
    return fields


class V1FiltersView(ApiView):
    access = {"GET": READ, "POST": WRITE}

    def get(self, request: Request) -> Response:
        keywords = KEYWORDS.filter(filter__account=self.acting).order_by("id")
        return Response([v1_filter_entity(k) for k in keywords])

    def post(self, request: Request) -> Response:
        fields = {"phrase": "", "context": [], **v1_fields(request.data)}
        try:
            keyword = service.do_create_v1_filter(account=self.acting, **fields)
        except ValidationError as error:
            raise refused(error) from error
        return Response(v1_filter_entity(KEYWORDS.get(pk=keyword.pk)))


class V1FilterView(ApiView):
    access = {"GET": READ, "PUT": WRITE, "DELETE": WRITE}

    def get(self, request: Request, keyword_id: str) -> Response:
        return Response(v1_filter_entity(own(self, KEYWORDS, keyword_id, "filter__account")))

    def put(self, request: Request, keyword_id: str) -> Response:
        keyword = own(self, KEYWORDS, keyword_id, "filter__account")
        fields = {"expires_in": KEEP, **v1_fields(request.data)}
        try:
            service.do_update_v1_filter(keyword=keyword, **fields)
        except ValidationError as error:
            raise refused(error) from error
        return Response(v1_filter_entity(KEYWORDS.get(pk=keyword.pk)))

    def delete(self, request: Request, keyword_id: str) -> Response:
        service.do_delete_keyword(keyword=own(self, KEYWORDS, keyword_id, "filter__account"))
        return Response({})
