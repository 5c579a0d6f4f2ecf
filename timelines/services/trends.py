"""Trends from recent usage, computed from the database: hashtags by how many accounts used
them, local posts by their recent favourites and boosts, links by how many accounts shared
them. Each comes with Mastodon's seven-day `history`."""

import html
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Count, F, Max, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Account, Mute
from timelines.models import Status, Tag, Visibility

HISTORY_DAYS = 7
MIN_TAG_ACCOUNTS = 2  # one person repeating a tag is not a trend
MIN_LINK_ACCOUNTS = 2
MIN_STATUS_INTERACTIONS = 1
MAX_SCANNED_STATUSES = 5000  # links are read from the newest public posts only

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


ANCHOR_RE = re.compile(r"<a\s([^>]*)>", re.IGNORECASE)
HREF_RE = re.compile(r'href="(https?://[^"]+)"', re.IGNORECASE)
CLASS_RE = re.compile(r'class="([^"]*)"', re.IGNORECASE)


def shared_links(content: str) -> set[str]:
    """The web links in a post's HTML, leaving out mentions and hashtags."""
    found = set()
    for attributes in ANCHOR_RE.findall(content):
        href = HREF_RE.search(attributes)
        classes = CLASS_RE.search(attributes)
        if href is None or (classes and {"mention", "hashtag"} & set(classes.group(1).split())):
            continue
        found.add(html.unescape(href.group(1)))
    return found


@dataclass
class LinkUsage:
    url: str
    accounts: set[int] = field(default_factory=set)
    days: dict[date, list[int]] = field(default_factory=lambda: defaultdict(list))

    def history(self) -> list[dict[str, str]]:
        return [
            day_entry(day, len(self.days.get(day, [])), len(set(self.days.get(day, []))))
            for day in history_days()
        ]


def trending_links(*, offset: int, limit: int) -> list[LinkUsage]:
    recent = (
        trendable_statuses()
        .filter(created_at__gte=history_start(), sensitive=False)
        .order_by("-id")
        .values_list("account_id", "content", "created_at")[:MAX_SCANNED_STATUSES]
    )
    usage: dict[str, LinkUsage] = {}
    for account_id, content, created_at in recent:
        for url in shared_links(content):
            link = usage.setdefault(url, LinkUsage(url))
            link.accounts.add(account_id)
            link.days[created_at.astimezone(UTC).date()].append(account_id)
    ranked = [u for u in usage.values() if len(u.accounts) >= MIN_LINK_ACCOUNTS]
    ranked.sort(key=lambda u: (-len(u.accounts), -sum(len(v) for v in u.days.values()), u.url))
    return ranked[offset : offset + limit]
