"""Federation's Celery tasks: each takes JSON-able arguments and calls one service."""

from celery import shared_task

from federation.services.inbox import do_process_activity


@shared_task
def process_activity(body: str, signer_id: int, recipient_id: int | None = None) -> str:
    """An inbound activity, already authenticated by the inbox view (ingress queue)."""
    return do_process_activity(body=body, signer_id=signer_id, recipient_id=recipient_id)
