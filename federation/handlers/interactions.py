"""Like, Announce and Block from remote accounts, and their Undo, through the services the
local actions use (timelines.services.interactions, accounts.services.blocks)."""

from __future__ import annotations

from accounts.models import Account, Block
from accounts.services.blocks import do_block, do_unblock
from federation.handlers.base import Refused
from federation.lookup import account_by_uri, status_by_uri
from federation.parse import Activity
from federation.parse.values import PUBLIC_ALIASES, id_of
from federation.services.remote_statuses import fetch_remote_status
from federation.tombstones import is_tombstoned, record_tombstone
from timelines import feed_events
from timelines.models import Favourite, NotificationType, Status, Visibility
from timelines.services.interactions import do_favourite, do_unfavourite
from timelines.services.notifications import notify

BOOSTABLE = (Visibility.PUBLIC, Visibility.UNLISTED)


def _visible_to(status: Status, actor: Account) -> bool:
    """A remote account may like what it could have received: public posts, posts to its
    author's followers when it follows, and direct posts that mention it."""
    if status.visibility in BOOSTABLE:
        return True
    if status.visibility == Visibility.PRIVATE:
        return status.account.follower_set.filter(account=actor).exists()
    return status.mentions.filter(account=actor).exists()


def handle_like(activity: Activity, actor: Account, recipient: Account | None = None) -> None:
    status = status_by_uri(activity.object_id) if activity.object_id else None
    if status is None or not status.local or is_tombstoned(activity.id):
        return
    if not _visible_to(status, actor):
        raise Refused("A Like of a post its actor cannot see.")
    favourite = do_favourite(account=actor, status=status)
    if activity.id and favourite.uri != activity.id:
        favourite.uri = activity.id
        favourite.save(update_fields=["uri"])


def undo_like(activity: Activity, actor: Account, recipient: Account | None = None) -> None:
    favourite = None
    if activity.object_id:
        favourite = Favourite.objects.filter(account=actor, uri=activity.object_id).first()
    embedded = activity.embedded_object
    if favourite is None and embedded is not None:
        status = status_by_uri(id_of(embedded.get("object")) or "")
        if status is not None:
            favourite = Favourite.objects.filter(account=actor, status=status).first()
    if favourite is not None:
        do_unfavourite(account=actor, status=favourite.status)
    elif activity.object_id:
        record_tombstone(activity.object_id)


def _boost_visibility(activity: Activity) -> str | None:
    if any(uri in PUBLIC_ALIASES for uri in activity.to):
        return Visibility.PUBLIC
    if any(uri in PUBLIC_ALIASES for uri in activity.cc):
        return Visibility.UNLISTED
    return None


def handle_announce(activity: Activity, actor: Account, recipient: Account | None = None) -> None:
    """A boost becomes a reblog row with the Announce's id; the boosted post is fetched
    when it is not known yet."""
    visibility = _boost_visibility(activity)
    if activity.id is None or visibility is None or is_tombstoned(activity.id):
        return
    if Status.objects.filter(uri=activity.id).exists():
        return
    original = status_by_uri(activity.object_id) if activity.object_id else None
    if original is None and activity.object_id:
        original = fetch_remote_status(activity.object_id)
    if original is None or original.visibility not in BOOSTABLE:
        return
    reblog = Status.objects.create(
        account=actor, reblog=original, visibility=visibility, local=False, uri=activity.id,
        url=activity.id,
    )  # fmt: skip
    feed_events.schedule_fan_out(reblog)
    notify(account=original.account, from_account=actor, type=NotificationType.REBLOG,
           status=original)  # fmt: skip


def undo_announce(activity: Activity, actor: Account, recipient: Account | None = None) -> None:
    if activity.object_id is None:
        return
    reblog = Status.objects.filter(
        account=actor, uri=activity.object_id, reblog__isnull=False
    ).first()
    if reblog is None:
        record_tombstone(activity.object_id)
        return
    feed_events.schedule_removal(reblog)
    reblog.delete()


def handle_block(activity: Activity, actor: Account, recipient: Account | None = None) -> None:
    target = account_by_uri(activity.object_id) if activity.object_id else None
    if target is None or not target.local or is_tombstoned(activity.id):
        return
    block = do_block(account=actor, target=target, federate=False)
    if block is not None and activity.id and block.uri != activity.id:
        block.uri = activity.id
        block.save(update_fields=["uri"])


def undo_block(activity: Activity, actor: Account, recipient: Account | None = None) -> None:
    block = None
    if activity.object_id:
        block = Block.objects.filter(account=actor, uri=activity.object_id).first()
    embedded = activity.embedded_object
    if block is None and embedded is not None:
        target = account_by_uri(id_of(embedded.get("object")) or "")
        if target is not None:
            block = Block.objects.filter(account=actor, target_account=target).first()
    if block is not None:
        do_unblock(account=actor, target=block.target_account)
    elif activity.object_id:
        record_tombstone(activity.object_id)
