"""Appeals: a user contests a strike once; a moderator approves (the action is undone and the
strike overruled) or rejects it."""

from datetime import timedelta

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Account
from moderation.models import AccountWarning, Appeal
from moderation.services import account_actions
from moderation.services.audit import log_action

APPEAL_WINDOW_DAYS = 20
MAX_TEXT = 2000
TOKEN_SALT = "moderation.dispute"

# What approving an appeal undoes, per kind of strike.
UNDO = {
    "sensitive": account_actions.do_unsensitive,
    "silence": account_actions.do_unsilence,
    "suspend": account_actions.do_unsuspend,
    "disable": account_actions.do_enable,
}


def dispute_token(strike: AccountWarning) -> str:
    """Opens the strike's page to its owner without signing in (suspended users cannot)."""
    return signing.dumps({"strike": strike.pk}, salt=TOKEN_SALT)


def token_strike_id(token: str) -> int | None:
    try:
        data = signing.loads(token, salt=TOKEN_SALT, max_age=APPEAL_WINDOW_DAYS * 86400)
    except signing.BadSignature:
        return None
    return int(data["strike"])


def check_appeal(*, account: Account, strike: AccountWarning, text: str) -> None:
    if strike.target_account_id != account.pk:
        raise AccountWarning.DoesNotExist
    if Appeal.objects.filter(account_warning=strike).exists():
        raise ValidationError("You have already appealed this decision.", code="taken")
    if strike.overruled_at is not None:
        raise ValidationError("This decision has already been overruled.", code="overruled")
    if strike.created_at < timezone.now() - timedelta(days=APPEAL_WINDOW_DAYS):
        raise ValidationError("The time to appeal this decision has passed.", code="expired")
    if not text.strip():
        raise ValidationError("Say why the decision should be reversed.", code="blank")
    if len(text) > MAX_TEXT:
        raise ValidationError(f"The appeal is too long (maximum {MAX_TEXT} characters).")


def do_create_appeal(*, account: Account, strike: AccountWarning, text: str) -> Appeal:
    check_appeal(account=account, strike=strike, text=text)
    return Appeal.objects.create(account=account, account_warning=strike, text=text)


def _check_pending(appeal: Appeal) -> None:
    if not appeal.pending:
        raise ValidationError("This appeal has already been decided.", code="decided")


def do_approve_appeal(*, appeal: Appeal, moderator: Account | None) -> None:
    _check_pending(appeal)
    strike = appeal.account_warning
    with transaction.atomic():
        undo = UNDO.get(strike.action)
        if undo is not None:
            undo(moderator=moderator, target=strike.target_account)
        now = timezone.now()
        appeal.approved_at = now
        appeal.approved_by_account = moderator
        appeal.save(update_fields=["approved_at", "approved_by_account"])
        strike.overruled_at = now
        strike.save(update_fields=["overruled_at"])
        log_action(actor=moderator, action="approve_appeal", target=strike.target_account)


def do_reject_appeal(*, appeal: Appeal, moderator: Account | None) -> None:
    _check_pending(appeal)
    with transaction.atomic():
        appeal.rejected_at = timezone.now()
        appeal.rejected_by_account = moderator
        appeal.save(update_fields=["rejected_at", "rejected_by_account"])
        log_action(actor=moderator, action="reject_appeal", target=appeal.account)
