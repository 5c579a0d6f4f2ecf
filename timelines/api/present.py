"""Turn a page of statuses into API entities with a fixed number of queries."""

from typing import Any

from accounts.models import Account
from accounts.selectors import account_stats
from timelines.api.serializers import StatusSerializer
from timelines.models import Status
from timelines.selectors import status_facts


def status_context(viewer: Account | None, statuses: list[Status]) -> dict[str, Any]:
    everything = statuses + [s.reblog for s in statuses if s.reblog is not None]
    accounts = {s.account for s in everything}
    return {
        "facts": status_facts(viewer, everything),
        "stats": account_stats(accounts),
        "viewer": viewer,
    }


def present_statuses(
    viewer: Account | None, statuses: list[Status], **extra: Any
) -> list[dict[str, Any]]:
    context = {**status_context(viewer, statuses), **extra}
    return [StatusSerializer(s, context=context).data for s in statuses]


def present_status(viewer: Account | None, status: Status, **extra: Any) -> dict[str, Any]:
    return present_statuses(viewer, [status], **extra)[0]
