"""Following: a follow of an unlocked account takes effect at once; a locked account gets a
request it can authorize or reject."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Account, AccountDomainBlock, AccountPin, Block, Follow, FollowRequest
from federation.services import outbox
from timelines import feed_events
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


def needs_approval(*, account: Account, target: Account) -> bool:
    """Locked accounts approve every follower; anyone approves a limited account's follow
    unless they already follow it themselves."""
    if target.locked:
        return True
    return account.silenced_at is not None and not (
        Follow.objects.filter(account=target, target_account=account).exists()
    )


def do_follow(
    *,
    account: Account,
    target: Account,
    reblogs: bool | None = None,
    notify: bool | None = None,
    languages: list[str] | None = None,
) -> Follow | FollowRequest:
    """Follow, or ask to; following again only changes the options given (None keeps them)."""
    check_follow(account=account, target=target)
    given = (("show_reblogs", reblogs), ("notify", notify), ("languages", languages))
    options = {k: v for k, v in given if v is not None}
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
        # A remote account answers with Accept (or Reject): until then it is a request.
        asks = needs_approval(account=account, target=target) or not target.local
        model = FollowRequest if asks else Follow
        created_row, created = model.objects.get_or_create(
            account=account, target_account=target, defaults=options
        )
        if created and account.local and not target.local:
            created_row.uri = outbox.follow_uri(account, target)
            created_row.save(update_fields=["uri"])
            outbox.federate_follow(account, target, created_row.uri)
        if created:
            kind = NotificationType.FOLLOW_REQUEST if asks else NotificationType.FOLLOW
            _notify(account=target, from_account=account, type=kind)
        if created and not asks and account.local:
            feed_events.schedule_follow(account.pk, target.pk)
        return created_row


def do_unfollow(*, account: Account, target: Account, federate: bool = True) -> None:
    """`federate=False` when the other server itself took the follow back (its Undo or
    Reject): nothing is sent back."""
    with transaction.atomic():
        if federate:
            _federate_unfollow(account, target)
        Follow.objects.filter(account=account, target_account=target).delete()
        FollowRequest.objects.filter(account=account, target_account=target).delete()
        # Only followed accounts can be endorsed, so the endorsement goes with the follow.
        AccountPin.objects.filter(account=account, target_account=target).delete()
        if account.local:
            feed_events.schedule_unfollow(account.pk, target.pk)


def _federate_unfollow(account: Account, target: Account) -> None:
    """Undo of our Follow to a remote account; Reject of a remote follower's Follow."""
    rows: list[Follow | FollowRequest] = [
        *Follow.objects.filter(account=account, target_account=target),
        *FollowRequest.objects.filter(account=account, target_account=target),
    ]
    for row in rows:
        if account.local:
            outbox.federate_follow(account, target, row.uri, undo=True)
        else:
            outbox.federate_follow_answer("Reject", account, target, row.uri)


def do_remove_from_followers(*, account: Account, follower: Account) -> None:
    do_unfollow(account=follower, target=account)


def do_authorize_follow_request(*, request: FollowRequest, announce: bool = False) -> Follow:
    """`announce` gives the target the follow notification, as an answer by hand does."""
    with transaction.atomic():
        follow, _ = Follow.objects.get_or_create(
            account=request.account,
            target_account=request.target_account,
            defaults={
                "show_reblogs": request.show_reblogs,
                "notify": request.notify,
                "languages": request.languages,
                "uri": request.uri,
            },  # fmt: skip
        )
        request.delete()
        if request.account.local:
            feed_events.schedule_follow(request.account_id, request.target_account_id)
        outbox.federate_follow_answer(
            "Accept", request.account, request.target_account, request.uri
        )
        if announce:
            _notify(
                account=request.target_account,
                from_account=request.account,
                type=NotificationType.FOLLOW,
            )
    return follow


def do_reject_follow_request(*, request: FollowRequest) -> None:
    outbox.federate_follow_answer("Reject", request.account, request.target_account, request.uri)
    request.delete()
