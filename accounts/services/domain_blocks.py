"""A user's blocks of whole remote domains: that domain's accounts leave the user's follows,
followers and notifications, and stay out of the user's timelines."""

import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from accounts.models import Account, AccountDomainBlock, AccountPin, Follow, FollowRequest
from timelines.models import Notification

# A host, with the port that servers on a non-default one carry in their accounts' domain.
DOMAIN_RE = re.compile(
    r"^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*(:[0-9]{1,5})?$"
)
DOMAIN_MAX_LENGTH = 255


def normalize_domain(value: str) -> str:
    """Lower case and punycode, without a scheme, path or trailing dot, as Mastodon keeps them."""
    domain = value.strip()
    if "://" in domain:
        domain = domain.split("://", 1)[1]
    domain = domain.split("/", 1)[0].rstrip(".").lower()
    try:
        return domain.encode("idna").decode("ascii") if domain else ""
    except UnicodeError:
        return domain


def check_domain(domain: str) -> None:
    if not domain:
        raise ValidationError({"domain": "can't be blank"}, code="blank")
    if len(domain) > DOMAIN_MAX_LENGTH or not DOMAIN_RE.match(domain):
        raise ValidationError({"domain": "is invalid"}, code="invalid")


def do_block_domain(*, account: Account, domain: str) -> AccountDomainBlock:
    domain = normalize_domain(domain)
    check_domain(domain)
    with transaction.atomic():
        block, _ = AccountDomainBlock.objects.get_or_create(account=account, domain=domain)
        others = Account.objects.filter(domain__iexact=domain).values("pk")
        _sever(account, others)
        AccountPin.objects.filter(account=account, target_account_id__in=others).delete()
        Notification.objects.filter(account=account, from_account_id__in=others).delete()
    return block


def _sever(account: Account, others: QuerySet[Account, Any]) -> None:
    """Follows both ways end, and the domain hears of it as Mastodon tells it: an Undo of
    each of our follows, a Reject of each of its accounts' follows and requests."""
    from accounts.services.follows import do_unfollow

    rows: list[Follow | FollowRequest] = []
    for model in (Follow, FollowRequest):
        rows += model.objects.filter(account=account, target_account_id__in=others)
        rows += model.objects.filter(target_account=account, account_id__in=others)
    pairs = {(row.account_id, row.target_account_id) for row in rows}
    involved = Account.objects.in_bulk({pk for pair in pairs for pk in pair})
    for follower_id, followed_id in sorted(pairs):
        do_unfollow(account=involved[follower_id], target=involved[followed_id])


def do_unblock_domain(*, account: Account, domain: str) -> None:
    AccountDomainBlock.objects.filter(account=account, domain=normalize_domain(domain)).delete()
