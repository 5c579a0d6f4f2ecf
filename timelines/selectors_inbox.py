"""Reads for a person's inbox: notifications (one by one, and grouped as Mastodon 4.3 groups
them), notification requests, conversations, bookmarks and favourites. Each page costs a fixed
number of queries whatever it holds."""

from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from django.db.models import (
    BigIntegerField,
    Case,
    CharField,
    Count,
    Expression,
    ExpressionWrapper,
    F,
    Max,
    Min,
    Model,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Concat, RowNumber

from accounts.models import Account
from fediverse.api.pagination import Page
from timelines.models import Bookmark, Favourite, Notification, NotificationType, Status
from timelines.models_inbox import NOTIFICATION_TYPES, AccountConversation, NotificationRequest

M = TypeVar("M", bound=Model)

GROUPABLE_TYPES = (NotificationType.FAVOURITE, NotificationType.REBLOG, NotificationType.FOLLOW)
GROUP_SPAN_HOURS = 12
# Snowflake ids carry their creation time (milliseconds << 16), so a group's time window is
# a range of ids: notifications of one kind within the same 12 hours share a group.
GROUP_SPAN_IDS = (GROUP_SPAN_HOURS * 3600 * 1000) << 16
SAMPLE_ACCOUNTS = 8
UNGROUPED = "ungrouped-"


def page_by_id(qs: QuerySet[M], page: Page, key: str = "id") -> list[M]:
    """Mastodon's id pages: newest first below max_id, or the oldest above min_id (reversed)."""
    if page.max_id is not None:
        qs = qs.filter(**{f"{key}__lt": page.max_id})
    if page.min_id is not None:
        above = qs.filter(**{f"{key}__gt": page.min_id}).order_by(key)
        return list(reversed(above[: page.limit]))
    if page.since_id is not None:
        qs = qs.filter(**{f"{key}__gt": page.since_id})
    return list(qs.order_by(f"-{key}")[: page.limit])


@dataclass(frozen=True)
class NotificationFilter:
    """types[], exclude_types[], account_id and include_filtered, as Mastodon reads them."""

    types: tuple[str, ...] = ()
    exclude_types: tuple[str, ...] = ()
    account_id: int | None = None
    include_filtered: bool = False


def browserable(viewer: Account, wanted: NotificationFilter) -> QuerySet[Notification]:
    qs = Notification.objects.filter(account=viewer, from_account__suspended_at__isnull=True)
    types = [t for t in NOTIFICATION_TYPES if not wanted.types or t in wanted.types]
    types = [t for t in types if t not in wanted.exclude_types]
    # Asking for one sender's notifications shows those held back too: that is how apps show
    # what a notification request holds.
    if not wanted.include_filtered and wanted.account_id is None:
        qs = qs.filter(filtered__isnull=True)
    if wanted.account_id is not None:
        qs = qs.filter(from_account_id=wanted.account_id)
    if len(types) != len(NOTIFICATION_TYPES):
        qs = qs.filter(type__in=types)
    return qs


def filtered_ids(notifications: list[Notification]) -> set[int]:
    from timelines.models_inbox import FilteredNotification

    ids = [n.pk for n in notifications]
    found = FilteredNotification.objects.filter(notification_id__in=ids)
    return set(found.values_list("notification_id", flat=True)) if ids else set()


def window_start(notification_id: int) -> int:
    """The hour since the epoch at which the notification's group window opens."""
    return notification_id // GROUP_SPAN_IDS * GROUP_SPAN_HOURS


def group_key(
    notification: Notification,
    grouped_types: tuple[str, ...] = GROUPABLE_TYPES,
    filtered: bool = False,
) -> str:
    """favourite-<status>-<hour>, reblog-<status>-<hour>, follow-<hour>, else ungrouped-<id>.
    Held-back notifications are never grouped, as in Mastodon."""
    if filtered or notification.type not in grouped_types:
        return f"{UNGROUPED}{notification.pk}"
    hour = window_start(notification.pk)
    if notification.type == NotificationType.FOLLOW:
        return f"{notification.type}-{hour}"
    return f"{notification.type}-{notification.status_id}-{hour}"


def group_key_sql(grouped_types: tuple[str, ...]) -> Expression:
    """group_key() as an SQL expression, so that pages can be cut by group in the database."""
    hour = ExpressionWrapper(
        F("id") / Value(GROUP_SPAN_IDS) * Value(GROUP_SPAN_HOURS), output_field=BigIntegerField()
    )
    text: CharField = CharField()
    whens = []
    by_status = [t for t in grouped_types if t != NotificationType.FOLLOW]
    if by_status:
        key = Concat(F("type"), Value("-"), F("status_id"), Value("-"), hour, output_field=text)
        whens.append(When(type__in=by_status, filtered__isnull=True, then=key))
    if NotificationType.FOLLOW in grouped_types:
        key = Concat(Value("follow-"), hour, output_field=text)
        whens.append(When(type=NotificationType.FOLLOW, filtered__isnull=True, then=key))
    ungrouped = Concat(Value(UNGROUPED), F("id"), output_field=text)
    return Case(*whens, default=ungrouped, output_field=text)


def clean_grouped_types(requested: list[str]) -> tuple[str, ...]:
    if not requested:
        return GROUPABLE_TYPES
    return tuple(t for t in GROUPABLE_TYPES if t in requested)


def grouped_page(
    qs: QuerySet[Notification], page: Page, grouped_types: tuple[str, ...]
) -> list[Notification]:
    """The newest notification of each group within the page's bounds, newest first: what
    Mastodon's paginate_groups returns. Each carries its `group_key`."""
    ascending = page.min_id is not None
    if page.max_id is not None:
        qs = qs.filter(id__lt=page.max_id)
    if ascending:
        qs = qs.filter(id__gt=page.min_id)
    elif page.since_id is not None:
        qs = qs.filter(id__gt=page.since_id)
    key = group_key_sql(grouped_types)
    order = F("id").asc() if ascending else F("id").desc()
    ranked = qs.annotate(
        group_key=key, group_rank=Window(RowNumber(), partition_by=[key], order_by=order)
    ).filter(group_rank=1)
    found: list[Notification] = list(ranked.order_by("id" if ascending else "-id")[: page.limit])
    return found[::-1] if ascending else found


def count_unread_groups(
    qs: QuerySet[Notification], after_id: int | None, grouped_types: tuple[str, ...], cap: int
) -> int:
    if after_id is not None:
        qs = qs.filter(id__gt=after_id)
    key = group_key_sql(grouped_types)
    ranked = qs.annotate(
        group_key=key, group_rank=Window(RowNumber(), partition_by=[key], order_by=F("id").asc())
    ).filter(group_rank=1)
    return ranked.order_by("id")[:cap].count()


def parse_group_key(key: str) -> Q | None:
    """The notifications of a group, read from its key; None for a key we never give out.
    `ungrouped-<id>` names that one notification, whatever its type."""
    kind, _, rest = key.rpartition("-")
    if key.startswith(UNGROUPED):
        number = key.removeprefix(UNGROUPED)
        return Q(id=int(number)) if number.isdigit() else None
    if not rest.isdigit() or int(rest) % GROUP_SPAN_HOURS:
        return None
    start = int(rest) // GROUP_SPAN_HOURS * GROUP_SPAN_IDS
    window = Q(id__gte=start, id__lt=start + GROUP_SPAN_IDS, filtered__isnull=True)
    if kind == NotificationType.FOLLOW:
        return window & Q(type=NotificationType.FOLLOW)
    type_, _, status_id = kind.partition("-")
    if type_ not in GROUPABLE_TYPES or type_ == NotificationType.FOLLOW:
        return None
    if not status_id.isdigit():
        return None
    return window & Q(type=type_, status_id=int(status_id))


def in_group(viewer: Account, key: str) -> QuerySet[Notification]:
    condition = parse_group_key(key)
    qs = Notification.objects.filter(account=viewer, from_account__suspended_at__isnull=True)
    return qs.filter(condition) if condition is not None else qs.none()


@dataclass
class GroupSummary:
    latest_id: int
    count: int
    latest_at: datetime
    page_min_id: int
    sample_account_ids: list[int] = field(default_factory=list)


def summarize_groups(
    viewer: Account, keys: set[str], begin: int | None = None, end: int | None = None
) -> dict[str, GroupSummary]:
    """Counts, newest ids and sample senders of each group, counted up to `end` (the page's
    newest id) as Mastodon counts them; two queries for any number of groups."""
    keys = {k for k in keys if not k.startswith(UNGROUPED)}
    if not keys:
        return {}
    earliest = min(int(k.rpartition("-")[2]) for k in keys) // GROUP_SPAN_HOURS * GROUP_SPAN_IDS
    sql_key = group_key_sql(GROUPABLE_TYPES)
    qs = Notification.objects.filter(
        account=viewer,
        filtered__isnull=True,
        from_account__suspended_at__isnull=True,
        id__gte=earliest,
    )
    if end is not None:
        qs = qs.filter(id__lte=end)
    qs = qs.annotate(group_key=sql_key).filter(group_key__in=keys)
    in_page = Q(id__gte=begin) if begin is not None else Q()
    rows = qs.values("group_key").annotate(
        latest=Max("id"), count=Count("id"), latest_at=Max("created_at"),
        page_min=Min("id", filter=in_page),
    )  # fmt: skip
    summaries = {
        row["group_key"]: GroupSummary(
            row["latest"], row["count"], row["latest_at"], row["page_min"] or row["latest"]
        )
        for row in rows
    }
    ranked = qs.annotate(
        rank=Window(RowNumber(), partition_by=[sql_key], order_by=F("id").desc())
    ).filter(rank__lte=SAMPLE_ACCOUNTS)
    for key, account_id in ranked.order_by("-id").values_list("group_key", "from_account_id"):
        summaries[key].sample_account_ids.append(account_id)
    return summaries


def notification_requests(viewer: Account) -> QuerySet[NotificationRequest]:
    return NotificationRequest.objects.filter(
        account=viewer, from_account__suspended_at__isnull=True
    ).select_related("from_account")


def conversations(viewer: Account) -> QuerySet[AccountConversation]:
    """The viewer's conversations that still hold a post, each with `last_status_id`."""
    return (
        AccountConversation.objects.filter(account=viewer)
        .annotate(last_status_id=Max("statuses__id"))
        .filter(last_status_id__isnull=False)
        .prefetch_related("participants")
    )


def statuses_by_id(ids: list[int]) -> dict[int, Status]:
    from timelines.selectors import hydrate

    return {s.pk: s for s in hydrate(Status.objects.filter(pk__in=ids))} if ids else {}


def bookmarks(viewer: Account) -> QuerySet[Bookmark]:
    return Bookmark.objects.filter(account=viewer, status__in=Status.objects.visible_to(viewer))


def favourites(viewer: Account) -> QuerySet[Favourite]:
    return Favourite.objects.filter(account=viewer, status__in=Status.objects.visible_to(viewer))
