"""Pinning posts to one's profile, with Mastodon's rules and its limit of five."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import Account
from federation.services import outbox
from timelines.models import Status, StatusPin, Visibility

MAX_PINNED = 5


def check_pin(*, account: Account, status: Status) -> None:
    """Every broken rule at once, in Mastodon's order and words."""
    problems = []
    if status.reblog_id is not None:
        problems.append(ValidationError("A boost cannot be pinned.", code="reblog"))
    if status.account_id != account.pk:
        problems.append(ValidationError("Someone else's post cannot be pinned.", code="owner"))
    if status.visibility == Visibility.DIRECT:
        problems.append(
            ValidationError(
                "Posts that are only visible to mentioned users cannot be pinned.", code="direct"
            )
        )
    if account.local and StatusPin.objects.filter(account=account).count() >= MAX_PINNED:
        problems.append(
            ValidationError("You have already pinned the maximum number of posts.", code="limit")
        )
    if problems:
        raise ValidationError(problems)


def do_pin(*, account: Account, status: Status) -> StatusPin:
    check_pin(account=account, status=status)
    try:
        with transaction.atomic():
            pin = StatusPin.objects.create(account=account, status=status)
            outbox.federate_pin(account, status)
            return pin
    except IntegrityError as error:
        raise ValidationError("This post is already pinned.", code="duplicate") from error


def do_unpin(*, account: Account, status: Status) -> None:
    if StatusPin.objects.filter(account=account, status=status).delete()[0]:
        outbox.federate_pin(account, status, undo=True)
