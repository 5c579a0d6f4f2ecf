"""Selectors for finding people: account search, the profile directory, follow suggestions
and familiar followers. Each leaves out who the viewer should not see or has set aside."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Max, Q, QuerySet, Value, When

from accounts.models import Account, Block, Follow, FollowRequest, SuggestionDismissal
from accounts.selectors import blocked_domains, excluded_by, listable_q
from fediverse import uris


def _local_domain() -> str:
    return uris.base_url().split("://", 1)[1].lower()


def _not_blocking_each_other(qs: QuerySet[Account], viewer: Account) -> QuerySet[Account]:
    return qs.exclude(
        pk__in=Block.objects.filter(target_account=viewer).values("account_id")
    ).exclude(pk__in=Block.objects.filter(account=viewer).values("target_account_id"))


def search_accounts(
    viewer: Account, query: str, *, limit: int, offset: int = 0, following: bool = False
) -> list[Account]:
    """Prefix search on usernames and display names; an exact handle comes first, then people
    the viewer follows, then the most followed."""
    query = query.strip().lstrip("@")
    if not query:
        return []
    username, _, domain = query.partition("@")
    qs = _not_blocking_each_other(Account.objects.filter(listable_q()), viewer)
    if domain and domain.lower() != _local_domain():
        qs = qs.filter(username__istartswith=username, domain__istartswith=domain)
        exact = Q(username__iexact=username, domain__iexact=domain)
    elif domain:
        qs = qs.filter(username__istartswith=username, domain__isnull=True)
        exact = Q(username__iexact=username, domain__isnull=True)
    else:
        qs = qs.filter(
            Q(username__istartswith=query)
            | Q(display_name__istartswith=query)
            | Q(display_name__icontains=" " + query)
        )
        exact = Q(username__iexact=query)
    followed = Follow.objects.filter(account=viewer).values("target_account_id")
    if following:
        qs = qs.filter(pk__in=followed)
    qs = qs.annotate(
        exact=Case(When(exact, then=Value(1)), default=Value(0), output_field=IntegerField()),
        followed=Case(
            When(pk__in=followed, then=Value(1)), default=Value(0), output_field=IntegerField()
        ),
        followers=Count("follower_set", distinct=True),
    )
    return list(qs.order_by("-exact", "-followed", "-followers", "id")[offset : offset + limit])


def directory(
    viewer: Account | None, *, order: str, local: bool, offset: int, limit: int
) -> list[Account]:
    """Discoverable accounts, by latest post (`active`) or newest first (`new`)."""
    qs = Account.objects.filter(listable_q(), discoverable=True, silenced_at__isnull=True)
    if local:
        qs = qs.filter(domain__isnull=True)
    if viewer is not None:
        qs = qs.exclude(excluded_by(viewer))
        if not local:
            qs = qs.exclude(domain__in=blocked_domains(viewer))
    if order == "new":
        qs = qs.order_by("-id")
    else:
        qs = qs.annotate(last_status=Max("statuses__created_at")).order_by(
            F("last_status").desc(nulls_last=True), "-id"
        )
    return list(qs[offset : offset + limit])


@dataclass(frozen=True)
class Suggestion:
    account: Account
    source: str  # Mastodon's v2 `sources` value: friends_of_friends or most_followed


def _suggestable(viewer: Account) -> QuerySet[Account]:
    followed = Follow.objects.filter(account=viewer).values("target_account_id")
    requested = FollowRequest.objects.filter(account=viewer).values("target_account_id")
    dismissed = SuggestionDismissal.objects.filter(account=viewer).values("target_account_id")
    return (
        Account.objects.filter(listable_q(), discoverable=True, silenced_at__isnull=True)
        .exclude(pk=viewer.pk)
        .exclude(pk__in=followed)
        .exclude(pk__in=requested)
        .exclude(pk__in=dismissed)
        .exclude(excluded_by(viewer))
        .exclude(domain__in=blocked_domains(viewer))
    )


def suggestions(viewer: Account, *, limit: int) -> list[Suggestion]:
    """Accounts followed by those the viewer follows, most shared first; then the most
    followed accounts of this server."""
    followed = Follow.objects.filter(account=viewer).values("target_account_id")
    friends = list(
        _suggestable(viewer)
        .filter(follower_set__account_id__in=followed)
        .annotate(shared=Count("follower_set", filter=Q(follower_set__account_id__in=followed)))
        .order_by("-shared", "-id")[:limit]
    )
    found = [Suggestion(a, "friends_of_friends") for a in friends]
    if len(found) < limit:
        popular = (
            _suggestable(viewer)
            .filter(domain__isnull=True)
            .exclude(pk__in=[a.pk for a in friends])
            .annotate(followers=Count("follower_set"))
            .order_by("-followers", "-id")[: limit - len(found)]
        )
        found += [Suggestion(a, "most_followed") for a in popular]
    return found


def familiar_followers(viewer: Account, accounts: Iterable[Account]) -> dict[int, list[Account]]:
    """For each account, its followers whom the viewer follows. Accounts that hide their
    network neither show their followers nor show up as one."""
    targets = [a for a in accounts if not a.hide_collections]
    result: dict[int, list[Account]] = {a.pk: [] for a in accounts}
    if not targets:
        return result
    followed = Follow.objects.filter(account=viewer, target_account__hide_collections=False).values(
        "target_account_id"
    )
    rows = (
        Follow.objects.filter(
            target_account_id__in=[a.pk for a in targets], account_id__in=followed
        )
        .filter(listable_q("account__"))
        .select_related("account")
        .order_by("-id")
    )
    for row in rows:
        result[row.target_account_id].append(row.account)
    return result
