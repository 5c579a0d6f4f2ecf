"""Follow, Accept, Reject and Undo of a Follow, through accounts.services.follows, the same
functions the web pages and the API use."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from accounts.models import Account, Follow, FollowRequest
from accounts.services.follows import (
    check_follow,
    do_authorize_follow_request,
    do_follow,
    do_reject_follow_request,
    do_unfollow,
)
from federation.lookup import account_by_uri
from federation.parse import Activity
from federation.parse.values import id_of
from federation.services import outbox
from federation.tombstones import is_tombstoned, record_tombstone


def _local(uri: str | None) -> Account | None:
    account = account_by_uri(uri) if uri else None
    return account if account is not None and account.local else None


def handle_follow(activity: Activity, actor: Account, recipient: Account | None = None) -> None:
    target = _local(activity.object_id)
    if target is None or target.suspended_at is not None or is_tombstoned(activity.id):
        return
    try:
        check_follow(account=actor, target=target)
    except ValidationError:
        # A refused follow (a block) is answered with a Reject, as Mastodon does.
        outbox.federate_follow_answer("Reject", actor, target, activity.id or "")
        return
    row = do_follow(account=actor, target=target)
    if activity.id and row.uri != activity.id:
        row.uri = activity.id
        row.save(update_fields=["uri"])
    if isinstance(row, Follow):
        # An unlocked account accepts at once (again, if the follow was already known).
        outbox.federate_follow_answer("Accept", actor, target, row.uri)


def _followed_object(activity: Activity, actor: Account) -> tuple[str | None, Account | None]:
    """The Follow an Accept or Reject answers: its id, and the local follower it names when
    the Follow is embedded. Only the followed account (the actor) may answer it."""
    embedded = activity.embedded_object
    follower = None
    if embedded is not None:
        if id_of(embedded.get("object")) != actor.uri:
            return activity.object_id, None
        follower = _local(id_of(embedded.get("actor")))
    return activity.object_id, follower


def _pending_request(activity: Activity, actor: Account) -> FollowRequest | None:
    follow_id, follower = _followed_object(activity, actor)
    requests = FollowRequest.objects.filter(target_account=actor, account__domain__isnull=True)
    found = requests.filter(uri=follow_id).first() if follow_id else None
    if found is None and follower is not None:
        found = requests.filter(account=follower).first()
    return found


def handle_accept(activity: Activity, actor: Account, recipient: Account | None = None) -> None:
    request = _pending_request(activity, actor)
    if request is not None:
        follow = do_authorize_follow_request(request=request)
        # The follow keeps the id of the Follow activity, which a later Reject may name.
        if request.uri and follow.uri != request.uri:
            follow.uri = request.uri
            follow.save(update_fields=["uri"])


def handle_reject(activity: Activity, actor: Account, recipient: Account | None = None) -> None:
    request = _pending_request(activity, actor)
    if request is not None:
        do_reject_follow_request(request=request)
        return
    follow_id, follower = _followed_object(activity, actor)
    follows = Follow.objects.filter(target_account=actor, account__domain__isnull=True)
    follow = follows.filter(uri=follow_id).first() if follow_id else None
    if follow is None and follower is not None:
        follow = follows.filter(account=follower).first()
    if follow is not None:
        # A Reject of an accepted follow removes it, as Mastodon does.
        do_unfollow(account=follow.account, target=actor, federate=False)


def undo_follow(activity: Activity, actor: Account, recipient: Account | None = None) -> None:
    follow_id = activity.object_id
    embedded = activity.embedded_object
    targets: dict[int, Account] = {}
    if follow_id:
        for model in (Follow, FollowRequest):
            for row in model.objects.filter(account=actor, uri=follow_id).select_related(
                "target_account"
            ):
                targets[row.target_account_id] = row.target_account
    target = _local(id_of(embedded.get("object"))) if embedded is not None else None
    if target is not None and (
        Follow.objects.filter(account=actor, target_account=target).exists()
        or FollowRequest.objects.filter(account=actor, target_account=target).exists()
    ):
        targets[target.pk] = target
    for local in targets.values():
        do_unfollow(account=actor, target=local, federate=False)
    if not targets and follow_id:
        # The Undo overtook its Follow: the Follow, when it comes, changes nothing.
        record_tombstone(follow_id)
