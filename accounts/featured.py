"""Selectors for the hashtags an account features: their counts, and the tags it could
feature. Counted for a whole list at once, so the entities need no query of their own."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db.models import Count, Max
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import Account, FeaturedTag
from timelines.models import Status, Tag, TagFollow

SUGGESTED_TAGS = 10
HISTORY_DAYS = 7


@dataclass
class FeaturedTagStats:
    statuses: int = 0
    last_status_at: datetime | None = None


def featured_tags(account: Account) -> list[FeaturedTag]:
    return list(FeaturedTag.objects.filter(account=account).select_related("tag").order_by("id"))


def featured_tag_stats(account: Account, tags: list[FeaturedTag]) -> dict[int, FeaturedTagStats]:
    """Per tag id: the account's public and unlisted posts carrying it, and the latest one."""
    stats = {f.tag_id: FeaturedTagStats() for f in tags}
    rows = (
        Status.objects.filter(
            account=account, visibility__in=("public", "unlisted"), tags__in=list(stats)
        )
        .values("tags")
        .annotate(n=Count("id"), last=Max("created_at"))
    )
    for row in rows:
        stats[row["tags"]] = FeaturedTagStats(row["n"], row["last"])
    return stats


def suggested_tags(account: Account) -> list[Tag]:
    """The tags the account uses most, among those it does not feature yet."""
    featured = FeaturedTag.objects.filter(account=account).values("tag_id")
    return list(
        Tag.objects.filter(statuses__account=account)
        .exclude(pk__in=featured)
        .annotate(uses=Count("statuses"))
        .order_by("-uses", "name")[:SUGGESTED_TAGS]
    )


@dataclass
class TagFacts:
    """Per tag id: daily use over the last week, and the viewer's follows and features."""

    history: dict[int, list[dict[str, str]]] = field(default_factory=dict)
    following: set[int] = field(default_factory=set)
    featuring: set[int] = field(default_factory=set)


def tag_facts(viewer: Account | None, tags: list[Tag]) -> TagFacts:
    ids = [t.pk for t in tags]
    today = timezone.now().astimezone(UTC).date()
    days = [today - timedelta(days=n) for n in range(HISTORY_DAYS)]
    counts: dict[tuple[int, date], dict[str, Any]] = {}
    rows = (
        Status.objects.filter(tags__in=ids, created_at__date__gte=days[-1])
        .annotate(day=TruncDate("created_at", tzinfo=UTC))
        .values("tags", "day")
        .annotate(uses=Count("id", distinct=True), accounts=Count("account", distinct=True))
    )
    for row in rows:
        counts[(row["tags"], row["day"])] = row
    facts = TagFacts()
    for pk in ids:
        facts.history[pk] = [_history_day(day, counts.get((pk, day))) for day in days]
    if viewer is not None:
        facts.following = set(
            TagFollow.objects.filter(account=viewer, tag_id__in=ids).values_list(
                "tag_id", flat=True
            )
        )
        facts.featuring = set(
            FeaturedTag.objects.filter(account=viewer, tag_id__in=ids).values_list(
                "tag_id", flat=True
            )
        )
    return facts


def _history_day(day: date, row: dict[str, Any] | None) -> dict[str, str]:
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return {
        "day": str(int(start.timestamp())),
        "uses": str(row["uses"] if row else 0),
        "accounts": str(row["accounts"] if row else 0),
    }
