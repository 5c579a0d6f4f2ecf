"""Statuses and timelines in Mastodon's API."""

from typing import Any

from django.core.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from fediverse.api.errors import ApiError
from fediverse.api.pagination import Page, paginated
from fediverse.api.parsers import to_bool
from fediverse.api.views import ApiView, public, user
from media.selectors import with_media
from timelines import selectors
from timelines.api import compose, entity_cache
from timelines.api.present import present_status, present_statuses, present_timeline
from timelines.models import Status
from timelines.services import statuses as status_service
from timelines.services.interactions import find_visible_status

# Mastodon's wording for the errors apps show their users.
STATUS_ERRORS = {
    ("text", "blank"): "Validation failed: Text can't be blank",
    ("text", "too_long"): "Validation failed: Text character limit of {limit} exceeded",
    ("visibility", "invalid"): "Validation failed: Visibility is not included in the list",
    ("language", "invalid"): "Validation failed: Language is not a valid language code",
    ("in_reply_to_id", "not_found"): "Record not found",
    # Mastodon's media refusals carry no "Validation failed" prefix.
    ("media_ids", "media"): "{message}",
}


def status_error(error: ValidationError) -> ApiError:
    from moderation.models import InstanceSettings

    for field, errors in error.error_dict.items():
        for item in errors:
            message = STATUS_ERRORS.get((field, item.code or ""))
            if message == "Record not found":
                return ApiError(message, 404)
            if message:
                limit = InstanceSettings.current().character_limit
                return ApiError(message.format(limit=limit, message=item.message), 422)
    from fediverse.api.errors import validation_message

    return ApiError(validation_message(error), 422)


def parse_id(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, int) or str(value).isdigit():
        return int(value)
    raise ApiError("Record not found", 404)


def status_input(request: Request) -> status_service.StatusInput:
    data = request.data
    return status_service.StatusInput(
        text=str(data.get("status") or ""),
        spoiler_text=str(data.get("spoiler_text") or ""),
        visibility=str(data.get("visibility") or request.auth.user.default_privacy or "public"),
        sensitive=to_bool(data.get("sensitive")),
        language=str(data.get("language") or "") or None,
        in_reply_to_id=parse_id(data.get("in_reply_to_id")),
        application_id=request.auth.application_id,
        poll=compose.poll_from(data),
        media_ids=compose.media_ids_from(data),
    )


def visible_status(view: ApiView, status_id: str) -> Status:
    if not status_id.isdigit():
        raise ApiError("Record not found", 404)
    try:
        return find_visible_status(account=view.viewer, status_id=int(status_id))
    except Status.DoesNotExist as error:
        raise ApiError("Record not found", 404) from error


def hydrated(status: Status) -> Status:
    return selectors.hydrate(Status.objects.filter(pk=status.pk)).get()


class StatusesView(ApiView):
    access = {"POST": user("write:statuses"), "GET": public("read:statuses")}

    def post(self, request: Request) -> Response:
        try:
            made = compose.create(account=self.acting, data=status_input(request), request=request)
        except ValidationError as error:
            raise status_error(error) from error
        return Response(compose.present_created(self.viewer, made))

    def get(self, request: Request) -> Response:
        ids = [int(i) for i in request.query_params.getlist("id[]") or
               request.query_params.getlist("id") if str(i).isdigit()][:40]  # fmt: skip
        qs = selectors.hydrate(Status.objects.visible_to(self.viewer).filter(pk__in=ids))
        by_id = {s.pk: s for s in qs}
        found = [by_id[i] for i in ids if i in by_id]
        return Response(present_statuses(self.viewer, found))


class StatusView(ApiView):
    access = {
        "GET": public("read:statuses"),
        "PUT": user("write:statuses"),
        "DELETE": user("write:statuses"),
    }

    def get(self, request: Request, status_id: str) -> Response:
        status = visible_status(self, status_id)
        return Response(present_status(self.viewer, hydrated(status)))

    def delete(self, request: Request, status_id: str) -> Response:
        status = visible_status(self, status_id)
        if status.account_id != self.acting.pk:
            raise ApiError("Record not found", 404)
        data = present_status(self.viewer, hydrated(status), with_text=True)
        status_service.do_delete_status(account=self.acting, status=status)
        return Response(data)

    def put(self, request: Request, status_id: str) -> Response:
        status = visible_status(self, status_id)
        try:
            edited = compose.edit(account=self.acting, status=status, request=request)
        except ValidationError as error:
            raise status_error(error) from error
        return Response(present_status(self.viewer, hydrated(edited)))


def cursor_of(page: Page) -> dict[str, int | None]:
    return {"max_id": page.max_id, "since_id": page.since_id, "min_id": page.min_id}


class HomeTimelineView(ApiView):
    access = {"GET": user("read:statuses")}

    def get(self, request: Request) -> Response:
        page = Page.from_request(request)
        if not entity_cache.supported():
            statuses = selectors.paginate(selectors.home_timeline(self.acting), **page.as_kwargs())
            return paginated(request, present_timeline(self.viewer, statuses, "home"), statuses)
        # Twice the page from Redis: some may have been deleted or their authors suspended.
        ids = selectors.home_window(self.acting, page.limit * 2, **cursor_of(page))
        if ids is None:  # Redis is unreachable: the database query, slower but complete
            statuses = selectors.paginate(selectors.home_query(self.acting), **page.as_kwargs())
            return paginated(request, present_timeline(self.viewer, statuses, "home"), statuses)
        data, shown = entity_cache.present_page(
            self.viewer, ids, page.limit, "home", oldest=page.min_id is not None
        )
        return paginated(request, data, shown, key=lambda pk: pk)


class PublicTimelineView(ApiView):
    access = {"GET": public("read:statuses")}

    def get(self, request: Request) -> Response:
        params = request.query_params
        local = True if to_bool(params.get("local")) else None
        if to_bool(params.get("remote")):
            local = False
        qs = selectors.public_timeline(self.viewer, local=local)
        if to_bool(params.get("only_media")):
            qs = with_media(qs)
        statuses = selectors.paginate(qs, **Page.from_request(request).as_kwargs())
        return paginated(request, present_timeline(self.viewer, statuses, "public"), statuses)


class TagTimelineView(ApiView):
    access = {"GET": public("read:statuses")}

    def get(self, request: Request, hashtag: str) -> Response:
        params = request.query_params
        names = {mode: params.getlist(f"{mode}[]") or params.getlist(mode)
                 for mode in ("any", "all", "none")}  # fmt: skip
        qs = selectors.tag_timeline(
            self.viewer, hashtag, any_of=names["any"], all_of=names["all"], none_of=names["none"]
        )
        if to_bool(params.get("local")):
            qs = qs.filter(local=True)
        elif to_bool(params.get("remote")):
            qs = qs.filter(local=False)
        if to_bool(params.get("only_media")):
            qs = with_media(qs)
        statuses = selectors.paginate(qs, **Page.from_request(request).as_kwargs())
        return paginated(request, present_timeline(self.viewer, statuses, "public"), statuses)
