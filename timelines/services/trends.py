"""Trends from recent usage, computed from the database: hashtags by how many accounts used
them, local posts by their recent favourites and boosts, links by how many accounts shared
them. Each comes with Mastodon's seven-day `history`."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Account, Mute
from timelines.models import PreviewCard, PreviewCardStatus, Status, Tag, Visibility

HISTORY_DAYS = 7
MIN_TAG_ACCOUNTS = 2  # one person repeating a tag is not a trend
MIN_LINK_ACCOUNTS = 2
MIN_STATUS_INTERACTIONS = 1

TaggedStatus = Status.tags.through


def history_start() -> datetime:
    today = timezone.now().astimezone(UTC).date()
    return datetime.combine(today - timedelta(days=HISTORY_DAYS - 1), time(), tzinfo=UTC)


def history_days() -> list[date]:
    """Today first, as Mastodon lists them."""
    today = timezone.now().astimezone(UTC).date()
    return [today - timedelta(days=n) for n in range(HISTORY_DAYS)]


def day_entry(day: date, uses: int, accounts: int) -> dict[str, str]:
    stamp = int(datetime.combine(day, time(), tzinfo=UTC).timestamp())
    return {"day": str(stamp), "accounts": str(accounts), "uses": str(uses)}


def trendable_statuses() -> QuerySet[Status]:
    """Public original posts by accounts in good standing: what trends are counted from."""
    return Status.objects.filter(
        visibility=Visibility.PUBLIC,
        reblog__isnull=True,
        account__suspended_at__isnull=True,
        account__silenced_at__isnull=True,
    )


def tag_history(tags: Iterable[Tag]) -> dict[int, list[dict[str, str]]]:
    """Uses (posts) and distinct accounts per day for each tag, in one query."""
    ids = [t.pk for t in tags if t.pk is not None]
    counts: dict[tuple[int, date], tuple[int, int]] = {}
    if ids:
        rows = (
            TaggedStatus.objects.filter(
                tag_id__in=ids,
                status__in=trendable_statuses().filter(created_at__gte=history_start()),
            )
            .annotate(day=TruncDate("status__created_at", tzinfo=UTC))
            .values("tag_id", "day")
            .annotate(
                uses=Count("status_id", distinct=True),
                accounts=Count("status__account_id", distinct=True),
            )  # fmt: skip
        )
        for row in rows:
            counts[(row["tag_id"], row["day"])] = (row["uses"], row["accounts"])
    days = history_days()
    return {
        tag_id: [day_entry(day, *counts.get((tag_id, day), (0, 0))) for day in days]
        for tag_id in ids
    }


def empty_history() -> list[dict[str, str]]:
    return [day_entry(day, 0, 0) for day in history_days()]


def trending_tags(*, offset: int, limit: int) -> list[Tag]:
    recent = trendable_statuses().filter(created_at__gte=history_start())
    ranked = (
        Tag.objects.filter(statuses__in=recent)
        .annotate(
            accounts=Count("statuses__account_id", distinct=True),
            last_used=Max("statuses__created_at"),
        )
        .filter(accounts__gte=MIN_TAG_ACCOUNTS)
        .order_by("-accounts", "-last_used", "name")
    )
    return list(ranked[offset : offset + limit])


def trending_statuses(viewer: Account | None, *, offset: int, limit: int) -> list[int]:
    """Ids of local public posts of the last days, by favourites and boosts received then."""
    since = history_start()
    qs = Status.objects.visible_to(viewer).filter(
        pk__in=trendable_statuses().filter(
            local=True,
            created_at__gte=since,
            in_reply_to__isnull=True,
            sensitive=False,
            spoiler_text="",
            account__discoverable=True,
        )
    )
    if viewer is not None:
        muted = Mute.objects.filter(account=viewer).values("target_account_id")
        qs = qs.exclude(account_id__in=muted)
    ranked = (
        qs.annotate(
            favs=Count("favourites", filter=Q(favourites__created_at__gte=since), distinct=True),
            boosts=Count("reblogs", filter=Q(reblogs__created_at__gte=since), distinct=True),
        )
        .annotate(score=F("favs") + F("boosts"))
        .filter(score__gte=MIN_STATUS_INTERACTIONS)
        .order_by("-score", "-id")
        .values_list("id", flat=True)
    )
    return list(ranked[offset : offset + limit])


@dataclass
class LinkUsage:
    """A trending card with its seven-day history of posts and accounts."""

    card: PreviewCard
    history: list[dict[str, str]] = field(default_factory=list)


def card_history(card_ids: list[int]) -> dict[int, list[dict[str, str]]]:
    counts: dict[tuple[int, date], tuple[int, int]] = {}
    rows = (
        PreviewCardStatus.objects.filter(
            card_id__in=card_ids,
            status__in=trendable_statuses().filter(created_at__gte=history_start()),
        )
        .annotate(day=TruncDate("status__created_at", tzinfo=UTC))
        .values("card_id", "day")
        .annotate(uses=Count("status_id"), accounts=Count("status__account_id", distinct=True))
    )
    for row in rows:
        counts[(row["card_id"], row["day"])] = (row["uses"], row["accounts"])
    days = history_days()
    return {
        card_id: [day_entry(day, *counts.get((card_id, day), (0, 0))) for day in days]
        for card_id in card_ids
    }


def trending_cards() -> QuerySet[PreviewCard]:
    """Cards of links shared by several accounts in recent public posts, most shared first."""
    recent = trendable_statuses().filter(created_at__gte=history_start(), sensitive=False)
    return (
        PreviewCard.objects.filter(status_links__status__in=recent)
        .annotate(
            accounts=Count("status_links__status__account_id", distinct=True),
            uses=Count("status_links__status_id", distinct=True),
        )
        .filter(accounts__gte=MIN_LINK_ACCOUNTS)
        .order_by("-accounts", "-uses", "url")
    )


def trending_links(*, offset: int, limit: int) -> list[LinkUsage]:
    cards = list(trending_cards()[offset : offset + limit])
    history = card_history([card.pk for card in cards])
    return [LinkUsage(card, history[card.pk]) for card in cards]
