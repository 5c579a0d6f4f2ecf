"""Processing one inbound activity, on the ingress workers: parse, check origins, skip what
was already applied, and hand it to the handler for its type. The record of the activity and
its effects are written in one transaction, so a crash leaves neither."""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction

from accounts.models import Account
from federation.handlers import HANDLERS, Refused
from federation.lookup import same_origin
from federation.models import ProcessedActivity, uri_digest
from federation.parse import Activity, MalformedDocument, ParseError, load_document, parse_activity

logger = logging.getLogger(__name__)

# Activities whose object the actor must own: it lives on the actor's host.
OWN_OBJECT_TYPES = frozenset({"Create", "Update", "Delete"})


def check_origin(activity: Activity, signer: Account) -> None:
    """The actor is the signer; the activity and the objects it creates, changes or deletes
    live on the actor's host."""
    if activity.actor != signer.uri:
        raise Refused("The activity's actor is not the signer.")
    if activity.id is not None and not same_origin(activity.id, activity.actor):
        raise Refused("The activity's id is not on the actor's host.")
    if activity.type in OWN_OBJECT_TYPES:
        if activity.object_id is None:
            raise Refused(f"{activity.type} without an object id.")
        if not same_origin(activity.object_id, activity.actor):
            raise Refused("The object is not on the actor's host.")


def _first_time(activity: Activity) -> bool:
    """Record the activity as processed; False when it already was."""
    if activity.id is None:
        return True
    try:
        with transaction.atomic():
            ProcessedActivity.objects.create(
                activity_digest=uri_digest(activity.id), uri=activity.id[:2048]
            )
    except IntegrityError:
        return False
    return True


def do_process_activity(*, body: str, signer_id: int, recipient_id: int | None = None) -> str:
    """Apply the activity; returns what happened ("applied", "duplicate", "ignored" or
    "refused"), for logs and tests."""
    signer = Account.objects.filter(pk=signer_id, suspended_at__isnull=True).first()
    if signer is None:
        return "refused"
    try:
        activity = parse_activity(load_document(body))
        check_origin(activity, signer)
    except (MalformedDocument, ParseError, Refused) as error:
        logger.info("Refused an activity from %s: %s", signer.uri, error)
        return "refused"
    handler = HANDLERS.get(activity.type)
    if handler is None:
        return "ignored"
    recipient = None
    if recipient_id is not None:
        recipient = Account.objects.filter(pk=recipient_id, domain__isnull=True).first()
    try:
        with transaction.atomic():
            if not _first_time(activity):
                return "duplicate"
            handler(activity, signer, recipient)
    except (ParseError, Refused) as error:
        logger.info("Refused %s %s: %s", activity.type, activity.id, error)
        return "refused"
    return "applied"
