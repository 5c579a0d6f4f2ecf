"""Selectors for lists of an account's connections (followers, follows, blocks, mutes, follow
requests, endorsements, domain blocks), each paged as Mastodon pages it: newest first, cut at
`max_id` / `since_id` on the id of the row that joins the two accounts."""

from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Model, QuerySet

from accounts.models import (
    Account,
    AccountDomainBlock,
    Block,
    Follow,
    FollowRequest,
    active_mutes,
)
from accounts.selectors import excluded_by, listable_q

RowT = TypeVar("RowT", bound=Model)


@dataclass(frozen=True)
class Cursor:
    max_id: int | None
    since_id: int | None
    limit: int


def cut(qs: QuerySet[RowT], cursor: Cursor, key: str = "id") -> list[RowT]:
    if cursor.max_id is not None:
        qs = qs.filter(**{f"{key}__lt": cursor.max_id})
    if cursor.since_id is not None:
        qs = qs.filter(**{f"{key}__gt": cursor.since_id})
    return list(qs.order_by(f"-{key}")[: cursor.limit])


def collections_hidden(viewer: Account | None, account: Account) -> bool:
    """Followers and follows stay private when the owner hides them or blocks the viewer."""
    if viewer is not None and viewer.pk == account.pk:
        return False
    if account.hide_collections:
        return True
    return (
        viewer is not None and Block.objects.filter(account=account, target_account=viewer).exists()
    )


def _network(
    viewer: Account | None, account: Account, qs: QuerySet[Follow], side: str, cursor: Cursor
) -> list[Follow]:
    if collections_hidden(viewer, account):
        return []
    qs = qs.filter(listable_q(f"{side}__")).select_related(side)
    if viewer is not None and viewer.pk != account.pk:
        qs = qs.exclude(excluded_by(viewer, f"{side}_id"))
    return cut(qs, cursor)


def followers(viewer: Account | None, account: Account, cursor: Cursor) -> list[Follow]:
    return _network(
        viewer, account, Follow.objects.filter(target_account=account), "account", cursor
    )


def following(viewer: Account | None, account: Account, cursor: Cursor) -> list[Follow]:
    qs = Follow.objects.filter(account=account)
    return _network(viewer, account, qs, "target_account", cursor)


def blocks(viewer: Account, cursor: Cursor) -> list[Block]:
    qs = Block.objects.filter(account=viewer, target_account__suspended_at__isnull=True)
    return cut(qs.select_related("target_account"), cursor)


def mutes(viewer: Account, cursor: Cursor) -> list[Any]:
    qs = active_mutes().filter(account=viewer, target_account__suspended_at__isnull=True)
    return cut(qs.select_related("target_account"), cursor)


def follow_requests(viewer: Account, cursor: Cursor) -> list[FollowRequest]:
    qs = FollowRequest.objects.filter(target_account=viewer, account__suspended_at__isnull=True)
    return cut(qs.select_related("account"), cursor)


def endorsements(account: Account, cursor: Cursor | None) -> list[Account]:
    """Mastodon pages endorsements by the endorsed account's id; no cursor means all of them."""
    qs = Account.objects.filter(endorsed_by__account=account, suspended_at__isnull=True)
    if cursor is None:
        return list(qs.order_by("-id"))
    return cut(qs, cursor)


def domain_blocks(viewer: Account, cursor: Cursor) -> list[AccountDomainBlock]:
    return cut(AccountDomainBlock.objects.filter(account=viewer), cursor)
