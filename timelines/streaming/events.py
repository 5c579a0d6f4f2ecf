"""What the services publish, rendered once and sent after commit. Each `schedule_…` function
is called inside the service's transaction; the work runs in a task on commit, so a rolled-back
write streams nothing and the request does not wait for rendering."""

from typing import Any

from django.db import transaction

from fediverse.effects import enqueue
from timelines.models import Notification, Status, Visibility
from timelines.streaming import publish


def schedule_status(status: Status, *, edited: bool = False) -> None:
    from timelines.streaming.tasks import stream_status

    if status.visibility == Visibility.PUBLIC and status.reblog_id is None:
        enqueue(stream_status, status.pk, "status.update" if edited else "update")


def schedule_delete(status_id: int) -> None:
    transaction.on_commit(lambda: publish.publish_delete(status_id))


def schedule_notification(notification: Notification) -> None:
    from timelines.streaming.tasks import stream_notification

    enqueue(stream_notification, notification.pk)


def schedule_conversation(account_id: int, entry_id: int) -> None:
    from timelines.streaming.tasks import stream_conversation

    enqueue(stream_conversation, account_id, entry_id)


def schedule_filters_changed(account_id: int) -> None:
    transaction.on_commit(lambda: publish.publish_to_user(account_id, "filters_changed", ""))


def schedule_announcement(event: str, payload: Any) -> None:
    transaction.on_commit(lambda: publish.publish_announcement(event, payload))


def has_media(status: Status) -> bool:
    from media.models import MediaAttachment

    return MediaAttachment.objects.filter(status_id=status.pk).exists()


def stream_status(status_id: int, event: str) -> None:
    """Public and tag streams get the post rendered without a viewer; the streaming hub checks
    each viewer (blocks, mutes, domain blocks, filters) before sending it."""
    from timelines.api.present import present_status
    from timelines.selectors import hydrate

    status = hydrate(Status.objects.filter(pk=status_id)).first()
    if status is None or status.account.suspended_at or status.account.silenced_at:
        return
    publish.publish_public_status(
        event=event,
        status_id=status.pk,
        payload=present_status(None, status),
        account_id=status.account_id,
        local=status.local,
        media=has_media(status),
        tags=[tag.name for tag in status.tags.all()],
    )


def stream_notification(notification_id: int) -> None:
    from timelines import selectors_inbox as inbox
    from timelines.api.notifications import present_notifications

    notification = (
        Notification.objects.select_related("account", "from_account")
        .filter(pk=notification_id)
        .first()
    )
    if notification is None or notification.pk in inbox.filtered_ids([notification]):
        return  # dismissed already, or held back by the recipient's notification policy
    entity = present_notifications(notification.account, [notification])[0]
    publish.publish_to_user(notification.account_id, "notification", entity)


def stream_conversation(account_id: int, entry_id: int) -> None:
    from accounts.models import Account
    from timelines import selectors_inbox as inbox
    from timelines.api.conversations import present_conversations

    account = Account.objects.filter(pk=account_id, domain__isnull=True).first()
    if account is None:
        return
    entry = inbox.conversations(account).filter(pk=entry_id).first()
    if entry is not None:
        entity = present_conversations(account, [entry])[0]
        publish.publish_to_direct(account_id, "conversation", entity)


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
