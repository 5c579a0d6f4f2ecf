"""Scheduled statuses in Mastodon's API: list, show, reschedule and cancel. Creating one is
POST /api/v1/statuses with `scheduled_at` (see compose)."""

from datetime import UTC, datetime
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.request import Request
from rest_framework.response import Response

from fediverse.api.errors import ApiError
from fediverse.api.pagination import Page, paginated
from fediverse.api.render import iso
from fediverse.api.views import ApiView, user
from timelines.api.common import id_page
from timelines.models import ScheduledStatus
from timelines.services import scheduled as scheduled_service


def scheduled_entity(item: ScheduledStatus) -> dict[str, Any]:
    return {
        "id": str(item.pk),
        "scheduled_at": iso(item.scheduled_at),
        "params": item.params,
        "media_attachments": [],
    }


def scheduled_at_from(data: Any) -> datetime | None:
    """An unreadable time is refused as Rails refuses it, with a bare "Record invalid"."""
    raw = data.get("scheduled_at")
    if raw in (None, ""):
        return None
    try:
        moment = parse_datetime(str(raw))
    except ValueError:
        moment = None
    if moment is None:
        raise ApiError("Record invalid", 422)
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=UTC)


def own_scheduled(view: ApiView, scheduled_id: str) -> ScheduledStatus:
    found = None
    if scheduled_id.isdigit():
        found = ScheduledStatus.objects.filter(pk=int(scheduled_id), account=view.acting).first()
    if found is None:
        raise ApiError("Record not found", 404)
    return found


class ScheduledStatusesView(ApiView):
    access = {"GET": user("read:statuses")}

    def get(self, request: Request) -> Response:
        qs = ScheduledStatus.objects.filter(account=self.acting)
        items = id_page(qs, Page.from_request(request))
        return paginated(request, [scheduled_entity(item) for item in items], items)


class ScheduledStatusView(ApiView):
    access = {
        "GET": user("read:statuses"),
        "PUT": user("write:statuses"),
        "DELETE": user("write:statuses"),
    }

    def get(self, request: Request, scheduled_id: str) -> Response:
        return Response(scheduled_entity(own_scheduled(self, scheduled_id)))

    def put(self, request: Request, scheduled_id: str) -> Response:
        item = own_scheduled(self, scheduled_id)
        scheduled_at = scheduled_at_from(request.data)
        if scheduled_at is not None:
            item = scheduled_service.do_reschedule(scheduled=item, scheduled_at=scheduled_at)
        return Response(scheduled_entity(item))

    def delete(self, request: Request, scheduled_id: str) -> Response:
        scheduled_service.do_cancel(scheduled=own_scheduled(self, scheduled_id))
        return Response({})
