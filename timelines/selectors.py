"""Reads of statuses for pages and the API: timelines, threads, and the per-viewer facts about
a page of statuses, loaded in a few queries for the whole page."""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet

from accounts.models import Account, Follow
from timelines.models import Bookmark, Favourite, Notification, Status, StatusPin, Tag

PAGE_SIZE = 20
MAX_PAGE_SIZE = 40


def _with_relations(qs: QuerySet[Status]) -> QuerySet[Status]:
    return qs.select_related(
        "account",
        "reblog__account",
        "in_reply_to_account",
        "reblog__in_reply_to_account",
        "application",
        "reblog__application",
    ).prefetch_related("mentions__account", "tags", "reblog__mentions__account", "reblog__tags")


def hydrate(qs: QuerySet[Status]) -> QuerySet[Status]:
    """Statuses with everything their entity shows, for a fixed number of queries."""
    return _with_relations(qs)


def paginate(
    qs: QuerySet[Status],
    *,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    limit: int = PAGE_SIZE,
) -> list[Status]:
    """Mastodon's id-based pages: newest first, or oldest-above-min_id first then reversed."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    if max_id is not None:
        qs = qs.filter(id__lt=max_id)
    if since_id is not None:
        qs = qs.filter(id__gt=since_id)
    if min_id is not None:
        return list(reversed(_with_relations(qs.filter(id__gt=min_id)).order_by("id")[:limit]))
    return list(_with_relations(qs).order_by("-id")[:limit])


def home_timeline(viewer: Account) -> QuerySet[Status]:
    followed = Follow.objects.filter(account=viewer).values("target_account_id")
    own_or_followed = Q(account=viewer) | Q(account_id__in=followed)
    # A reply shows on home only when it answers its own author, the viewer or someone followed.
    replies_ok = (
        Q(in_reply_to_account__isnull=True)
        | Q(in_reply_to_account=viewer)
        | Q(in_reply_to_account_id__in=followed)
        | Q(in_reply_to_account_id=F("account_id"))
    )
    return (
        Status.objects.visible_to(viewer)
        .filter(own_or_followed)
        .filter(replies_ok | Q(account=viewer))
    )


def public_timeline(viewer: Account | None, *, local: bool | None = None) -> QuerySet[Status]:
    qs = Status.objects.visible_to(viewer).listed().filter(account__suspended_at__isnull=True)
    qs = qs.filter(account__silenced_at__isnull=True)
    if local is True:
        qs = qs.filter(local=True)
    elif local is False:
        qs = qs.filter(local=False)
    return qs


def tag_timeline(viewer: Account | None, tag_name: str) -> QuerySet[Status]:
    return (
        Status.objects.visible_to(viewer)
        .listed()
        .filter(tags__name__iexact=tag_name, account__suspended_at__isnull=True)
    )


def find_tag(name: str) -> Tag | None:
    return Tag.objects.filter(name__iexact=name).first()


def account_statuses(
    viewer: Account | None, account: Account, *, with_replies: bool = False
) -> QuerySet[Status]:
    qs = Status.objects.visible_to(viewer).filter(account=account)
    if not with_replies:
        qs = qs.filter(Q(in_reply_to__isnull=True) | Q(in_reply_to_account=account))
    return qs


def thread(viewer: Account | None, status: Status) -> tuple[list[Status], list[Status]]:
    """Ancestors (oldest first) and descendants (in reply order) visible to the viewer."""
    visible = Status.objects.visible_to(viewer)
    ancestors: list[Status] = []
    parent_id = status.in_reply_to_id
    while parent_id is not None and len(ancestors) < 40:
        parent = _with_relations(visible.filter(pk=parent_id)).first()
        if parent is None:
            break
        ancestors.append(parent)
        parent_id = parent.in_reply_to_id
    descendants: list[Status] = []
    frontier = [status.pk]
    while frontier and len(descendants) < 200:
        children = list(_with_relations(visible.filter(in_reply_to_id__in=frontier)).order_by("id"))
        descendants.extend(children)
        frontier = [c.pk for c in children]
    descendants.sort(key=lambda s: s.pk)
    return list(reversed(ancestors)), descendants


@dataclass
class StatusFacts:
    """Counts and the viewer's own relation to each status on a page, by status id."""

    replies: dict[int, int] = field(default_factory=dict)
    reblogs: dict[int, int] = field(default_factory=dict)
    favourites: dict[int, int] = field(default_factory=dict)
    favourited: set[int] = field(default_factory=set)
    reblogged: set[int] = field(default_factory=set)
    bookmarked: set[int] = field(default_factory=set)
    muted: set[int] = field(default_factory=set)
    pinned: set[int] = field(default_factory=set)


def status_facts(viewer: Account | None, statuses: list[Status]) -> StatusFacts:
    ids = {s.reblog_id or s.pk for s in statuses}
    facts = StatusFacts()
    if not ids:
        return facts
    counts = Status.objects.filter(pk__in=ids).annotate(
        n_replies=Count("replies", distinct=True),
        n_reblogs=Count("reblogs", distinct=True),
        n_favourites=Count("favourites", distinct=True),
    )
    for row in counts.values("id", "n_replies", "n_reblogs", "n_favourites"):
        facts.replies[row["id"]] = row["n_replies"]
        facts.reblogs[row["id"]] = row["n_reblogs"]
        facts.favourites[row["id"]] = row["n_favourites"]
    if viewer is not None:
        facts.favourited = set(
            Favourite.objects.filter(account=viewer, status_id__in=ids).values_list(
                "status_id", flat=True
            )
        )
        facts.reblogged = set(
            Status.objects.filter(account=viewer, reblog_id__in=ids).values_list(
                "reblog_id", flat=True
            )
        )
        facts.bookmarked = set(
            Bookmark.objects.filter(account=viewer, status_id__in=ids).values_list(
                "status_id", flat=True
            )
        )
        facts.pinned = set(
            StatusPin.objects.filter(account=viewer, status_id__in=ids).values_list(
                "status_id", flat=True
            )
        )
    return facts


def pinned_statuses(qs: QuerySet[Status]) -> QuerySet[Status]:
    return qs.filter(pins__account_id=F("account_id"))


def bookmarked_statuses(viewer: Account) -> QuerySet[Status]:
    ids = Bookmark.objects.filter(account=viewer).values("status_id")
    return Status.objects.visible_to(viewer).filter(pk__in=ids)


def notifications(viewer: Account) -> QuerySet[Notification]:
    return (
        Notification.objects.filter(account=viewer)
        .select_related("from_account", "status__account")
        .order_by("-id")
    )
