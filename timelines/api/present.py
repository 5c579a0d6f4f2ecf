"""Turn a page of statuses into API entities with a fixed number of queries."""

from typing import Any

from accounts.models import Account
from accounts.selectors import account_stats
from timelines.api.serializers import StatusSerializer
from timelines.models import Status
from timelines.selectors import StatusFacts, status_facts
from timelines.services.filters import match_statuses


def status_context(
    viewer: Account | None, statuses: list[Status], filter_context: str | None = None
) -> dict[str, Any]:
    """`filter_context` (home, public, thread, account, notifications) narrows `filtered` to
    the viewer's filters for that context; without it every active filter is reported, as
    Mastodon does, and the app decides."""
    everything = statuses + [s.reblog for s in statuses if s.reblog is not None]
    accounts = {s.account for s in everything}
    facts = status_facts(viewer, everything)
    if viewer is not None:
        facts.filtered = match_statuses(viewer, statuses, filter_context)
    return {
        "facts": facts,
        "stats": account_stats(accounts),
        "viewer": viewer,
    }


def present_statuses(
    viewer: Account | None,
    statuses: list[Status],
    *,
    filter_context: str | None = None,
    **extra: Any,
) -> list[dict[str, Any]]:
    context = {**status_context(viewer, statuses, filter_context), **extra}
    return [StatusSerializer(s, context=context).data for s in statuses]


def present_timeline(
    viewer: Account | None, statuses: list[Status], filter_context: str
) -> list[dict[str, Any]]:
    """A timeline page without the posts that trigger one of the viewer's "hide" filters for
    this context (never their own posts). Page links stay cut at the unfiltered page."""
    context = status_context(viewer, statuses, filter_context)
    facts: StatusFacts = context["facts"]
    shown = [s for s in statuses if not hidden(s, facts, viewer)]
    return [StatusSerializer(s, context=context).data for s in shown]


def hidden(status: Status, facts: StatusFacts, viewer: Account | None) -> bool:
    if viewer is None or status.account_id == viewer.pk:
        return False
    return any(match.hides for match in facts.filtered.get(status.pk, ()))


def present_status(viewer: Account | None, status: Status, **extra: Any) -> dict[str, Any]:
    return present_statuses(viewer, [status], **extra)[0]
