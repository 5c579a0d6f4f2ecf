"""The dispatch table for inbound activities: one handler per type, each calling the same
services as the local action it mirrors. Origins are checked before a handler runs
(federation.services.inbox); handlers check what only they can (authorship, ownership)."""

from __future__ import annotations

from accounts.models import Account
from federation.handlers.accounts import handle_add, handle_flag, handle_move, handle_remove
from federation.handlers.actors import delete_actor, handle_update_actor
from federation.handlers.base import Handler, Refused
from federation.handlers.follows import handle_accept, handle_follow, handle_reject, undo_follow
from federation.handlers.interactions import (
    handle_announce,
    handle_block,
    handle_like,
    undo_announce,
    undo_block,
    undo_like,
)
from federation.handlers.notes import delete_note, handle_create, update_note
from federation.lookup import same_origin
from federation.parse import Activity
from federation.parse.values import id_of, type_of

__all__ = ["HANDLERS", "UNDO_HANDLERS", "Refused"]

# Undo, by the type of the activity it takes back.
UNDO_HANDLERS: dict[str, Handler] = {
    "Follow": undo_follow,
    "Like": undo_like,
    "Announce": undo_announce,
    "Block": undo_block,
}


def handle_undo(activity: Activity, actor: Account, recipient: Account | None = None) -> None:
    embedded = activity.embedded_object
    if embedded is not None:
        inner_actor = id_of(embedded.get("actor"))
        if inner_actor is not None and inner_actor != actor.uri:
            raise Refused("Only the actor of an activity can undo it.")
        if activity.object_id and not same_origin(activity.object_id, actor.uri):
            raise Refused("The undone activity is not on the actor's host.")
        handler = UNDO_HANDLERS.get(type_of(embedded) or "")
    else:
        # Only an id: what it was is known only from what was stored under that id.
        handler = _undo_by_id
    if handler is not None:
        handler(activity, actor, recipient)


def _undo_by_id(activity: Activity, actor: Account, recipient: Account | None = None) -> None:
    """Each kind looks for its own row under the id; those that find none remember it."""
    for handler in UNDO_HANDLERS.values():
        handler(activity, actor, recipient)


def handle_delete(activity: Activity, actor: Account, recipient: Account | None = None) -> None:
    if activity.object_id == actor.uri:
        delete_actor(activity, actor, recipient)
    else:
        delete_note(activity, actor, recipient)


def handle_update(activity: Activity, actor: Account, recipient: Account | None = None) -> None:
    if activity.object_id == actor.uri:
        handle_update_actor(activity, actor, recipient)
    else:
        update_note(activity, actor, recipient)


HANDLERS: dict[str, Handler] = {
    "Follow": handle_follow,
    "Accept": handle_accept,
    "Reject": handle_reject,
    "Undo": handle_undo,
    "Create": handle_create,
    "Delete": handle_delete,
    "Update": handle_update,
    "Like": handle_like,
    "Announce": handle_announce,
    "Block": handle_block,
    "Flag": handle_flag,
    "Move": handle_move,
    "Add": handle_add,
    "Remove": handle_remove,
}
