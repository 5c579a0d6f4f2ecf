"""Federation's Celery tasks: each takes JSON-able arguments and calls one service."""

from celery import shared_task
from django.db import IntegrityError, OperationalError

from federation.delivery import attempt, claim_due
from federation.services.inbox import do_process_activity


# An activity is applied in one transaction that also records it as processed, so a run that
# failed left nothing and may run again: activities arriving together race for the same new
# rows (an author's first sighting, a shared hashtag), and the loser of such a race must not
# lose the activity the remote server already handed over.
@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(IntegrityError, OperationalError),
    retry_backoff=True,
    max_retries=5,
)
def process_activity(body: str, signer_id: int, recipient_id: int | None = None) -> str:
    """An inbound activity, already authenticated by the inbox view (ingress queue)."""
    return do_process_activity(body=body, signer_id=signer_id, recipient_id=recipient_id)


@shared_task
def send_activity(kind: str, object_id: int) -> int:
    """Render a post, edit, boost or profile update once and store its deliveries (push)."""
    from federation.services.outbox import send_actor_update, send_status_activity

    if kind == "actor":
        return send_actor_update(object_id)
    return send_status_activity(kind, object_id)


@shared_task
def attempt_delivery(delivery_id: int) -> str:
    """One POST of one stored delivery (push queue)."""
    return attempt(delivery_id)


@shared_task
def deliver_due() -> int:
    """Every minute (beat): hand the deliveries whose retry time has come to the workers."""
    ids = claim_due()
    for delivery_id in ids:
        attempt_delivery.apply_async(args=[delivery_id], queue="push")
    return len(ids)
