"""/api/v1/admin/accounts and /api/v2/admin/accounts: finding accounts, approving and
rejecting applicants, and the moderation actions (with their undoing)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import STAFF_ROLES, Account, User
from accounts.services.registration import do_approve_user, do_reject_user
from fediverse.api.pagination import paginated
from fediverse.api.parsers import to_bool
from moderation.api.admin_common import AdminView, admin_account_entity, find, page_of, read, write
from moderation.models import Report
from moderation.services import account_actions
from moderation.services.account_actions import ActionRequest

# v1 boolean filters → the condition each one adds.
V1_FLAGS: dict[str, Q] = {
    "local": Q(domain__isnull=True),
    "remote": Q(domain__isnull=False),
    "active": Q(suspended_at__isnull=True),
    "pending": Q(user__approved=False),
    "disabled": Q(user__disabled=True),
    "sensitized": Q(sensitized_at__isnull=False),
    "silenced": Q(silenced_at__isnull=False),
    "suspended": Q(suspended_at__isnull=False),
    "staff": Q(user__role__in=STAFF_ROLES),
}
V2_STATUS = {k: V1_FLAGS[k] for k in ("active", "pending", "disabled", "silenced", "suspended")}
TEXT_FILTERS = {
    "username": "username__istartswith",
    "display_name": "display_name__icontains",
    "by_domain": "domain__iexact",
    "email": "user__email__icontains",
    "ip": "user__sign_up_ip",
}


def _text_filters(qs: QuerySet[Account], params: Any) -> QuerySet[Account]:
    for name, lookup in TEXT_FILTERS.items():
        value = (params.get(name) or "").strip()
        if value:
            qs = qs.filter(**{lookup: value})
    return qs


def _listing(request: Request, qs: QuerySet[Account]) -> Response:
    rows = page_of(request, qs.select_related("user", "user__invite__user"))
    return paginated(request, [admin_account_entity(a) for a in rows], rows)


def _base() -> QuerySet[Account]:
    # The instance actor (local, without a login) is the server, not an account to moderate.
    return Account.objects.exclude(domain__isnull=True, user__isnull=True)


class AccountsV1View(AdminView):
    access = {"GET": read("accounts")}

    def get(self, request: Request) -> Response:
        qs = _base()
        for name, condition in V1_FLAGS.items():
            if to_bool(request.query_params.get(name)):
                qs = qs.filter(condition)
        return _listing(request, _text_filters(qs, request.query_params))


class AccountsV2View(AdminView):
    access = {"GET": read("accounts")}

    def get(self, request: Request) -> Response:
        params = request.query_params
        qs = _base()
        origin = params.get("origin")
        if origin in ("local", "remote"):
            qs = qs.filter(V1_FLAGS[origin])
        if params.get("status") in V2_STATUS:
            qs = qs.filter(V2_STATUS[params["status"]])
        if params.get("permissions") == "staff":
            qs = qs.filter(V1_FLAGS["staff"])
        return _listing(request, _text_filters(qs, params))


def _account(pk: str) -> Account:
    return find(Account.objects.select_related("user"), pk)


class AccountView(AdminView):
    access = {"GET": read("accounts")}

    def get(self, request: Request, pk: str) -> Response:
        return Response(admin_account_entity(_account(pk)))


def _refused_as_forbidden(run: Callable[[], Any]) -> None:
    """Acting on oneself or on a higher role is a permission matter (403), as on Mastodon."""
    try:
        run()
    except ValidationError as error:
        if getattr(error, "code", None) in ("rank", "self"):
            raise PermissionDenied from error
        raise


def _local_user(account: Account) -> User:
    found = User.objects.filter(account=account).first()
    if found is None:
        raise PermissionDenied
    return found


class AccountActionView(AdminView):
    """POST /api/v1/admin/accounts/:id/action"""

    access = {"POST": write("accounts")}

    def post(self, request: Request, pk: str) -> Response:
        target = _account(pk)
        data = request.data
        report = None
        if data.get("report_id"):
            report = find(Report.objects.all(), str(data["report_id"]))
        send = data.get("send_email_notification")
        ask = ActionRequest(
            type=str(data.get("type") or "none"),
            text=str(data.get("text") or ""),
            report=report,
            status_ids=report.status_ids if report else [],
            send_email=True if send is None else to_bool(send),
        )
        _refused_as_forbidden(
            lambda: account_actions.do_account_action(
                moderator=self.moderator, target=target, ask=ask
            )
        )
        return Response({})


UNDO = {
    "enable": account_actions.do_enable,
    "unsilence": account_actions.do_unsilence,
    "unsuspend": account_actions.do_unsuspend,
    "unsensitive": account_actions.do_unsensitive,
}


class AccountUndoView(AdminView):
    """POST /api/v1/admin/accounts/:id/{enable,unsilence,unsuspend,unsensitive}"""

    access = {"POST": write("accounts")}
    verb = "enable"

    def post(self, request: Request, pk: str) -> Response:
        target = _account(pk)
        undo = UNDO[self.verb]
        _refused_as_forbidden(lambda: undo(moderator=self.moderator, target=target))
        return Response(admin_account_entity(_account(pk)))


class AccountApproveView(AdminView):
    access = {"POST": write("accounts")}

    def post(self, request: Request, pk: str) -> Response:
        target = _account(pk)
        found = _local_user(target)
        if found.approved:
            raise PermissionDenied
        do_approve_user(user=found)
        return Response(admin_account_entity(_account(pk)))


class AccountRejectView(AdminView):
    access = {"POST": write("accounts")}

    def post(self, request: Request, pk: str) -> Response:
        target = _account(pk)
        found = _local_user(target)
        if found.approved:
            raise PermissionDenied
        entity = admin_account_entity(target)
        do_reject_user(user=found)
        return Response(entity)
