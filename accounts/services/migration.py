"""Moving between accounts, as Mastodon does: aliases (`alsoKnownAs`) that vouch for a move
here, a move out of a local account (its followers told with `Move`, the local ones moved at
once), a redirect without moving anyone, and the followers' side of a move from elsewhere."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import (
    Account,
    AccountMigration,
    Block,
    Follow,
    FollowRequest,
    Mute,
    User,
    active_mutes,
)
from accounts.services.blocks import do_block
from accounts.services.follows import (
    check_follow,
    do_authorize_follow_request,
    do_follow,
    do_unfollow,
)
from accounts.services.mutes import do_mute
from federation.services import outbox

# Mastodon's AccountMigration::COOLDOWN_PERIOD.
MOVE_COOLDOWN = timedelta(days=30)
MAX_ALIASES = 20


def _resolve(handle: str, *, refresh: bool) -> Account:
    """The account a handle (user@domain, local or remote) names, fetched through
    federation when remote."""
    from federation.resolve import ResolveError, resolve_handle

    handle = handle.strip().removeprefix("@")
    if not handle:
        raise ValidationError({"acct": "Enter the handle of the account, as user@domain."})
    try:
        return resolve_handle(handle, refresh=refresh)
    except ResolveError as error:
        raise ValidationError({"acct": f"No account was found at {handle}."}) from error


# Aliases ---------------------------------------------------------------------------------


def check_alias(*, account: Account, handle: str) -> Account:
    other = _resolve(handle, refresh=True)
    if other.pk == account.pk:
        raise ValidationError({"acct": "An account cannot be an alias of itself."})
    if other.uri in account.also_known_as:
        raise ValidationError({"acct": "This alias is already listed."})
    if len(account.also_known_as) >= MAX_ALIASES:
        raise ValidationError({"acct": f"At most {MAX_ALIASES} aliases."})
    return other


def do_add_alias(*, account: Account, handle: str) -> Account:
    """Returns the account now listed; other servers see the alias in the actor document."""
    other = check_alias(account=account, handle=handle)
    with transaction.atomic():
        account.also_known_as = [*account.also_known_as, other.uri]
        account.save(update_fields=["also_known_as", "updated_at"])
        outbox.federate_profile(account)
    return other


def do_remove_alias(*, account: Account, uri: str) -> None:
    if uri not in account.also_known_as:
        return
    with transaction.atomic():
        account.also_known_as = [u for u in account.also_known_as if u != uri]
        account.save(update_fields=["also_known_as", "updated_at"])
        outbox.federate_profile(account)


def alias_accounts(account: Account) -> list[tuple[str, Account | None]]:
    """Each alias URI with the account known under it, for display."""
    known = {a.uri: a for a in Account.objects.filter(uri__in=account.also_known_as)}
    return [(uri, known.get(uri)) for uri in account.also_known_as]


# Moving out ------------------------------------------------------------------------------


def _check_password(user: User, password: str) -> None:
    if not user.check_password(password):
        raise ValidationError({"current_password": "The current password is not right."})


def cooldown_ends_at(account: Account) -> datetime | None:
    """When the account may move again, if a recent move keeps it from moving now."""
    last = account.migrations.order_by("-created_at").first()
    if last is None or last.created_at + MOVE_COOLDOWN <= timezone.now():
        return None
    return last.created_at + MOVE_COOLDOWN


def check_move(*, user: User, handle: str, password: str) -> Account:
    """The new account, which must list this one among its aliases, fetched afresh."""
    account = user.account
    _check_password(user, password)
    ends = cooldown_ends_at(account)
    if ends is not None:
        raise ValidationError(
            f"You moved recently: you can move again after {ends:%Y-%m-%d %H:%M} UTC.",
            code="cooldown",
        )
    target = _resolve(handle, refresh=True)
    if target.pk == account.pk:
        raise ValidationError({"acct": "You cannot move to this same account."})
    if account.moved_to_id == target.pk:
        raise ValidationError({"acct": "This account has already moved there."})
    if target.suspended_at is not None:
        raise ValidationError({"acct": "That account is suspended."})
    if account.uri not in target.also_known_as:
        raise ValidationError(
            {"acct": f"{target.acct} does not list this account as an alias: add it there first."}
        )
    return target


def do_move(*, user: User, handle: str, password: str) -> Account:
    """Point the account at the new one, tell every follower's server with `Move`, and move
    the local followers here and now."""
    target = check_move(user=user, handle=handle, password=password)
    account = user.account
    with transaction.atomic():
        # Two moves sent at once: the second waits here and then meets the cooldown.
        Account.objects.select_for_update().filter(pk=account.pk).first()
        if cooldown_ends_at(account) is not None:
            raise ValidationError("You moved recently.", code="cooldown")
        AccountMigration.objects.create(
            account=account,
            target_account=target,
            acct=target.acct,
            followers_count=Follow.objects.filter(target_account=account).count(),
        )
        _set_moved_to(account, target)
        outbox.federate_move(account, target)
        do_move_followers(origin=account, target=target)
        do_carry_blocks_and_mutes(origin=account, target=target)
    return target


def _set_moved_to(account: Account, target: Account | None) -> None:
    account.moved_to = target
    account.moved_at = timezone.now() if target is not None else None
    account.save(update_fields=["moved_to", "moved_at", "updated_at"])
    outbox.federate_profile(account)


def do_redirect(*, user: User, handle: str, password: str) -> Account:
    """Mastodon's redirect: the profile points at the new account, followers stay."""
    _check_password(user, password)
    target = _resolve(handle, refresh=False)
    if target.pk == user.account.pk:
        raise ValidationError({"acct": "You cannot redirect to this same account."})
    with transaction.atomic():
        _set_moved_to(user.account, target)
    return target


def do_cancel_redirect(*, account: Account) -> None:
    """The profile stops pointing elsewhere; followers already moved stay where they are,
    and the cooldown still counts from the last move."""
    if account.moved_to_id is None:
        return
    with transaction.atomic():
        _set_moved_to(account, None)


def check_can_post(account: Account) -> None:
    if account.local and account.moved_to_id is not None:
        message = "This account has moved to another one and can no longer post."
        raise ValidationError({NON_FIELD_ERRORS: ValidationError(message, code="moved")})


# Followers -------------------------------------------------------------------------------


def do_move_followers(*, origin: Account, target: Account) -> int:
    """Local followers of the old account follow the new one with the same options and stop
    following the old one, as Mastodon's MoveWorker does. A local new account has chosen
    the move itself, so its lock does not hold the followers back. Returns how many moved."""
    moved = 0
    follows = Follow.objects.filter(target_account=origin, account__domain__isnull=True)
    for follow in follows.select_related("account"):
        follower = follow.account
        try:
            check_follow(account=follower, target=target)
        except ValidationError:
            continue
        result = do_follow(
            account=follower,
            target=target,
            reblogs=follow.show_reblogs,
            notify=follow.notify,
            languages=follow.languages,
        )
        if isinstance(result, FollowRequest) and target.local:
            do_authorize_follow_request(request=result)
        do_unfollow(account=follower, target=origin)
        moved += 1
    return moved


def do_carry_blocks_and_mutes(*, origin: Account, target: Account) -> None:
    """Local accounts that blocked or muted the old account block or mute the new one,
    unless they already follow it, as Mastodon's MoveWorker carries them over."""
    following = Follow.objects.filter(target_account=target).values("account_id")
    blockers = Block.objects.filter(target_account=origin, account__domain__isnull=True)
    for block in blockers.exclude(account_id__in=following).select_related("account"):
        do_block(account=block.account, target=target)
    muters = active_mutes().filter(target_account=origin, account__domain__isnull=True)
    for mute in muters.exclude(account_id__in=following).select_related("account"):
        if not Mute.objects.filter(account=mute.account, target_account=target).exists():
            do_mute(account=mute.account, target=target, notifications=mute.hide_notifications)


def do_accept_move(*, origin: Account, target: Account) -> int:
    """A verified move of a remote account: it now points at the new one, and the local
    followers follow the new account."""
    with transaction.atomic():
        if origin.moved_to_id != target.pk:
            origin.moved_to = target
            origin.moved_at = timezone.now()
            origin.save(update_fields=["moved_to", "moved_at", "updated_at"])
        moved = do_move_followers(origin=origin, target=target)
        do_carry_blocks_and_mutes(origin=origin, target=target)
        return moved
