"""Notification filtering in Mastodon's API: the policy (v2, and the v1 shape that shipped
first) and the requests holding what it filtered."""

from typing import Any

from django.core.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from fediverse.api.errors import ApiError
from fediverse.api.pagination import Page, paginated
from fediverse.api.parsers import to_bool
from fediverse.api.render import iso
from fediverse.api.views import ApiView, user
from timelines import selectors_inbox as inbox
from timelines.api.notifications import account_entities, status_entities
from timelines.models_inbox import NotificationPolicy, NotificationRequest, PolicyChoice
from timelines.services import notification_policy as service

V1_FIELDS = {
    "filter_not_following": "for_not_following",
    "filter_not_followers": "for_not_followers",
    "filter_new_accounts": "for_new_accounts",
    "filter_private_mentions": "for_private_mentions",
}


def summary(policy: NotificationPolicy) -> dict[str, int]:
    requests, notifications = service.pending_summary(policy.account)
    return {"pending_requests_count": requests, "pending_notifications_count": notifications}


def policy_entity(policy: NotificationPolicy) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(policy, name) for name in NotificationPolicy.FIELDS}
    data["summary"] = summary(policy)
    return data


def v1_policy_entity(policy: NotificationPolicy) -> dict[str, Any]:
    data: dict[str, Any] = {
        old: getattr(policy, new) != PolicyChoice.ACCEPT for old, new in V1_FIELDS.items()
    }
    data["summary"] = summary(policy)
    return data


def update_policy(view: ApiView, changes: dict[str, Any]) -> NotificationPolicy:
    try:
        return service.do_update_policy(account=view.acting, changes=changes)
    except ValidationError as error:
        names = ", ".join(
            f"{name.replace('_', ' ').capitalize()} is not included in the list"
            for name in error.message_dict
        )
        raise ApiError(f"Validation failed: {names}", 422) from error


class PolicyView(ApiView):
    access = {
        "GET": user("read:notifications"),
        "PATCH": user("write:notifications"),
        "PUT": user("write:notifications"),
    }

    def get(self, request: Request) -> Response:
        return Response(policy_entity(service.policy_of(self.acting)))

    def patch(self, request: Request) -> Response:
        changes = {k: v for k, v in request.data.items() if k in NotificationPolicy.FIELDS}
        return Response(policy_entity(update_policy(self, changes)))

    put = patch


class V1PolicyView(ApiView):
    access = {
        "GET": user("read:notifications"),
        "PATCH": user("write:notifications"),
        "PUT": user("write:notifications"),
    }

    def get(self, request: Request) -> Response:
        return Response(v1_policy_entity(service.policy_of(self.acting)))

    def patch(self, request: Request) -> Response:
        changes = {
            new: PolicyChoice.FILTER if to_bool(request.data[old]) else PolicyChoice.ACCEPT
            for old, new in V1_FIELDS.items()
            if old in request.data
        }
        return Response(v1_policy_entity(update_policy(self, changes)))

    put = patch


def present_requests(viewer: Any, requests: list[NotificationRequest]) -> list[dict[str, Any]]:
    statuses = status_entities(viewer, {r.last_status_id for r in requests if r.last_status_id})
    accounts = account_entities([r.from_account for r in requests])
    return [
        {
            "id": str(r.pk),
            "created_at": iso(r.created_at),
            "updated_at": iso(r.updated_at),
            "notifications_count": str(r.notifications_count),
            "account": accounts[r.from_account_id],
            "last_status": statuses.get(r.last_status_id) if r.last_status_id else None,
        }
        for r in requests
    ]


def own_request(view: ApiView, request_id: str) -> NotificationRequest:
    found = None
    if request_id.isdigit():
        found = inbox.notification_requests(view.acting).filter(pk=int(request_id)).first()
    if found is None:
        raise ApiError("Record not found", 404)
    return found


def requests_named(view: ApiView, request: Request) -> list[NotificationRequest]:
    raw = request.data.get("id") or request.query_params.getlist("id[]") or []
    ids = {int(i) for i in (raw if isinstance(raw, list) else [raw]) if str(i).isdigit()}
    return list(inbox.notification_requests(view.acting).filter(pk__in=ids))


class RequestsView(ApiView):
    access = {"GET": user("read:notifications")}

    def get(self, request: Request) -> Response:
        page = Page.from_request(request, default=40, maximum=80)
        items = inbox.page_by_id(inbox.notification_requests(self.acting), page)
        return paginated(request, present_requests(self.acting, items), items)


class RequestView(ApiView):
    # Mastodon's controller asks write:notifications here while its documentation says read.
    access = {"GET": user("read:notifications", "write:notifications")}

    def get(self, request: Request, request_id: str) -> Response:
        return Response(present_requests(self.acting, [own_request(self, request_id)])[0])


class RequestAcceptView(ApiView):
    access = {"POST": user("write:notifications")}

    def post(self, request: Request, request_id: str) -> Response:
        service.do_accept_request(request=own_request(self, request_id))
        return Response({})


class RequestDismissView(ApiView):
    access = {"POST": user("write:notifications")}

    def post(self, request: Request, request_id: str) -> Response:
        service.do_dismiss_request(request=own_request(self, request_id))
        return Response({})


class RequestsAcceptView(ApiView):
    access = {"POST": user("write:notifications")}

    def post(self, request: Request) -> Response:
        for found in requests_named(self, request):
            service.do_accept_request(request=found)
        return Response({})


class RequestsDismissView(ApiView):
    access = {"POST": user("write:notifications")}

    def post(self, request: Request) -> Response:
        for found in requests_named(self, request):
            service.do_dismiss_request(request=found)
        return Response({})


class RequestsMergedView(ApiView):
    access = {"GET": user("read:notifications")}

    def get(self, request: Request) -> Response:
        return Response({"merged": service.merged(self.acting)})
