"""/api/v1/admin/reports: the report queue for admin apps."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

from fediverse.api.instance import rule_entities
from fediverse.api.pagination import paginated
from fediverse.api.parsers import to_bool
from fediverse.api.render import iso
from moderation.api.admin_common import AdminView, admin_account_entity, find, page_of, read, write
from moderation.models import Report
from moderation.services.reports import do_assign_report, do_reopen_report, do_resolve_report
from timelines.api.present import present_statuses
from timelines.models import Status

RELATED = ("account__user", "target_account__user", "assigned_account__user",
           "action_taken_by_account__user")  # fmt: skip


def _maybe(account: Any) -> dict[str, Any] | None:
    return admin_account_entity(account) if account is not None else None


def admin_report_entity(report: Report) -> dict[str, Any]:
    # Moderators read every reported post, followers-only ones included.
    statuses = list(Status.objects.filter(pk__in=report.status_ids).select_related("account"))
    rules = [r for r in rule_entities() if int(r["id"]) in report.rule_ids]
    return {
        "id": str(report.pk),
        "action_taken": report.action_taken,
        "action_taken_at": iso(report.action_taken_at),
        "category": report.category,
        "comment": report.comment,
        "forwarded": report.forwarded,
        "created_at": iso(report.created_at),
        "updated_at": iso(report.updated_at),
        "account": admin_account_entity(report.account),
        "target_account": admin_account_entity(report.target_account),
        "assigned_account": _maybe(report.assigned_account),
        "action_taken_by_account": _maybe(report.action_taken_by_account),
        "statuses": present_statuses(None, statuses),
        "rules": rules,
    }


def _report(pk: str) -> Report:
    return find(Report.objects.select_related(*RELATED), pk)


class ReportsView(AdminView):
    access = {"GET": read("reports")}

    def get(self, request: Request) -> Response:
        params = request.query_params
        qs = Report.objects.select_related(*RELATED)
        qs = qs.filter(action_taken_at__isnull=not to_bool(params.get("resolved")))
        for name in ("account_id", "target_account_id"):
            if str(params.get(name, "")).isdigit():
                qs = qs.filter(**{name: int(params[name])})
        rows = page_of(request, qs)
        return paginated(request, [admin_report_entity(r) for r in rows], rows)


class ReportView(AdminView):
    access = {"GET": read("reports")}

    def get(self, request: Request, pk: str) -> Response:
        return Response(admin_report_entity(_report(pk)))


class ReportChangeView(AdminView):
    """POST /api/v1/admin/reports/:id/{assign_to_self,unassign,resolve,reopen}"""

    access = {"POST": write("reports")}
    verb = "resolve"

    def post(self, request: Request, pk: str) -> Response:
        report = _report(pk)
        if self.verb == "assign_to_self":
            do_assign_report(report=report, moderator=self.moderator)
        elif self.verb == "unassign":
            do_assign_report(report=report, moderator=None)
        elif self.verb == "resolve":
            do_resolve_report(report=report, moderator=self.moderator)
        else:
            do_reopen_report(report=report)
        return Response(admin_report_entity(_report(pk)))
