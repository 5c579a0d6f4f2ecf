"""Mastodon's markers API: the last read position in home and notifications, per account."""

from typing import Any

from django.core.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from fediverse.api.errors import ApiError
from fediverse.api.render import iso
from fediverse.api.views import ApiView, user
from timelines.api.notifications import query_list
from timelines.models_inbox import Marker
from timelines.services import markers as service


def marker_entity(marker: Marker) -> dict[str, Any]:
    return {
        "last_read_id": str(marker.last_read_id),
        "version": marker.version,
        "updated_at": iso(marker.updated_at),
    }


class MarkersView(ApiView):
    access = {"GET": user("read:statuses"), "POST": user("write:statuses")}

    def get(self, request: Request) -> Response:
        found = service.markers_of(self.acting, list(query_list(request, "timeline")))
        return Response({timeline: marker_entity(m) for timeline, m in found.items()})

    def post(self, request: Request) -> Response:
        positions = {
            timeline: request.data[timeline].get("last_read_id")
            for timeline in Marker.TIMELINES
            if isinstance(request.data.get(timeline), dict)
        }
        try:
            saved = service.do_set_markers(account=self.acting, positions=positions)
        except ValidationError as error:
            raise ApiError("Validation failed: Last read can't be blank", 422) from error
        except service.MarkerConflict as error:
            raise ApiError("Conflict during update, please try again", 409) from error
        return Response({timeline: marker_entity(m) for timeline, m in saved.items()})
