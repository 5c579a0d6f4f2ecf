"""Actor and post documents: /users/<name>, /actor, /users/<name>/statuses/<id> and the
activity and small collections hung on a post."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_safe

from accounts.models import Account
from federation.authentication import Rejected, fetch_viewer
from federation.instance_actor import get_instance_actor, is_instance_actor
from federation.negotiation import activitypub_response, wants_activitypub
from federation.render.actor import render_actor, render_instance_actor
from federation.render.collections import collection, ordered_collection, unordered_page
from federation.render.context import with_context
from federation.render.emoji import emoji_tag
from federation.render.note import render_announce, render_create, render_note, replies_uri
from federation.selectors import local_account, note_facts, reply_page, visible_status
from federation.views.common import activitypub_view, available_account, int_param
from fediverse import uris
from moderation.models import CustomEmoji
from moderation.selectors_emojis import account_emojis
from timelines.models import Status, Visibility


def actor_response(request: HttpRequest, account: Account) -> HttpResponse:
    """The actor document. When signatures are required, an unsigned request still gets the
    fields needed to verify this account's signatures, as Mastodon does."""
    if is_instance_actor(account):
        return activitypub_response(render_instance_actor(account))
    try:
        fetch_viewer(request)
        restricted = False
    except Rejected:
        restricted = True
    emojis = account_emojis([account])[account.pk]
    return activitypub_response(render_actor(account, restricted=restricted, emojis=emojis))


@require_safe
def actor(request: HttpRequest, username: str) -> HttpResponse:
    account = local_account(username)
    if account is None:
        raise Http404("No such account")
    if not wants_activitypub(request):
        return HttpResponseRedirect(uris.account_url(account.username))
    return actor_response(request, account)


@require_safe
def emoji(request: HttpRequest, emoji_id: int) -> HttpResponse:
    """A local custom emoji's own document, which its id in Emoji tags names."""
    found = CustomEmoji.objects.filter(pk=emoji_id, domain__isnull=True, disabled=False).first()
    if found is None or not found.image:
        raise Http404("No such emoji")
    return activitypub_response(with_context(emoji_tag(found), "emoji"))


@require_safe
def instance_actor(request: HttpRequest) -> HttpResponse:
    return activitypub_response(render_instance_actor(get_instance_actor()))


def _status(account: Account, status_id: int, viewer: Account | None) -> Status:
    status = visible_status(account, status_id, viewer)
    if status is None:
        raise Http404("No such post")
    return status


def note_document(viewer: Account | None, username: str, status_id: int) -> dict[str, Any]:
    status = _status(available_account(username), status_id, viewer)
    return render_note(status, note_facts([status])[status.pk])


@require_safe
def note(request: HttpRequest, username: str, status_id: str) -> HttpResponse:
    """Browsers go to the post's page; ActivityPub clients get the Note."""
    if not wants_activitypub(request):
        account = available_account(username)
        return HttpResponseRedirect(uris.status_url(account.username, int(status_id)))
    return _note(request, username, int(status_id))


@activitypub_view
def _note(
    request: HttpRequest, viewer: Account | None, username: str, status_id: int
) -> dict[str, Any]:
    return note_document(viewer, username, status_id)


@activitypub_view
def activity(
    request: HttpRequest, viewer: Account | None, username: str, status_id: int
) -> dict[str, Any]:
    account = available_account(username)
    row = (
        Status.objects.visible_to(viewer)
        .filter(pk=status_id, account=account)
        .select_related("account", "reblog__account")
        .first()
    )
    if row is None:
        raise Http404("No such post")
    if row.reblog is not None:
        if row.reblog.visibility not in (Visibility.PUBLIC, Visibility.UNLISTED):
            raise Http404("No such post")
        return render_announce(row, row.reblog)
    return render_create(row, note_facts([row])[row.pk])


@activitypub_view
def replies(
    request: HttpRequest, viewer: Account | None, username: str, status_id: int
) -> dict[str, Any]:
    status = _status(available_account(username), status_id, viewer)
    base = replies_uri(status)
    if "page" not in request.GET:
        own, more_own = reply_page(status, other_accounts=False, min_id=None)
        first = _replies_page(base, own, False, more_own)
        # Embedded, the first page carries neither a context nor an id of its own.
        first.pop("@context")
        first.pop("id")
        return collection(base, first=first)
    other_accounts = request.GET.get("only_other_accounts") == "true"
    items, more = reply_page(
        status, other_accounts=other_accounts, min_id=int_param(request, "min_id")
    )
    return _replies_page(base, items, other_accounts, more)


def _replies_page(
    base: str, items: list[tuple[int, str]], other_accounts: bool, more: bool
) -> dict[str, Any]:
    """The author's own replies first; after them, everyone else's."""
    flag = "&only_other_accounts=true" if other_accounts else ""
    if items and more:
        next_page: str | None = f"{base}?min_id={items[-1][0]}{flag}&page=true"
    elif not other_accounts:
        next_page = f"{base}?only_other_accounts=true&page=true"
    else:
        next_page = None
    page_id = f"{base}?page=true{flag}"
    return unordered_page(
        page_id, part_of=base, items=[uri for _, uri in items], next_page=next_page
    )


@activitypub_view
def likes(
    request: HttpRequest, viewer: Account | None, username: str, status_id: int
) -> dict[str, Any]:
    status = _status(available_account(username), status_id, viewer)
    return collection(f"{status.uri}/likes", total=note_facts([status])[status.pk].favourites_count)


@activitypub_view
def shares(
    request: HttpRequest, viewer: Account | None, username: str, status_id: int
) -> dict[str, Any]:
    status = _status(available_account(username), status_id, viewer)
    return collection(f"{status.uri}/shares", total=note_facts([status])[status.pk].reblogs_count)


@require_safe
def instance_actor_outbox(request: HttpRequest) -> HttpResponse:
    """The server itself publishes nothing."""
    actor = get_instance_actor()
    return activitypub_response(ordered_collection(actor.outbox_url, total=0, items=[]))
