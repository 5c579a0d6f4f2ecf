"""The instance's weekly activity as /api/v1/instance/activity shows it: local posts and
sign-ups come from the database; logins are distinct users seen per day, kept in Redis
HyperLogLogs as Mastodon's ActivityTracker keeps them, since the database keeps no history."""

import logging
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

import redis
from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from timelines.models import Status

logger = logging.getLogger(__name__)

WEEKS = 12
# Long enough to cover the twelve weeks shown, with room to spare.
KEEP_SECONDS = 183 * 24 * 3600


@lru_cache(maxsize=1)
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url)


def _redis() -> redis.Redis | None:
    return _client(settings.REDIS_URL) if settings.REDIS_URL else None


def _login_key(day: date) -> str:
    return f"activity:logins:{day.isoformat()}"


def record_login(user_id: int) -> None:
    """Count the user as active today; repeated calls on one day count once."""
    client = _redis()
    if client is None:
        return
    key = _login_key(timezone.now().date())
    try:
        with client.pipeline() as pipe:
            pipe.pfadd(key, str(user_id))
            pipe.expire(key, KEEP_SECONDS)
            pipe.execute()
    except redis.RedisError:
        # A statistic is not worth failing the user's request over while Redis is away.
        logger.warning("Could not record today's activity: Redis is unavailable")


def distinct_logins(first_day: date, days: int = 7) -> int:
    client = _redis()
    if client is None:
        return 0
    keys = [_login_key(first_day + timedelta(days=n)) for n in range(days)]
    return int(client.pfcount(*keys))


def week_starts(today: date) -> list[date]:
    """Week 0 begins today, week 1 seven days earlier, and so on, as Mastodon bins them."""
    return [today - timedelta(weeks=n) for n in range(WEEKS)]


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _counts_per_week(queryset: Any, field: str, starts: list[date]) -> list[int]:
    windows = {
        f"w{n}": Count(
            "pk",
            filter=Q(**{f"{field}__gte": _midnight(start)})
            & Q(**{f"{field}__lt": _midnight(start + timedelta(days=7))}),
        )
        for n, start in enumerate(starts)
    }
    totals = queryset.aggregate(**windows)
    return [totals[f"w{n}"] for n in range(len(starts))]


def weekly_activity() -> list[dict[str, str]]:
    starts = week_starts(timezone.now().date())
    statuses = _counts_per_week(Status.objects.filter(local=True), "created_at", starts)
    registrations = _counts_per_week(User.objects.all(), "created_at", starts)
    return [
        {
            "week": str(int(_midnight(start).timestamp())),
            "statuses": str(statuses[n]),
            "logins": str(distinct_logins(start)),
            "registrations": str(registrations[n]),
        }
        for n, start in enumerate(starts)
    ]
