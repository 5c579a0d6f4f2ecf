"""Following: a follow of an unlocked account takes effect at once; a locked account gets a
request it can authorize or reject."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Account, AccountDomainBlock, AccountPin, Block, Follow, FollowRequest
from timelines.models import NotificationType
from timelines.services.notifications import notify as _notify


def check_follow(*, account: Account, target: Account) -> None:
    if account.pk == target.pk:
        raise ValidationError("You cannot follow yourself.", code="self")
    if Block.objects.filter(account=target, target_account=account).exists() or (
        Block.objects.filter(account=account, target_account=target).exists()
    ):
        raise ValidationError("You cannot follow this account.", code="blocked")
    if target.domain and (
        AccountDomainBlock.objects.filter(account=account, domain__iexact=target.domain).exists()
    ):
        raise ValidationError("You have blocked this account's domain.", code="blocked")
    if target.suspended_at is not None:
        raise ValidationError("This account is suspended.", code="suspended")


def do_follow(
    *, account: Account, target: Account, reblogs: bool | None = None, notify: bool | None = None
) -> Follow | FollowRequest:
    """Follow, or ask to; following again only changes the options given (None keeps them)."""
    check_follow(account=account, target=target)
    options = {k: v for k, v in (("show_reblogs", reblogs), ("notify", notify)) if v is not None}
    with transaction.atomic():
        existing: Follow | FollowRequest | None = (
            Follow.objects.filter(account=account, target_account=target).first()
            or FollowRequest.objects.filter(account=account, target_account=target).first()
        )
        if existing is not None:
            if options:
                for field, value in options.items():
                    setattr(existing, field, value)
                existing.save(update_fields=list(options))
            return existing
        model = FollowRequest if target.locked else Follow
        created_row, created = model.objects.get_or_create(
            account=account, target_account=target, defaults=options
        )
        if created:
            kind = NotificationType.FOLLOW_REQUEST if target.locked else NotificationType.FOLLOW
            _notify(account=target, from_account=account, type=kind)
        return created_row


def do_unfollow(*, account: Account, target: Account) -> None:
    with transaction.atomic():
        Follow.objects.filter(account=account, target_account=target).delete()
        FollowRequest.objects.filter(account=account, target_account=target).delete()
        # Only followed accounts can be endorsed, so the endorsement goes with the follow.
        AccountPin.objects.filter(account=account, target_account=target).delete()


def do_remove_from_followers(*, account: Account, follower: Account) -> None:
    do_unfollow(account=follower, target=account)


def do_authorize_follow_request(*, request: FollowRequest, announce: bool = False) -> Follow:
    """`announce` gives the target the follow notification, as an answer by hand does."""
    with transaction.atomic():
        follow, _ = Follow.objects.get_or_create(
            account=request.account,
            target_account=request.target_account,
            defaults={"show_reblogs": request.show_reblogs, "notify": request.notify},
        )
        request.delete()
        if announce:
            _notify(
                account=request.target_account,
                from_account=request.account,
                type=NotificationType.FOLLOW,
            )
    return follow


def do_reject_follow_request(*, request: FollowRequest) -> None:
    request.delete()
