"""Every local action that other servers must hear of, as one function each. The services
of the other apps call these (inside their transaction); each renders the activity once,
works out the distinct inboxes, stores a Delivery per inbox, and has the `push` workers
attempt them once the transaction commits.

Posts, edits and boosts, whose audience may be large, are rendered on the push queue from
ids; the rest are rendered at once, because what they name (a follow, a favourite, the
account itself) may be gone by the time a worker runs."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from accounts.models import Account, Follow
from federation.delivery import store_activity
from federation.instance_actor import signing_key_for
from federation.render import activities
from federation.render.actor import render_actor
from federation.render.context import NOTE_EXTENSIONS, with_context
from federation.render.note import create, note, render_announce, render_delete
from federation.selectors import note_facts
from fediverse.effects import enqueue
from moderation.selectors_emojis import account_emojis
from timelines.models import Mention, Status, Visibility

PUSH_QUEUE = "push"


def preferred_inbox(account: Account) -> str:
    return account.shared_inbox_url or account.inbox_url


def _remote(accounts: Iterable[Account]) -> list[Account]:
    return [a for a in accounts if a.domain is not None and (a.inbox_url or a.shared_inbox_url)]


def follower_inboxes(account: Account) -> list[str]:
    """The inboxes of the hosts with an accepted follower (shared inboxes first)."""
    rows = Follow.objects.filter(target_account=account, account__domain__isnull=False)
    found = rows.values_list("account__shared_inbox_url", "account__inbox_url")
    return list(dict.fromkeys(shared or own for shared, own in found if shared or own))


def status_inboxes(status: Status) -> list[str]:
    """Followers for all but direct posts, plus every mentioned remote account."""
    mentioned = [m.account for m in Mention.objects.filter(status=status).select_related("account")]
    inboxes = [preferred_inbox(a) for a in _remote(mentioned)]
    if status.visibility != Visibility.DIRECT:
        inboxes = [*follower_inboxes(status.account), *inboxes]
    return inboxes


def _send(document: dict[str, Any], account: Account, inboxes: Iterable[str]) -> None:
    """Store now (in the caller's transaction) and attempt after commit."""
    if not account.local or not account.private_key:
        return
    for delivery_id in store_activity(document, signing_key_for(account), inboxes):
        enqueue(attempt_delivery_task(), delivery_id, queue=PUSH_QUEUE)


def attempt_delivery_task() -> Any:
    from federation.tasks import attempt_delivery

    return attempt_delivery


def _later(kind: str, object_id: int) -> None:
    from federation.tasks import send_activity

    enqueue(send_activity, kind, object_id, queue=PUSH_QUEUE)


# Posts ---------------------------------------------------------------------------------


def federate_status(status: Status) -> None:
    """A new post or boost by a local account (rendered on the push queue)."""
    if status.local:
        _later("announce" if status.reblog_id else "create", status.pk)


def federate_edit(status: Status) -> None:
    if status.local:
        _later("update", status.pk)


def federate_delete(status: Status) -> None:
    """Called before the row goes: afterwards nothing says who had to hear of it."""
    if not status.local:
        return
    if status.reblog is not None:
        original = status.reblog
        inner = activities.undo(status.account, render_announce(status, original))
        _send(inner, status.account, [*follower_inboxes(status.account), *_author_inbox(original)])
        return
    rebloggers = Account.objects.filter(statuses__reblog=status, domain__isnull=False)
    inboxes = [*status_inboxes(status), *(preferred_inbox(a) for a in _remote(rebloggers))]
    _send(render_delete(status), status.account, inboxes)


def _author_inbox(status: Status) -> list[str]:
    return [preferred_inbox(a) for a in _remote([status.account])]


def render_update(status: Status) -> dict[str, Any]:
    obj = note(status, note_facts([status])[status.pk])
    stamp = int((status.edited_at or status.created_at).timestamp())
    return with_context(
        {
            "id": f"{status.uri}#updates/{stamp}",
            "type": "Update",
            "actor": status.account.uri,
            "published": obj.get("updated", obj["published"]),
            "to": obj["to"],
            "cc": obj["cc"],
            "object": obj,
        },
        *NOTE_EXTENSIONS,
    )


def send_status_activity(kind: str, status_id: int) -> int:
    """The push task's work for posts: render once, store a delivery per inbox."""
    status = Status.objects.select_related("account", "reblog__account").filter(pk=status_id)
    found = status.first()
    if found is None or not found.local:
        return 0
    if kind == "announce" and found.reblog is not None:
        document = render_announce(found, found.reblog)
        inboxes = [*follower_inboxes(found.account), *_author_inbox(found.reblog)]
    elif kind == "update":
        document, inboxes = render_update(found), status_inboxes(found)
    else:
        document = with_context(create(found, note_facts([found])[found.pk]), *NOTE_EXTENSIONS)
        inboxes = status_inboxes(found)
    ids = store_activity(document, signing_key_for(found.account), inboxes)
    for delivery_id in ids:
        enqueue(attempt_delivery_task(), delivery_id, queue=PUSH_QUEUE)
    return len(ids)


# Interactions with one remote account ----------------------------------------------------


def like_uri(account: Account, status: Status) -> str:
    return f"{account.uri}#likes/{status.pk}"


def federate_favourite(account: Account, status: Status, *, undo: bool = False) -> None:
    if not account.local or status.local:
        return
    document = activities.like(like_uri(account, status), account, status.uri)
    if undo:
        document = activities.undo(account, document)
    _send(with_context(document), account, _author_inbox(status))


def follow_uri(account: Account, target: Account) -> str:
    return f"{account.uri}#follows/{target.pk}"


def federate_follow(account: Account, target: Account, uri: str, *, undo: bool = False) -> None:
    if not account.local or target.local:
        return
    document = activities.follow(uri or follow_uri(account, target), account, target)
    document = activities.undo(account, document) if undo else with_context(document)
    _send(document, account, [target.inbox_url])


def federate_follow_answer(kind: str, follower: Account, target: Account, uri: str) -> None:
    """Accept or Reject, from a local account to a remote follower."""
    if not target.local or follower.local:
        return
    document = activities.answer(kind, uri or follow_uri(follower, target), follower, target)
    _send(document, target, [follower.inbox_url])


def federate_block(account: Account, target: Account, *, undo: bool = False) -> None:
    if not account.local or target.local:
        return
    document = activities.block(f"{account.uri}#blocks/{target.pk}", account, target)
    document = activities.undo(account, document) if undo else with_context(document)
    _send(document, account, [target.inbox_url])


# The account itself --------------------------------------------------------------------


def federate_profile(account: Account) -> None:
    if account.local:
        _later("actor", account.pk)


def send_actor_update(account_id: int) -> int:
    account = Account.objects.filter(pk=account_id, domain__isnull=True).first()
    if account is None:
        return 0
    emojis = account_emojis([account])[account.pk]
    document = activities.update_actor(account, render_actor(account, emojis=emojis))
    ids = store_activity(document, signing_key_for(account), follower_inboxes(account))
    for delivery_id in ids:
        enqueue(attempt_delivery_task(), delivery_id, queue=PUSH_QUEUE)
    return len(ids)


def federate_move(account: Account, target: Account) -> None:
    """`Move` to the servers of every remote follower, whose servers then follow the new
    account on their behalf."""
    if account.local:
        _send(activities.move(account, target), account, follower_inboxes(account))


def known_inboxes() -> list[str]:
    """One inbox per remote account known here, shared inboxes collapsing each server."""
    rows = Account.objects.filter(domain__isnull=False, suspended_at__isnull=True)
    found = rows.values_list("shared_inbox_url", "inbox_url").distinct()
    return list(dict.fromkeys(shared or own for shared, own in found if shared or own))


def federate_account_deletion(account: Account) -> None:
    """Before the account goes: to every server known here, as Mastodon sends it, since any
    of them may hold the account's posts or relationships."""
    if account.local:
        _send(activities.delete_actor(account), account, known_inboxes())


def federate_pin(account: Account, status: Status, *, undo: bool = False) -> None:
    if account.local and status.visibility in (Visibility.PUBLIC, Visibility.UNLISTED):
        document = activities.featured("Remove" if undo else "Add", account, status.uri)
        _send(document, account, follower_inboxes(account))


def federate_vote(account: Account, status: Status, names: list[str]) -> None:
    """A vote on a remote poll: one Create per option chosen, to the poll's owner."""
    if not account.local or status.local:
        return
    for index, name in enumerate(names):
        vote_uri = f"{account.uri}#votes/{status.pk}/{index}"
        document = activities.vote(vote_uri, account, status.uri, status.account.uri, name)
        _send(document, account, [status.account.inbox_url])


def _inbox_on(domain: str) -> str | None:
    """Any known inbox on the server, its shared inbox preferred."""
    rows = Account.objects.filter(domain__iexact=domain, suspended_at__isnull=True)
    for shared, own in rows.values_list("shared_inbox_url", "inbox_url")[:20]:
        if shared or own:
            return shared or own
    return None


def federate_report(
    *, flag_uri: str, target: Account, status_uris: list[str], comment: str, domains: list[str]
) -> None:
    """A report sent on as a Flag from the instance actor: to the reported account's own
    inbox, and to the servers of the people the reported posts replied to when asked."""
    from federation.instance_actor import get_instance_actor

    if target.local or not target.inbox_url:
        return
    others = [d for d in domains if d and d.lower() != (target.domain or "").lower()]
    inboxes = [target.inbox_url, *filter(None, (_inbox_on(d) for d in others))]
    actor = get_instance_actor()
    document = activities.flag(flag_uri, actor, [target.uri, *status_uris], comment)
    _send(document, actor, inboxes)
