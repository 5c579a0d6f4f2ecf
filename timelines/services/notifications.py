"""Notifications are created by a task once the action that caused them has committed."""

from accounts.models import Account, Block, Mute
from fediverse.effects import enqueue
from timelines.models import Notification, Status


def notify(
    *, account: Account, from_account: Account, type: str, status: Status | None = None
) -> None:
    if not account.local or account.pk == from_account.pk:
        return
    from timelines.tasks import create_notification

    enqueue(
        create_notification,
        account.pk,
        from_account.pk,
        type,
        status.pk if status is not None else None,
    )


def do_create_notification(
    *, account_id: int, from_account_id: int, type: str, status_id: int | None
) -> Notification | None:
    if Block.objects.filter(account_id=account_id, target_account_id=from_account_id).exists():
        return None
    if Mute.objects.filter(
        account_id=account_id, target_account_id=from_account_id, hide_notifications=True
    ).exists():
        return None
    if status_id is not None and not Status.objects.filter(pk=status_id).exists():
        return None  # deleted before the task ran
    return Notification.objects.create(
        account_id=account_id, from_account_id=from_account_id, type=type, status_id=status_id
    )
