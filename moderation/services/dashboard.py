"""The figures on the admin panel's first screen: people, posts, the moderation queue, and
how federation keeps up (Celery queue depths, deliveries, unavailable servers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import redis
from django.apps import apps
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from moderation.models import Report
from timelines.models import Status

# The queues named in fediverse.celery, in the order the dashboard lists them.
QUEUES = ("default", "push", "ingress", "fanout", "media", "scheduler")


@dataclass
class Federation:
    deliveries_waiting: int | None = None
    deliveries_failing: int | None = None
    oldest_delivery_at: datetime | None = None
    unavailable_domains: list[str] = field(default_factory=list)


@dataclass
class Dashboard:
    accounts_total: int
    accounts_active_week: int
    accounts_new_week: int
    posts_total: int
    posts_week: int
    open_reports: int
    pending_sign_ups: int
    # None when the broker is not Redis (eager or in-memory Celery) or cannot be reached.
    queue_depths: dict[str, int] | None
    federation: Federation


def queue_depths() -> dict[str, int] | None:
    url = str(getattr(settings, "CELERY_BROKER_URL", "") or "")
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=2)
        with client.pipeline(transaction=False) as pipe:
            for name in QUEUES:
                pipe.llen(name)
            depths = pipe.execute()
    except redis.RedisError:
        return None
    return dict(zip(QUEUES, (int(d) for d in depths), strict=True))


def federation_health() -> Federation:
    """Read by model name: the delivery models belong to federation, which may lack them."""
    try:
        delivery = apps.get_model("federation", "Delivery")
        unavailable = apps.get_model("federation", "UnavailableDomain")
    except LookupError:
        return Federation()
    oldest = delivery.objects.order_by("created_at").values_list("created_at", flat=True)
    down = unavailable.objects.filter(unavailable_since__isnull=False).order_by("domain")
    return Federation(
        deliveries_waiting=delivery.objects.count(),
        deliveries_failing=delivery.objects.filter(attempts__gt=0).count(),
        oldest_delivery_at=oldest.first(),
        unavailable_domains=list(down.values_list("domain", flat=True)[:50]),
    )


def dashboard() -> Dashboard:
    week_ago = timezone.now() - timedelta(days=7)
    users = User.objects.all()
    posts = Status.objects.filter(local=True)
    return Dashboard(
        accounts_total=users.count(),
        accounts_active_week=users.filter(last_active_at__gte=week_ago).count(),
        accounts_new_week=users.filter(created_at__gte=week_ago).count(),
        posts_total=posts.count(),
        posts_week=posts.filter(created_at__gte=week_ago).count(),
        open_reports=Report.objects.filter(action_taken_at__isnull=True).count(),
        pending_sign_ups=users.filter(approved=False).count(),
        queue_depths=queue_depths(),
        federation=federation_health(),
    )
