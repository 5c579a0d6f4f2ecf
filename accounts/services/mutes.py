"""Muting an account hides it from the muter's timelines and, unless asked otherwise, from their
notifications; a duration makes the mute lapse by itself."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Account, Mute
from timelines import feed_events
from timelines.models import Notification


def do_mute(
    *, account: Account, target: Account, notifications: bool = True, duration: int = 0
) -> Mute | None:
    """`duration` in seconds; zero or less mutes until unmuted."""
    if account.pk == target.pk:
        return None
    expires_at = timezone.now() + timedelta(seconds=duration) if duration > 0 else None
    with transaction.atomic():
        mute, _ = Mute.objects.update_or_create(
            account=account,
            target_account=target,
            defaults={"hide_notifications": notifications, "expires_at": expires_at},
        )
        if notifications:
            Notification.objects.filter(account=account, from_account=target).delete()
        feed_events.schedule_unfollow(account.pk, target.pk, everything=True)
    return mute


def do_unmute(*, account: Account, target: Account) -> None:
    with transaction.atomic():
        Mute.objects.filter(account=account, target_account=target).delete()
        # What the mute hid (posts, boosts, replies) comes back: home is rebuilt on next read.
        feed_events.schedule_reset(home_of=account.pk)
