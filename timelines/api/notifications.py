"""Mastodon's v1 notifications API and the Notification entity."""

from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.views import present_accounts
from accounts.models import Account
from fediverse.api.errors import ApiError
from fediverse.api.pagination import Page, paginated
from fediverse.api.parsers import to_bool
from fediverse.api.render import iso
from fediverse.api.views import ApiView, user
from timelines import selectors_inbox as inbox
from timelines.api.present import present_statuses
from timelines.models import (
    ADMIN_REPORT,
    MODERATION_WARNING,
    Notification,
    NotificationReport,
    NotificationWarning,
)
from timelines.services import notification_policy
from timelines.services.markers import markers_of

# The types whose entity carries the status they are about.
STATUS_TYPES = frozenset({"favourite", "reblog", "status", "mention", "poll", "update"})
UNREAD_COUNT_DEFAULT, UNREAD_COUNT_MAX = 100, 1000


def query_list(request: Request, name: str) -> tuple[str, ...]:
    params = request.query_params
    return tuple(params.getlist(f"{name}[]") or params.getlist(name))


def notification_filter(request: Request) -> inbox.NotificationFilter:
    account_id = request.query_params.get("account_id")
    return inbox.NotificationFilter(
        types=query_list(request, "types"),
        exclude_types=query_list(request, "exclude_types"),
        # An id that is not a number matches no sender, as in Mastodon.
        account_id=(int(account_id) if account_id.isdigit() else 0) if account_id else None,
        include_filtered=to_bool(request.query_params.get("include_filtered")),
    )


def status_entities(viewer: Account, status_ids: set[int]) -> dict[int, dict[str, Any]]:
    statuses = list(inbox.statuses_by_id(sorted(status_ids)).values())
    entities = present_statuses(viewer, statuses)
    return {s.pk: data for s, data in zip(statuses, entities, strict=True)}


def account_entities(accounts: list[Account]) -> dict[int, dict[str, Any]]:
    unique = list({a.pk: a for a in accounts}.values())
    return {a.pk: data for a, data in zip(unique, present_accounts(unique), strict=True)}


def report_entities(notifications: list[Notification]) -> dict[int, dict[str, Any]]:
    """Mastodon's Report entity for each admin.report notification, by notification id."""
    wanted = [n.pk for n in notifications if n.type == ADMIN_REPORT]
    if not wanted:
        return {}
    links = list(
        NotificationReport.objects.filter(notification_id__in=wanted).select_related(
            "report__target_account"
        )
    )
    targets = account_entities([link.report.target_account for link in links])
    return {
        link.notification_id: {
            "id": str(link.report.pk),
            "action_taken": link.report.action_taken,
            "action_taken_at": iso(link.report.action_taken_at),
            "category": link.report.category,
            "comment": link.report.comment,
            "forwarded": link.report.forwarded,
            "created_at": iso(link.report.created_at),
            "status_ids": [str(pk) for pk in link.report.status_ids],
            "rule_ids": [str(pk) for pk in link.report.rule_ids] or None,
            "target_account": targets[link.report.target_account_id],
        }
        for link in links
    }


def _appeal_entity(warning: Any) -> dict[str, Any] | None:
    appeal = getattr(warning, "appeal", None)
    if appeal is None:
        return None
    state = "pending" if appeal.pending else ("approved" if appeal.approved_at else "rejected")
    return {"text": appeal.text, "state": state}


def warning_entities(notifications: list[Notification]) -> dict[int, dict[str, Any]]:
    """Mastodon's AccountWarning entity for each moderation_warning, by notification id."""
    wanted = [n.pk for n in notifications if n.type == MODERATION_WARNING]
    if not wanted:
        return {}
    links = list(
        NotificationWarning.objects.filter(notification_id__in=wanted).select_related(
            "warning__target_account", "warning__appeal"
        )
    )
    targets = account_entities([link.warning.target_account for link in links])
    return {
        link.notification_id: {
            "id": str(link.warning.pk),
            "action": link.warning.action,
            "text": link.warning.text,
            "status_ids": [str(pk) for pk in link.warning.status_ids] or None,
            "target_account": targets[link.warning.target_account_id],
            "appeal": _appeal_entity(link.warning),
            "created_at": iso(link.warning.created_at),
        }
        for link in links
    }


def attached_entities(notifications: list[Notification]) -> dict[int, dict[str, Any]]:
    """The report or strike each notification of those kinds carries, as entity fields."""
    found: dict[int, dict[str, Any]] = {}
    for pk, report in report_entities(notifications).items():
        found[pk] = {"report": report}
    for pk, warning in warning_entities(notifications).items():
        found[pk] = {"moderation_warning": warning}
    return found


def present_notifications(viewer: Account, notifications: list[Notification]) -> list[dict]:
    """Entities for a page, in a fixed number of queries: from_account must be loaded."""
    filtered = inbox.filtered_ids(notifications)
    status_ids = {n.status_id for n in notifications if n.type in STATUS_TYPES and n.status_id}
    statuses = status_entities(viewer, status_ids)
    accounts = account_entities([n.from_account for n in notifications])
    attached = attached_entities(notifications)
    result = []
    for n in notifications:
        data: dict[str, Any] = {
            "id": str(n.pk),
            "type": n.type,
            "created_at": iso(n.created_at),
            "group_key": inbox.group_key(n, filtered=n.pk in filtered),
        }
        if n.pk in filtered:
            data["filtered"] = True
        data["account"] = accounts[n.from_account_id]
        if n.type in STATUS_TYPES and n.status_id in statuses:
            data["status"] = statuses[n.status_id]
        data.update(attached.get(n.pk, {}))
        result.append(data)
    return result


def own_notification(view: ApiView, notification_id: str) -> Notification:
    found = None
    if notification_id.isdigit():
        found = (
            Notification.objects.filter(
                account=view.acting,
                pk=int(notification_id),
                from_account__suspended_at__isnull=True,
            )
            .select_related("from_account")
            .first()
        )
    if found is None:
        raise ApiError("Record not found", 404)
    return found


def unread_limit(request: Request) -> int:
    page = Page.from_request(request, default=UNREAD_COUNT_DEFAULT, maximum=UNREAD_COUNT_MAX)
    return page.limit


def last_read_notification(account: Account) -> int | None:
    marker = markers_of(account, ["notifications"]).get("notifications")
    return marker.last_read_id if marker is not None else None


class NotificationsView(ApiView):
    access = {"GET": user("read:notifications")}

    def get(self, request: Request) -> Response:
        page = Page.from_request(request, default=40, maximum=80)
        qs = inbox.browserable(self.acting, notification_filter(request))
        items = inbox.page_by_id(qs.select_related("from_account"), page)
        return paginated(request, present_notifications(self.acting, items), items)


class NotificationView(ApiView):
    access = {"GET": user("read:notifications")}

    def get(self, request: Request, notification_id: str) -> Response:
        notification = own_notification(self, notification_id)
        return Response(present_notifications(self.acting, [notification])[0])


class NotificationDismissView(ApiView):
    access = {"POST": user("write:notifications")}

    def post(self, request: Request, notification_id: str) -> Response:
        notification = own_notification(self, notification_id)
        notification_policy.do_dismiss_notifications(
            account=self.acting, notifications=Notification.objects.filter(pk=notification.pk)
        )
        return Response({})


class NotificationsClearView(ApiView):
    access = {"POST": user("write:notifications")}

    def post(self, request: Request) -> Response:
        notification_policy.do_dismiss_notifications(
            account=self.acting, notifications=Notification.objects.filter(account=self.acting)
        )
        return Response({})


class UnreadCountView(ApiView):
    """How many notifications came after the notifications marker, capped by `limit`."""

    access = {"GET": user("read:notifications")}

    def get(self, request: Request) -> Response:
        qs = inbox.browserable(self.acting, notification_filter(request))
        last_read = last_read_notification(self.acting)
        if last_read is not None:
            qs = qs.filter(id__gt=last_read)
        return Response({"count": qs.order_by("id")[: unread_limit(request)].count()})
