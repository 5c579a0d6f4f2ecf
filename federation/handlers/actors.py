"""Update and Delete of actors: a profile change, or an account gone from its server."""

from __future__ import annotations

from django.db import transaction

from accounts.models import Account
from federation.parse import Activity, parse_actor
from federation.resolve import upsert_remote_account
from federation.tombstones import record_tombstone


def handle_update_actor(
    activity: Activity, actor: Account, recipient: Account | None = None
) -> None:
    embedded = activity.embedded_object
    if embedded is None or activity.object_id != actor.uri:
        return
    upsert_remote_account(parse_actor(embedded), domain=actor.domain)


def delete_actor(activity: Activity, actor: Account, recipient: Account | None = None) -> None:
    """The account is gone: it goes here too, with its posts and follows."""
    with transaction.atomic():
        record_tombstone(actor.uri)
        actor.delete()
