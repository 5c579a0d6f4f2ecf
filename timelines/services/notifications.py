"""Notifications are created by a task once the action that caused them has committed."""

from accounts.models import Account, AccountDomainBlock, Block, Follow, active_mutes
from fediverse.effects import enqueue
from timelines.models import Notification, Status
from timelines.services.conversation_mutes import is_muted
from timelines.services.notification_policy import create_under_policy


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
    if (
        active_mutes()
        .filter(account_id=account_id, target_account_id=from_account_id, hide_notifications=True)
        .exists()
    ):
        return None
    if _domain_blocked(account_id, from_account_id):
        return None
    if status_id is not None and not Status.objects.filter(pk=status_id).exists():
        return None  # deleted before the task ran
    if status_id is not None and is_muted(account_id=account_id, status_id=status_id):
        return None  # the recipient muted this conversation
    return create_under_policy(
        account_id=account_id, from_account_id=from_account_id, type=type, status_id=status_id
    )


def _domain_blocked(account_id: int, from_account_id: int) -> bool:
    """A blocked domain's accounts stay silent, unless the recipient follows them anyway."""
    domain = Account.objects.filter(pk=from_account_id).values_list("domain", flat=True).first()
    if not domain:
        return False
    return (
        AccountDomainBlock.objects.filter(account_id=account_id, domain=domain.lower()).exists()
        and not Follow.objects.filter(
            account_id=account_id, target_account_id=from_account_id
        ).exists()
    )


def notify_staff(*, from_account: Account, type: str) -> None:
    """admin.sign_up and admin.report go to every moderator and admin, as Mastodon sends them
    to those who can manage users."""
    from accounts.models import STAFF_ROLES, User

    staff = User.objects.filter(role__in=STAFF_ROLES, disabled=False).select_related("account")
    for user in staff:
        notify(account=user.account, from_account=from_account, type=type)


def do_notify_moderation_warning(*, account: Account, warning_id: int) -> Notification | None:
    """A moderator's action, told to the local account it concerns by the server itself
    (Mastodon's moderation_warning); never filtered, since it is not from a person."""
    from django.db import transaction

    from federation.instance_actor import get_instance_actor
    from timelines.models_inbox import MODERATION_WARNING, NotificationWarning
    from timelines.streaming import events as streaming_events

    if not account.local:
        return None
    with transaction.atomic():
        notification = Notification.objects.create(
            account=account, from_account=get_instance_actor(), type=MODERATION_WARNING
        )
        NotificationWarning.objects.create(notification=notification, warning_id=warning_id)
        streaming_events.schedule_notification(notification)
    return notification
