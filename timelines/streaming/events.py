"""What the services publish, sent after commit. Each `schedule_…` function is called inside
the service's transaction; rendering runs in a task (render.py) on commit, so a rolled-back
write streams nothing and the request does not wait for it."""

from typing import Any

from django.db import transaction

from fediverse.effects import enqueue
from timelines.models import Notification, Status, Visibility

# Imported here so that every Celery worker, which imports the services, knows the tasks.
from timelines.streaming import publish, tasks


def schedule_status(status: Status, *, edited: bool = False) -> None:
    if status.visibility == Visibility.PUBLIC and status.reblog_id is None:
        enqueue(tasks.stream_status, status.pk, "status.update" if edited else "update")
    if edited and status.reblog_id is None:
        # New posts reach home and list streams through their fan-out; edits through this.
        from timelines.tasks import fan_out_status_update

        enqueue(fan_out_status_update, status.pk, queue="fanout")


def schedule_delete(status_id: int) -> None:
    transaction.on_commit(lambda: publish.publish_delete(status_id))


def schedule_notification(notification: Notification) -> None:
    enqueue(tasks.stream_notification, notification.pk)


def schedule_conversation(account_id: int, entry_id: int) -> None:
    enqueue(tasks.stream_conversation, account_id, entry_id)


def schedule_filters_changed(account_id: int) -> None:
    transaction.on_commit(lambda: publish.publish_to_user(account_id, "filters_changed", ""))


def schedule_announcement(event: str, payload: Any) -> None:
    transaction.on_commit(lambda: publish.publish_announcement(event, payload))


def schedule_announcement_reaction(announcement_id: int, name: str) -> None:
    """`announcement.reaction` carries the new count of that reaction, as in Mastodon."""

    def send() -> None:
        from moderation.models import AnnouncementReaction

        count = AnnouncementReaction.objects.filter(
            announcement_id=announcement_id, name=name
        ).count()
        payload = {"name": name, "count": count, "announcement_id": str(announcement_id)}
        publish.publish_announcement("announcement.reaction", payload)

    transaction.on_commit(send)
