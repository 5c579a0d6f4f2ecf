"""Mastodon 4.3's grouped notifications (v2): favourites, boosts and follows of the same kind
within the same hours come as one group, with the accounts and statuses listed once."""

from dataclasses import dataclass
from typing import Any

from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.serializers import AccountSerializer
from accounts.api.views import present_accounts
from accounts.models import Account
from fediverse.api.errors import ApiError
from fediverse.api.pagination import Page, paginated
from fediverse.api.render import iso
from fediverse.api.views import ApiView, user
from timelines import selectors_inbox as inbox
from timelines.api.notifications import (
    STATUS_TYPES,
    attached_entities,
    last_read_notification,
    notification_filter,
    query_list,
    status_entities,
    unread_limit,
)
from timelines.models import Notification
from timelines.services import notification_policy

EXPAND_ACCOUNTS = ("full", "partial_avatars")
PARTIAL_ACCOUNT_FIELDS = ("id", "acct", "locked", "bot", "url", "avatar", "avatar_static")


@dataclass
class Group:
    key: str
    notification: Notification
    count: int
    most_recent_id: int
    sample_ids: list[int]
    page_min_id: int
    latest_at: Any


def build_groups(
    viewer: Account, notifications: list[Notification], bounds: tuple[int | None, int | None]
) -> list[Group]:
    """One group per notification on the page; grouped ones get their counts and samples
    from the database, counted within the page's bounds."""
    filtered = inbox.filtered_ids(notifications)
    keys = {n.pk: inbox.group_key(n, filtered=n.pk in filtered) for n in notifications}
    page_keys = {n.pk: getattr(n, "group_key", keys[n.pk]) for n in notifications}
    summaries = inbox.summarize_groups(viewer, set(page_keys.values()), *bounds)
    groups = []
    for n in notifications:
        summary = summaries.get(page_keys[n.pk])
        if summary is None:
            group = Group(page_keys[n.pk], n, 1, n.pk, [n.from_account_id], n.pk, n.created_at)
        else:
            group = Group(
                page_keys[n.pk], n, summary.count, summary.latest_id,
                summary.sample_account_ids, summary.page_min_id, summary.latest_at,
            )  # fmt: skip
        groups.append(group)
    return groups


def group_entity(
    group: Group, paginated: bool, attached: dict[int, dict[str, Any]]
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "group_key": group.key,
        "notifications_count": group.count,
        "type": group.notification.type,
        "most_recent_notification_id": group.most_recent_id,
    }
    if paginated:
        data["page_min_id"] = str(group.page_min_id)
        data["page_max_id"] = str(group.most_recent_id)
        data["latest_page_notification_at"] = iso(group.latest_at)
    data["sample_account_ids"] = [str(pk) for pk in group.sample_ids]
    if group.notification.type in STATUS_TYPES and group.notification.status_id:
        data["status_id"] = str(group.notification.status_id)
    data.update(attached.get(group.notification.pk, {}))
    return data


def partial_account(account: Account) -> dict[str, Any]:
    data = AccountSerializer(account, context={"stats": {}}).data
    return {name: data[name] for name in PARTIAL_ACCOUNT_FIELDS}


def present_groups(
    viewer: Account, groups: list[Group], *, paginated: bool, expand: str = "full"
) -> dict[str, Any]:
    """GroupedNotificationsResults: every account and status once, then the groups."""
    ordered = list(dict.fromkeys(pk for g in groups for pk in g.sample_ids))
    accounts = Account.objects.in_bulk(ordered)
    full_ids = ordered
    if expand == "partial_avatars":
        full_ids = list(dict.fromkeys(g.sample_ids[0] for g in groups if g.sample_ids))
    status_ids = {
        g.notification.status_id
        for g in groups
        if g.notification.type in STATUS_TYPES and g.notification.status_id
    }
    statuses = status_entities(viewer, status_ids)
    attached = attached_entities([g.notification for g in groups])
    result: dict[str, Any] = {
        "accounts": present_accounts([accounts[pk] for pk in full_ids if pk in accounts])
    }
    if expand == "partial_avatars":
        shown = set(full_ids)
        result["partial_accounts"] = [
            partial_account(accounts[pk]) for pk in ordered if pk in accounts and pk not in shown
        ]
    result["statuses"] = list(statuses.values())
    result["notification_groups"] = [group_entity(g, paginated, attached) for g in groups]
    return result


def page_bounds(page: Page, items: list[Notification]) -> tuple[int | None, int | None]:
    """The ids a page covers, as Mastodon counts groups within them: a short page reaches to
    the end it was read towards."""
    if not items:
        return None, None
    newest, oldest = items[0].pk, items[-1].pk
    if len(items) >= page.limit:
        return oldest, newest
    if page.min_id is not None:
        return oldest, page.max_id - 1 if page.max_id is not None else None
    return (page.since_id + 1 if page.since_id is not None else None), newest


def expand_accounts(request: Request) -> str:
    value = request.query_params.get("expand_accounts", "full")
    if value not in EXPAND_ACCOUNTS:
        raise ApiError(
            f"Invalid value for 'expand_accounts': '{value}', "
            "allowed values are 'full' and 'partial_avatars'",
            400,
        )
    return value


class GroupedNotificationsView(ApiView):
    access = {"GET": user("read:notifications")}

    def get(self, request: Request) -> Response:
        expand = expand_accounts(request)
        page = Page.from_request(request, default=40, maximum=80)
        grouped_types = inbox.clean_grouped_types(list(query_list(request, "grouped_types")))
        qs = inbox.browserable(self.acting, notification_filter(request))
        items = inbox.grouped_page(qs, page, grouped_types)
        groups = build_groups(self.acting, items, page_bounds(page, items))
        data = present_groups(self.acting, groups, paginated=True, expand=expand)
        return paginated(request, data, items)


def first_in_group(view: ApiView, group_key: str) -> Notification:
    found = inbox.in_group(view.acting, group_key).first()
    if found is None:
        raise ApiError("Record not found", 404)
    return found


class NotificationGroupView(ApiView):
    access = {"GET": user("read:notifications")}

    def get(self, request: Request, group_key: str) -> Response:
        notification = first_in_group(self, group_key)
        groups = build_groups(self.acting, [notification], (None, None))
        return Response(present_groups(self.acting, groups, paginated=False))


class NotificationGroupDismissView(ApiView):
    access = {"POST": user("write:notifications")}

    def post(self, request: Request, group_key: str) -> Response:
        notification_policy.do_dismiss_notifications(
            account=self.acting, notifications=inbox.in_group(self.acting, group_key)
        )
        return Response({})


class NotificationGroupAccountsView(ApiView):
    access = {"GET": user("read:notifications")}

    def get(self, request: Request, group_key: str) -> Response:
        page = Page.from_request(request, default=40, maximum=80)
        qs = inbox.in_group(self.acting, group_key).select_related("from_account")
        items = inbox.page_by_id(qs, page)
        return paginated(request, present_accounts([n.from_account for n in items]), items)


class GroupedUnreadCountView(ApiView):
    access = {"GET": user("read:notifications")}

    def get(self, request: Request) -> Response:
        grouped_types = inbox.clean_grouped_types(list(query_list(request, "grouped_types")))
        qs = inbox.browserable(self.acting, notification_filter(request))
        last_read = last_read_notification(self.acting)
        count = inbox.count_unread_groups(qs, last_read, grouped_types, unread_limit(request))
        return Response({"count": count})
