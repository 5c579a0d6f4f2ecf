"""Reads about accounts that span relations."""

from dataclasses import dataclass

from django.db.models import QuerySet

from accounts.models import Account, Block, Follow, FollowRequest
from fediverse import uris


def find_account_by_acct(acct: str) -> Account | None:
    username, _, domain = acct.lstrip("@").partition("@")
    local_domain = uris.base_url().split("://", 1)[1]
    accounts = Account.objects.filter(username__iexact=username)
    if not domain or domain.lower() == local_domain.lower():
        return accounts.filter(domain__isnull=True).first()
    return accounts.filter(domain__iexact=domain).first()


@dataclass
class Relationship:
    following: bool = False
    requested: bool = False
    followed_by: bool = False
    blocking: bool = False
    blocked_by: bool = False
    is_self: bool = False


def relationship(viewer: Account | None, account: Account) -> Relationship:
    if viewer is None:
        return Relationship()
    if viewer.pk == account.pk:
        return Relationship(is_self=True)
    return Relationship(
        following=Follow.objects.filter(account=viewer, target_account=account).exists(),
        requested=FollowRequest.objects.filter(account=viewer, target_account=account).exists(),
        followed_by=Follow.objects.filter(account=account, target_account=viewer).exists(),
        blocking=Block.objects.filter(account=viewer, target_account=account).exists(),
        blocked_by=Block.objects.filter(account=account, target_account=viewer).exists(),
    )


def account_counts(account: Account) -> dict[str, int]:
    return {
        "statuses": account.statuses.filter(visibility__in=("public", "unlisted")).count(),
        "followers": Follow.objects.filter(target_account=account).count(),
        "following": Follow.objects.filter(account=account).count(),
    }


def followers(account: Account) -> QuerySet[Account]:
    ids = Follow.objects.filter(target_account=account).order_by("-id").values("account_id")
    return Account.objects.filter(pk__in=ids, suspended_at__isnull=True).order_by("username")


def following(account: Account) -> QuerySet[Account]:
    ids = Follow.objects.filter(account=account).values("target_account_id")
    return Account.objects.filter(pk__in=ids, suspended_at__isnull=True).order_by("username")
