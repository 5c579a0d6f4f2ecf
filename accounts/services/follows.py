"""Following: a follow of an unlocked account takes effect at once; a locked account gets a
request it can authorize or reject."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Account, Block, Follow, FollowRequest
from timelines.models import NotificationType
from timelines.services.notifications import notify


def check_follow(*, account: Account, target: Account) -> None:
    if account.pk == target.pk:
        raise ValidationError("You cannot follow yourself.", code="self")
    if Block.objects.filter(account=target, target_account=account).exists() or (
        Block.objects.filter(account=account, target_account=target).exists()
    ):
        raise ValidationError("You cannot follow this account.", code="blocked")
    if target.suspended_at is not None:
        raise ValidationError("This account is suspended.", code="suspended")


def do_follow(*, account: Account, target: Account) -> Follow | FollowRequest:
    check_follow(account=account, target=target)
    with transaction.atomic():
        existing = Follow.objects.filter(account=account, target_account=target).first()
        if existing is not None:
            return existing
        if target.locked:
            request, created = FollowRequest.objects.get_or_create(
                account=account, target_account=target
            )
            if created:
                notify(account=target, from_account=account, type=NotificationType.FOLLOW_REQUEST)
            return request
        follow = Follow.objects.create(account=account, target_account=target)
        notify(account=target, from_account=account, type=NotificationType.FOLLOW)
        return follow


def do_unfollow(*, account: Account, target: Account) -> None:
    with transaction.atomic():
        Follow.objects.filter(account=account, target_account=target).delete()
        FollowRequest.objects.filter(account=account, target_account=target).delete()


def do_authorize_follow_request(*, request: FollowRequest) -> Follow:
    with transaction.atomic():
        follow, _ = Follow.objects.get_or_create(
            account=request.account,
            target_account=request.target_account,
            defaults={"show_reblogs": request.show_reblogs, "notify": request.notify},
        )
        request.delete()
    return follow


def do_reject_follow_request(*, request: FollowRequest) -> None:
    request.delete()
