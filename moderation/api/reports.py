"""POST /api/v1/reports: a user reports an account, and some of its posts, to the moderators."""

from typing import Any

from django.http import Http404
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.views import visible_account
from fediverse.api.parsers import to_bool
from fediverse.api.views import ApiView, user
from moderation.api.present import report_entity
from moderation.services.reports import ReportRequest, do_create_report
from timelines.models import Status


def as_list(value: Any) -> list[str]:
    """`status_ids[]=1&status_ids[]=2`, a JSON array, or one bare value."""
    if value is None or value == "":
        return []
    values = value if isinstance(value, list) else [value]
    return [str(v) for v in values if v is not None and str(v) != ""]


def report_request(data: dict[str, Any]) -> ReportRequest:
    return ReportRequest(
        status_ids=as_list(data.get("status_ids")),
        rule_ids=as_list(data.get("rule_ids")),
        category=str(data.get("category") or ""),
        comment=str(data.get("comment") or ""),
        forward=to_bool(data.get("forward")),
        forward_to_domains=as_list(data.get("forward_to_domains")),
    )


class ReportsView(ApiView):
    access = {"POST": user("write", "write:reports")}

    def post(self, request: Request) -> Response:
        target = visible_account(request.data.get("account_id") or "")
        try:
            report = do_create_report(
                reporter=self.acting, target=target, ask=report_request(request.data)
            )
        except Status.DoesNotExist as error:
            raise Http404 from error
        return Response(report_entity(report))
