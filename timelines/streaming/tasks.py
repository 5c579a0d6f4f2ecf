"""Celery tasks that render and publish streaming events (imported by the services that
schedule them, so every worker registers them)."""

from celery import shared_task

from timelines.streaming import events


@shared_task
def stream_status(status_id: int, event: str) -> None:
    events.stream_status(status_id, event)


@shared_task
def stream_notification(notification_id: int) -> None:
    events.stream_notification(notification_id)


@shared_task
def stream_conversation(account_id: int, entry_id: int) -> None:
    events.stream_conversation(account_id, entry_id)
