"""An account's collections: outbox (public and unlisted posts and boosts), followers and
following (counts always; pages unless the account hides them), featured posts (pins) and
featured hashtags."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_safe

from accounts.models import Account
from federation.negotiation import wants_activitypub
from federation.render.actor import collection_uri
from federation.render.collections import (
    collection,
    hashtag,
    ordered_collection,
    ordered_page,
)
from federation.render.context import NOTE_EXTENSIONS
from federation.render.note import announce, create, note
from federation.selectors import (
    featured_tag_names,
    follow_page_uris,
    follows_of,
    note_facts,
    outbox_page,
    outbox_statuses,
    pinned_statuses,
)
from federation.views.common import activitypub_view, available_account, int_param
from timelines.models import Status


def _outbox_item(status: Status, facts: dict[int, Any]) -> dict[str, Any]:
    if status.reblog is not None:
        return announce(status, status.reblog)
    return create(status, facts[status.pk])


@activitypub_view
def outbox(request: HttpRequest, viewer: Account | None, username: str) -> dict[str, Any]:
    account = available_account(username)
    base = collection_uri(account, "outbox")
    if request.GET.get("page") != "true":
        return ordered_collection(
            base,
            total=outbox_statuses(account).count(),
            first=f"{base}?page=true",
            last=f"{base}?min_id=0&page=true",
        )
    max_id, min_id = int_param(request, "max_id"), int_param(request, "min_id")
    statuses = outbox_page(account, max_id=max_id, min_id=min_id)
    facts = note_facts([s for s in statuses if s.reblog_id is None])
    query = "&".join(
        f"{name}={value}" for name, value in (("max_id", max_id), ("min_id", min_id)) if value
    )
    return ordered_page(
        f"{base}?{query + '&' if query else ''}page=true",
        part_of=base,
        items=[_outbox_item(s, facts) for s in statuses],
        next_page=f"{base}?max_id={statuses[-1].pk}&page=true" if statuses else None,
        prev_page=f"{base}?min_id={statuses[0].pk}&page=true" if statuses else None,
        extensions=NOTE_EXTENSIONS,
    )


def _follow_collection(request: HttpRequest, username: str, direction: str) -> dict[str, Any]:
    account = available_account(username)
    base = collection_uri(account, direction)
    total = follows_of(account, direction).count()
    page = int_param(request, "page")
    if page is None or page < 1:
        return ordered_collection(base, total=total, first=f"{base}?page=1")
    if account.hide_collections:
        raise PermissionDenied("This account hides its connections.")
    uris, more = follow_page_uris(account, direction, page)
    return ordered_page(
        f"{base}?page={page}",
        part_of=base,
        total=total,
        items=uris,
        next_page=f"{base}?page={page + 1}" if more else None,
        prev_page=f"{base}?page={page - 1}" if page > 1 else None,
    )


@activitypub_view
def _followers(request: HttpRequest, viewer: Account | None, username: str) -> dict[str, Any]:
    return _follow_collection(request, username, "followers")


@activitypub_view
def _following(request: HttpRequest, viewer: Account | None, username: str) -> dict[str, Any]:
    return _follow_collection(request, username, "following")


@require_safe
def followers(request: HttpRequest, username: str) -> HttpResponse:
    """Browsers go to the followers page; ActivityPub clients get the collection."""
    if not wants_activitypub(request) and "page" not in request.GET:
        return HttpResponseRedirect(f"/@{available_account(username).username}/followers")
    return _followers(request, username)


@require_safe
def following(request: HttpRequest, username: str) -> HttpResponse:
    if not wants_activitypub(request) and "page" not in request.GET:
        return HttpResponseRedirect(f"/@{available_account(username).username}/following")
    return _following(request, username)


@activitypub_view
def featured(request: HttpRequest, viewer: Account | None, username: str) -> dict[str, Any]:
    account = available_account(username)
    statuses = pinned_statuses(account)
    facts = note_facts(statuses)
    return ordered_collection(
        collection_uri(account, "collections/featured"),
        total=len(statuses),
        items=[note(s, facts[s.pk]) for s in statuses],
        extensions=NOTE_EXTENSIONS,
    )


@activitypub_view
def featured_tags(request: HttpRequest, viewer: Account | None, username: str) -> dict[str, Any]:
    account = available_account(username)
    names = featured_tag_names(account)
    return collection(
        collection_uri(account, "collections/tags"),
        total=len(names),
        items=[hashtag(name) for name in names],
        extensions=("hashtag",),
    )
