"""Reads about accounts that span relations."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.db.models import Count, Max, Q, QuerySet

from accounts.models import (
    Account,
    AccountDomainBlock,
    AccountNote,
    AccountPin,
    Block,
    Follow,
    FollowRequest,
    active_mutes,
)
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
    showing_reblogs: bool = False
    notifying: bool = False
    languages: list[str] | None = None
    requested: bool = False
    requested_by: bool = False
    followed_by: bool = False
    blocking: bool = False
    blocked_by: bool = False
    muting: bool = False
    muting_notifications: bool = False
    domain_blocking: bool = False
    endorsed: bool = False
    note: str = ""
    is_self: bool = False


def relationships(viewer: Account, accounts: Iterable[Account]) -> dict[int, Relationship]:
    """The viewer's relation to each account, in a fixed number of queries."""
    accounts = list(accounts)
    ids = {a.pk for a in accounts}
    result = {pk: Relationship(is_self=pk == viewer.pk) for pk in ids}
    if not ids:
        return result
    for follow in Follow.objects.filter(account=viewer, target_account_id__in=ids):
        rel = result[follow.target_account_id]
        rel.following, rel.showing_reblogs, rel.notifying = True, follow.show_reblogs, follow.notify
        rel.languages = follow.languages
    for pk in Follow.objects.filter(target_account=viewer, account_id__in=ids).values_list(
        "account_id", flat=True
    ):
        result[pk].followed_by = True
    for request in FollowRequest.objects.filter(account=viewer, target_account_id__in=ids):
        rel = result[request.target_account_id]
        rel.requested, rel.showing_reblogs, rel.notifying = (
            True,
            request.show_reblogs,
            request.notify,
        )
        rel.languages = request.languages
    for pk in FollowRequest.objects.filter(target_account=viewer, account_id__in=ids).values_list(
        "account_id", flat=True
    ):
        result[pk].requested_by = True
    for pk in Block.objects.filter(account=viewer, target_account_id__in=ids).values_list(
        "target_account_id", flat=True
    ):
        result[pk].blocking = True
    for pk in Block.objects.filter(target_account=viewer, account_id__in=ids).values_list(
        "account_id", flat=True
    ):
        result[pk].blocked_by = True
    for mute in active_mutes().filter(account=viewer, target_account_id__in=ids):
        result[mute.target_account_id].muting = True
        result[mute.target_account_id].muting_notifications = mute.hide_notifications
    _add_profile_relations(viewer, accounts, result)
    return result


def _add_profile_relations(
    viewer: Account, accounts: Iterable[Account], result: dict[int, Relationship]
) -> None:
    """Domain blocks, endorsements and private notes."""
    ids = set(result)
    domains = {a.domain.lower() for a in accounts if a.domain}
    if domains:
        blocked = set(
            AccountDomainBlock.objects.filter(account=viewer, domain__in=domains).values_list(
                "domain", flat=True
            )
        )
        for account in accounts:
            if account.domain and account.domain.lower() in blocked:
                result[account.pk].domain_blocking = True
    for pk in AccountPin.objects.filter(account=viewer, target_account_id__in=ids).values_list(
        "target_account_id", flat=True
    ):
        result[pk].endorsed = True
    for pk, comment in AccountNote.objects.filter(
        account=viewer, target_account_id__in=ids
    ).values_list("target_account_id", "comment"):
        result[pk].note = comment


def excluded_by(viewer: Account, field: str = "pk") -> Q:
    """Rows whose account the viewer blocks, mutes or is blocked by; Mastodon leaves them out
    of account lists, directories and suggestions."""
    return (
        Q(**{f"{field}__in": Block.objects.filter(account=viewer).values("target_account_id")})
        | Q(**{f"{field}__in": Block.objects.filter(target_account=viewer).values("account_id")})
        | Q(**{f"{field}__in": active_mutes().filter(account=viewer).values("target_account_id")})
    )


def muted_account_ids(viewer: Account) -> QuerySet[Any]:
    return active_mutes().filter(account=viewer).values("target_account_id")


def blocked_domains(viewer: Account) -> QuerySet[Any]:
    return AccountDomainBlock.objects.filter(account=viewer).values("domain")


def listable_q(prefix: str = "") -> Q:
    """Accounts that may show up in lists of people: not suspended, and, when local, with a
    confirmed and approved login (pending sign-ups stay invisible)."""
    return Q(**{f"{prefix}suspended_at__isnull": True}) & (
        Q(**{f"{prefix}domain__isnull": False})
        | Q(**{f"{prefix}user__approved": True, f"{prefix}user__confirmed_at__isnull": False})
    )


def relationship(viewer: Account | None, account: Account) -> Relationship:
    if viewer is None:
        return Relationship()
    return relationships(viewer, [account])[account.pk]


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


@dataclass
class AccountStats:
    statuses: int = 0
    followers: int = 0
    following: int = 0
    last_status_at: Any = None
    # The custom emoji (moderation.models.CustomEmoji) the profile's texts show.
    emojis: list[Any] = field(default_factory=list)


# Kept by PostgreSQL triggers (timelines migration 0011): counting at read time cost a walk of
# every post and follow of the account.
COUNTERS_TABLE = "accounts_counters"


def _read_counters(stats: dict[int, AccountStats]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT account_id, statuses_count, followers_count, following_count, last_status_at"
            f" FROM {COUNTERS_TABLE} WHERE account_id = ANY(%s)",
            [list(stats)],
        )
        for pk, statuses, followers, following, last in cursor.fetchall():
            row = stats[pk]
            row.statuses, row.followers, row.following = statuses, followers, following
            row.last_status_at = last


def _count(stats: dict[int, AccountStats]) -> None:
    from timelines.models import Status

    ids = list(stats)
    rows = (
        Status.objects.filter(account_id__in=ids)
        .values("account_id")
        .annotate(n=Count("id"), last=Max("created_at"))
    )
    for row in rows:
        stats[row["account_id"]].statuses = row["n"]
        stats[row["account_id"]].last_status_at = row["last"]
    for row in (
        Follow.objects.filter(target_account_id__in=ids)
        .values("target_account_id")
        .annotate(n=Count("id"))
    ):
        stats[row["target_account_id"]].followers = row["n"]
    for row in (
        Follow.objects.filter(account_id__in=ids).values("account_id").annotate(n=Count("id"))
    ):
        stats[row["account_id"]].following = row["n"]


def account_stats(accounts: Iterable[Account]) -> dict[int, AccountStats]:
    """Counts and custom emoji for a batch of accounts in a few queries, whatever the batch
    size; the accounts they moved to are counted too, since their entity is nested as
    `moved`."""
    accounts = list(accounts)
    ids = {a.pk for a in accounts} | {a.moved_to_id for a in accounts if a.moved_to_id}
    stats = {pk: AccountStats() for pk in ids}
    if not ids:
        return stats
    if connection.vendor == "postgresql":
        _read_counters(stats)
    else:
        _count(stats)
    from moderation.selectors_emojis import account_emojis

    for pk, emojis in account_emojis(accounts).items():
        stats[pk].emojis = emojis
    return stats
