"""Selectors for the hashtags an account features: their counts, and the tags it could
feature. Counted for a whole list at once, so the entities need no query of their own."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max

from accounts.models import Account, FeaturedTag
from timelines.models import Status, Tag

SUGGESTED_TAGS = 10


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


def featured_tag_ids(viewer: Account | None, tags: list[Tag]) -> set[int]:
    if viewer is None:
        return set()
    ids = [t.pk for t in tags if t.pk is not None]
    return set(
        FeaturedTag.objects.filter(account=viewer, tag_id__in=ids).values_list("tag_id", flat=True)
    )
