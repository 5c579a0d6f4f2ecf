"""Rendering and publishing streaming events, run by the tasks once the write has committed.
Entities are rendered once, without a viewer; the streaming hub adds what depends on the
viewer (filters) and drops what they may not see."""

from timelines.models import Notification, Status
from timelines.streaming import publish


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
