"""Create and Delete of posts."""

from __future__ import annotations

from accounts.models import Account
from federation.handlers.base import Refused
from federation.parse import Activity, parse_note
from federation.services.remote_statuses import do_create_remote_status
from federation.tombstones import record_tombstone
from timelines.models import Status
from timelines.services.statuses import do_delete_status


def handle_create(activity: Activity, actor: Account, recipient: Account | None = None) -> None:
    embedded = activity.embedded_object
    if embedded is None or activity.object_type != "Note":
        return
    note = parse_note(embedded)
    if note.attributed_to != actor.uri:
        raise Refused("A Note can only be created by its author.")
    do_create_remote_status(account=actor, note=note, recipient=recipient)


def delete_note(activity: Activity, actor: Account, recipient: Account | None = None) -> None:
    uri = activity.object_id
    if uri is None:
        return
    status = Status.objects.filter(uri=uri, account=actor, local=False).first()
    if status is None:
        # The Delete overtook its Create: the Create, when it comes, creates nothing.
        record_tombstone(uri)
        return
    do_delete_status(account=actor, status=status)
