"""Flag (a report from another server), Move (an account moved to a new one) and Add/Remove
of an account's featured (pinned) posts."""

from __future__ import annotations

from accounts.models import Account
from accounts.services.migration import do_accept_move
from federation.http import FetchError
from federation.lookup import account_by_uri, is_local_uri, same_origin, status_by_uri
from federation.parse import Activity, ParseError
from federation.parse.values import id_of, ids_of, string_of
from federation.policy import rejects_reports
from federation.resolve import ResolveError, account_from_actor, fetch_actor
from moderation.models import Report
from moderation.services.reports import MAX_COMMENT, notify_staff_of
from timelines.models import Status, StatusPin, Visibility


def handle_flag(activity: Activity, actor: Account, recipient: Account | None = None) -> None:
    """One report per local account named, with the posts of theirs it names that the
    reporting server could see, into the moderation queue, unless moderators chose to
    reject reports from that server."""
    if rejects_reports(actor.domain):
        return
    named = ids_of(activity.raw.get("object"))[:100]
    accounts = [a for a in (account_by_uri(u) for u in named) if a is not None and a.local]
    statuses = [s for s in (status_by_uri(u) for u in named) if s is not None and s.local]
    comment = (string_of(activity.raw, "content") or "")[:MAX_COMMENT]
    for target in {a.pk: a for a in [*accounts, *(s.account for s in statuses)]}.values():
        listed = (Visibility.PUBLIC, Visibility.UNLISTED)
        shown = [s.pk for s in statuses if s.account_id == target.pk and s.visibility in listed]
        report = Report.objects.create(
            account=actor, target_account=target, status_ids=shown, comment=comment,
            uri=(activity.id or "")[:2048],
        )  # fmt: skip
        notify_staff_of(report)


def handle_move(activity: Activity, actor: Account, recipient: Account | None = None) -> None:
    """The actor moved: only when the new account, fetched afresh, names the old one among
    its aliases, does the old one point there and local followers follow the new one."""
    target_uri = id_of(activity.raw.get("target"))
    if activity.object_id != actor.uri or not target_uri or target_uri == actor.uri:
        return
    target = _move_target(target_uri, actor)
    if target is None or target.suspended_at is not None:
        return
    do_accept_move(origin=actor, target=target)


def _move_target(target_uri: str, origin: Account) -> Account | None:
    """The new account, if it lists the origin among its aliases now, whatever was cached."""
    if is_local_uri(target_uri):
        local = account_by_uri(target_uri)
        return local if local is not None and origin.uri in local.also_known_as else None
    try:
        fetched = fetch_actor(target_uri)
        if origin.uri not in fetched.also_known_as:
            return None
        # The origin is locked before the target, in the order an Update of the origin
        # naming its `movedTo` takes them, so that the two arriving together never deadlock.
        Account.objects.select_for_update().filter(pk=origin.pk).first()
        return account_from_actor(fetched, follow_move=False)
    except (ResolveError, FetchError, ParseError):
        return None


def _featured_post(activity: Activity, actor: Account) -> Status | None:
    # Only the actor's own collection on its own host; its posts only.
    target = id_of(activity.raw.get("target"))
    if target is None or not same_origin(target, actor.uri) or activity.object_id is None:
        return None
    return Status.objects.filter(uri=activity.object_id, account=actor, reblog__isnull=True).first()


def handle_add(activity: Activity, actor: Account, recipient: Account | None = None) -> None:
    status = _featured_post(activity, actor)
    if status is not None and status.visibility in (Visibility.PUBLIC, Visibility.UNLISTED):
        StatusPin.objects.get_or_create(account=actor, status=status)


def handle_remove(activity: Activity, actor: Account, recipient: Account | None = None) -> None:
    status = _featured_post(activity, actor)
    if status is not None:
        StatusPin.objects.filter(account=actor, status=status).delete()
