"""Blocking an account: the two stop following each other, pending requests between them go,
and what the blocked account caused in the blocker's notifications disappears."""

from django.db import transaction

from accounts.models import Account, Block
from accounts.services.follows import do_unfollow
from timelines.models import Notification


def do_block(*, account: Account, target: Account) -> Block | None:
    if account.pk == target.pk:
        return None
    with transaction.atomic():
        do_unfollow(account=account, target=target)
        do_unfollow(account=target, target=account)
        block, _ = Block.objects.get_or_create(account=account, target_account=target)
        Notification.objects.filter(account=account, from_account=target).delete()
    return block


def do_unblock(*, account: Account, target: Account) -> None:
    Block.objects.filter(account=account, target_account=target).delete()
