"""Flag (a report from another server), Move (an account moved to a new one) and Add/Remove
of an account's featured (pinned) posts."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from accounts.models import Account, Follow
from accounts.services.follows import check_follow, do_follow, do_unfollow
from federation.http import FetchError
from federation.lookup import account_by_uri, same_origin, status_by_uri
from federation.parse import Activity, ParseError
from federation.parse.values import id_of, ids_of, string_of
from federation.resolve import ResolveError, fetch_actor, resolve_account_url
from moderation.models import Report
from moderation.services.reports import MAX_COMMENT, notify_staff_of
from timelines.models import Status, StatusPin, Visibility


def handle_flag(activity: Activity, actor: Account, recipient: Account | None = None) -> None:
    """One report per local account named, with the posts of theirs it names that the
    reporting server could see, into the moderation queue."""
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
    """The actor moved: when the new account names the old one among its aliases, local
    followers follow the new account instead, as Mastodon moves them."""
    target_uri = id_of(activity.raw.get("target"))
    if activity.object_id != actor.uri or not target_uri:
        return
    try:
        # Fetched afresh: the alias must be there now, whatever was cached.
        if actor.uri not in fetch_actor(target_uri).also_known_as:
            return
        target = resolve_account_url(target_uri, refresh=True)
    except (ResolveError, FetchError, ParseError):
        return
    for follow in Follow.objects.filter(target_account=actor, account__domain__isnull=True):
        follower = follow.account
        try:
            check_follow(account=follower, target=target)
        except ValidationError:
            continue
        do_follow(account=follower, target=target)
        do_unfollow(account=follower, target=actor)


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
