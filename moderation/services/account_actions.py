"""Moderators' actions on accounts, local and remote alike: warn, mark media as sensitive,
limit, suspend, disable login, delete a post, and their undoing. Each leaves a strike the
user can see and appeal, and an audit log row; the admin panel and the admin API both call
these functions.

`moderator=None` means the operator at a shell, who may do anything."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Account, Follow, FollowRequest, User
from federation.services import outbox
from fediverse.effects import enqueue
from moderation.models import AccountWarning, Report, WarningAction
from moderation.services.audit import log_action
from moderation.services.registrations import check_can_manage
from moderation.services.reports import do_resolve_report
from timelines.models import Status
from timelines.services.notifications import do_notify_moderation_warning
from timelines.services.statuses import do_delete_status

# The types of POST /api/v1/admin/accounts/:id/action, which the admin panel offers too.
ACTION_TYPES = ("none", "sensitive", "disable", "silence", "suspend")
# A suspended account's data is kept this long so the suspension can be undone.
SUSPENSION_GRACE_DAYS = 30


@dataclass
class ActionRequest:
    type: str
    text: str = ""
    report: Report | None = None
    status_ids: list[int] = field(default_factory=list)
    send_email: bool = True


def _user_of(account: Account) -> User | None:
    return User.objects.filter(account=account).first() if account.local else None


def check_action(*, moderator: Account | None, target: Account, ask: ActionRequest) -> None:
    if ask.type not in ACTION_TYPES:
        raise ValidationError(f"Unknown action: {ask.type}.", code="invalid")
    user = _user_of(target)
    if ask.type == "disable" and user is None:
        raise ValidationError("Only accounts of this server can have their login disabled.")
    if user is not None:
        actor = _user_of(moderator) if moderator is not None else None
        check_can_manage(actor=actor, user=user)
    if ask.report is not None and ask.report.target_account_id != target.pk:
        raise ValidationError("The report is about another account.", code="invalid")


def _apply(target: Account, action: str) -> None:
    now = timezone.now()
    if action == "disable":
        User.objects.filter(account=target).update(disabled=True)
    elif action == "sensitive":
        target.sensitized_at = now
        target.save(update_fields=["sensitized_at", "updated_at"])
    elif action == "silence":
        target.silenced_at = now
        target.save(update_fields=["silenced_at", "updated_at"])
    elif action == "suspend":
        target.suspended_at = now
        target.save(update_fields=["suspended_at", "updated_at"])
        # Followers go (remote servers are told with a Reject); pending requests both ways
        # go with them.
        _reject_remote_followers(target)
        Follow.objects.filter(target_account=target).delete()
        FollowRequest.objects.filter(target_account=target).delete()
        FollowRequest.objects.filter(account=target).delete()


def _reject_remote_followers(target: Account) -> None:
    if not target.local:
        return
    remote = Follow.objects.filter(target_account=target, account__domain__isnull=False)
    for follow in remote.select_related("account"):
        outbox.federate_follow_answer("Reject", follow.account, target, follow.uri)


def do_account_action(
    *, moderator: Account | None, target: Account, ask: ActionRequest
) -> AccountWarning:
    """Apply the action, record the strike and the audit row, resolve the report."""
    check_action(moderator=moderator, target=target, ask=ask)
    with transaction.atomic():
        _apply(target, ask.type)
        strike = AccountWarning.objects.create(
            account=moderator,
            target_account=target,
            action=ask.type,
            text=ask.text,
            status_ids=ask.status_ids,
            report=ask.report,
        )
        log_action(actor=moderator, action=ask.type, target=target, reason=ask.text,
                   report=ask.report)  # fmt: skip
        if ask.report is not None and moderator is not None:
            do_resolve_report(report=ask.report, moderator=moderator)
        if ask.send_email:
            # Mastodon tells the user (email and notification) only when asked to.
            _email_strike(strike)
            do_notify_moderation_warning(account=target, warning_id=strike.pk)
    return strike


def do_delete_posts(
    *,
    moderator: Account | None,
    target: Account,
    status_ids: list[int],
    text: str = "",
    report: Report | None = None,
) -> AccountWarning:
    """Remove some of an account's posts; its author gets one strike naming them."""
    check_action(moderator=moderator, target=target, ask=ActionRequest(type="none", report=report))
    statuses = list(Status.objects.filter(account=target, pk__in=status_ids))
    if not statuses:
        raise ValidationError("Choose at least one of the account's posts.", code="blank")
    with transaction.atomic():
        strike = AccountWarning.objects.create(
            account=moderator,
            target_account=target,
            action=WarningAction.DELETE_STATUSES,
            text=text,
            status_ids=[s.pk for s in statuses],
            report=report,
        )
        for status in statuses:
            log_action(actor=moderator, action="destroy_status", target=status, reason=text,
                       report=report)  # fmt: skip
            do_delete_status(account=target, status=status)
        if report is not None and moderator is not None:
            do_resolve_report(report=report, moderator=moderator)
        _email_strike(strike)
        do_notify_moderation_warning(account=target, warning_id=strike.pk)
    return strike


def _undo(moderator: Account | None, target: Account, field_name: str, action: str) -> None:
    if target.local and moderator is not None:
        check_can_manage(actor=_user_of(moderator), user=User.objects.get(account=target))
    with transaction.atomic():
        setattr(target, field_name, None)
        target.save(update_fields=[field_name, "updated_at"])
        log_action(actor=moderator, action=action, target=target)
        if field_name == "suspended_at":
            # Remote servers learn that the profile is back.
            outbox.federate_profile(target)


def do_unsuspend(*, moderator: Account | None, target: Account) -> None:
    if target.suspended_at is None:
        return
    if target.suspended_at < timezone.now() - timedelta(days=SUSPENSION_GRACE_DAYS):
        raise ValidationError("The account's data is gone: it can no longer be unsuspended.")
    _undo(moderator, target, "suspended_at", "unsuspend")


def do_unsilence(*, moderator: Account | None, target: Account) -> None:
    _undo(moderator, target, "silenced_at", "unsilence")


def do_unsensitive(*, moderator: Account | None, target: Account) -> None:
    _undo(moderator, target, "sensitized_at", "unsensitive")


def do_enable(*, moderator: Account | None, target: Account) -> None:
    user = _user_of(target)
    if user is None:
        raise ValidationError("Only accounts of this server have a login.")
    if moderator is not None:
        check_can_manage(actor=_user_of(moderator), user=user)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(disabled=False)
        log_action(actor=moderator, action="enable", target=target)


def _email_strike(strike: AccountWarning) -> None:
    user = _user_of(strike.target_account)
    if user is None:
        return
    from moderation.tasks import send_strike_email

    enqueue(send_strike_email, strike.pk)
