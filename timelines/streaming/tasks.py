"""Celery tasks that render and publish streaming events. events.py imports this module, and
the services import events.py, so every worker that runs the services registers them."""

from celery import shared_task

from timelines.streaming import render


@shared_task
def stream_status(status_id: int, event: str) -> None:
    render.stream_status(status_id, event)


@shared_task
def stream_notification(notification_id: int) -> None:
    render.stream_notification(notification_id)


@shared_task
def stream_conversation(account_id: int, entry_id: int) -> None:
    render.stream_conversation(account_id, entry_id)
