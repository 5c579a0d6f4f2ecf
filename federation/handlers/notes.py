"""Create, Update and Delete of posts. Notes and Questions are kept as they are; the other
kinds Mastodon turns into posts (Article, Page, Video…) are converted the same way."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from accounts.models import Account
from federation import http
from federation.handlers.base import Refused
from federation.instance_actor import instance_signing_key
from federation.lookup import status_by_uri
from federation.parse import Activity, ParseError, RemoteNote, parse_note
from federation.parse.note import NOTE_TYPES
from federation.parse.values import type_of
from federation.services.remote_statuses import do_create_remote_status, do_update_remote_status
from federation.tombstones import record_tombstone
from timelines.models import Poll, Status
from timelines.services.polls import do_vote
from timelines.services.statuses import do_delete_status


def _object(activity: Activity) -> dict[str, Any] | None:
    """The embedded object, or the one its id names, fetched from the actor's own host (the
    origin check made sure the id is there)."""
    if activity.embedded_object is not None:
        return activity.embedded_object
    if activity.object_id is None:
        return None
    try:
        return http.fetch_document(activity.object_id, signer=instance_signing_key())
    except http.FetchError:
        return None


def _authored_note(activity: Activity, actor: Account) -> RemoteNote | None:
    document = _object(activity)
    if document is None or type_of(document, NOTE_TYPES) is None:
        return None
    note = parse_note(document)
    if note.attributed_to != actor.uri:
        raise Refused("A post can only be created or changed by its author.")
    if activity.object_id is not None and note.id != activity.object_id:
        raise Refused("The object is not the one the activity names.")
    return note


def handle_create(activity: Activity, actor: Account, recipient: Account | None = None) -> None:
    embedded = activity.embedded_object
    if embedded is not None and type_of(embedded, NOTE_TYPES) is None:
        return
    note = _authored_note(activity, actor)
    if note is None:
        return
    if note.type == "Note" and note.name and note.in_reply_to and not note.content:
        _vote(note, actor)
        return
    do_create_remote_status(account=actor, note=note, recipient=recipient)


def _vote(note: RemoteNote, actor: Account) -> None:
    """A vote on a local poll: a Note whose `name` is the option, in reply to the poll."""
    status = status_by_uri(note.in_reply_to or "")
    if status is None or not status.local:
        return
    poll = Poll.objects.filter(status=status).first()
    if poll is None or note.name not in poll.options:
        return
    try:
        do_vote(account=actor, poll=poll, choices=[poll.options.index(note.name)])
    except ValidationError:
        # Expired, already voted, or one option too many: ignored, as Mastodon does.
        return


def update_note(activity: Activity, actor: Account, recipient: Account | None = None) -> None:
    try:
        note = _authored_note(activity, actor)
    except ParseError:
        return
    if note is not None:
        do_update_remote_status(account=actor, note=note)


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
