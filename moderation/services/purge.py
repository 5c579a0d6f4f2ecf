"""What remains of an account once its suspension can no longer be undone: the row, which
keeps the handle taken and the account refused, and nothing else."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from accounts.models import Account, Block, Follow, FollowRequest, Mute
from federation.services import outbox
from moderation.services.account_actions import SUSPENSION_GRACE_DAYS
from timelines.models import Notification, Status

BATCH = 50


def expired_suspensions() -> list[Account]:
    """Accounts past their grace period that still hold something to delete."""
    cutoff = timezone.now() - timedelta(days=SUSPENSION_GRACE_DAYS)
    holding = (
        ~Q(display_name="")
        | ~Q(note="")
        | Exists(Status.objects.filter(account=OuterRef("pk")))
        | Exists(Follow.objects.filter(target_account=OuterRef("pk")))
        | Exists(Follow.objects.filter(account=OuterRef("pk")))
    )
    return list(Account.objects.filter(holding, suspended_at__lt=cutoff)[:BATCH])


def do_purge_account(*, account: Account) -> None:
    with transaction.atomic():
        # Servers it still follows hear that the account is gone for good.
        outbox.federate_account_deletion(account)
        Status.objects.filter(account=account).delete()
        Notification.objects.filter(Q(account=account) | Q(from_account=account)).delete()
        for model in (Follow, FollowRequest, Block, Mute):
            model.objects.filter(Q(account=account) | Q(target_account=account)).delete()
        account.display_name = ""
        account.note = ""
        account.note_source = ""
        account.fields = []
        account.avatar = ""
        account.header = ""
        account.save(update_fields=["display_name", "note", "note_source", "fields", "avatar",
                                    "header", "updated_at"])  # fmt: skip


def do_purge_expired_suspensions() -> int:
    """Called by the beat task; returns how many accounts it emptied."""
    accounts = expired_suspensions()
    for account in accounts:
        do_purge_account(account=account)
    return len(accounts)
