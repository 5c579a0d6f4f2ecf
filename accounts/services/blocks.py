"""Blocking an account: the two stop following each other, pending requests between them go,
and what the blocked account caused in the blocker's notifications disappears."""

from django.db import transaction

from accounts.models import Account, Block
from accounts.services.follows import do_unfollow
from federation.services import outbox
from timelines import feed_events
from timelines.models import Notification


def do_block(*, account: Account, target: Account, federate: bool = True) -> Block | None:
    """`federate=False` when the block itself came from the other server."""
    if account.pk == target.pk:
        return None
    with transaction.atomic():
        do_unfollow(account=account, target=target, federate=federate)
        do_unfollow(account=target, target=account, federate=federate)
        block, created = Block.objects.get_or_create(account=account, target_account=target)
        if created and federate:
            outbox.federate_block(account, target)
        Notification.objects.filter(account=account, from_account=target).delete()
        if account.local:
            feed_events.schedule_unfollow(account.pk, target.pk, everything=True)
    return block


def do_unblock(*, account: Account, target: Account) -> None:
    if Block.objects.filter(account=account, target_account=target).delete()[0]:
        outbox.federate_block(account, target, undo=True)
