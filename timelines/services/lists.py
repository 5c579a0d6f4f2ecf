"""Lists: named sets of followed accounts, each with its own timeline. Mastodon's rules: a
title is required, at most 50 lists per account, and only followed accounts (or oneself) may
be members; unfollowing takes the account off the follower's lists."""

from collections.abc import Sequence

import redis
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet

from accounts.models import Account, Follow
from timelines import feed_events
from timelines.models import Status, Visibility
from timelines.models_curation import List, ListAccount, RepliesPolicy

MAX_LISTS = 50
TITLE_MAX_LENGTH = 256


def find_list(*, account: Account, list_id: str) -> List:
    """The account's own list; any other list answers as missing."""
    if not str(list_id).isdigit():
        raise List.DoesNotExist
    return List.objects.get(pk=int(list_id), account=account)


def check_list(*, title: str | None, replies_policy: str | None) -> None:
    """Validate the fields given (None: not given). A wrong replies_policy is refused with
    Rails' enum message, as Mastodon answers it."""
    if replies_policy is not None and replies_policy not in RepliesPolicy.values:
        raise ValidationError(f"'{replies_policy}' is not a valid replies_policy", code="argument")
    if title is not None and not title.strip():
        raise ValidationError({"title": ValidationError("can't be blank", code="blank")})
    if title is not None and len(title) > TITLE_MAX_LENGTH:
        raise ValidationError(
            {"title": ValidationError(f"is too long (maximum is {TITLE_MAX_LENGTH} characters)")}
        )


def do_create_list(
    *, account: Account, title: str, replies_policy: str | None = None, exclusive: bool = False
) -> List:
    check_list(title=title, replies_policy=replies_policy)
    with transaction.atomic():
        # Lock the account row so that two parallel creations cannot both pass the limit.
        Account.objects.select_for_update().filter(pk=account.pk).first()
        if List.objects.filter(account=account).count() >= MAX_LISTS:
            raise ValidationError("You have reached the maximum number of lists", code="limit")
        return List.objects.create(
            account=account,
            title=title,
            replies_policy=replies_policy or RepliesPolicy.LIST,
            exclusive=exclusive,
        )


def do_update_list(
    *,
    list_: List,
    title: str | None = None,
    replies_policy: str | None = None,
    exclusive: bool | None = None,
) -> List:
    check_list(title=title, replies_policy=replies_policy)
    changes = {"title": title, "replies_policy": replies_policy, "exclusive": exclusive}
    fields = [name for name, value in changes.items() if value is not None]
    for name in fields:
        setattr(list_, name, changes[name])
    if fields:
        list_.save(update_fields=fields)
    if replies_policy is not None or exclusive is not None:
        home_of = list_.account_id if exclusive is not None else None
        feed_events.schedule_reset(home_of=home_of, list_id=list_.pk)
    return list_


def do_delete_list(*, list_: List) -> None:
    with transaction.atomic():
        feed_events.schedule_reset(home_of=list_.account_id if list_.exclusive else None,
                                   list_id=list_.pk)  # fmt: skip
        list_.delete()


def check_list_accounts(*, list_: List, accounts: Sequence[Account]) -> dict[int, Follow]:
    """The follow behind each account to add; refuses accounts not followed and accounts
    already on the list, with Mastodon's messages."""
    ids = [a.pk for a in accounts if a.pk != list_.account_id]
    follows = {
        f.target_account_id: f
        for f in Follow.objects.filter(account_id=list_.account_id, target_account_id__in=ids)
    }
    if any(pk not in follows for pk in ids):
        raise ValidationError(
            {"account": ValidationError("must be a followed account", code="must_be_following")}
        )
    if ListAccount.objects.filter(list=list_, account__in=[a.pk for a in accounts]).exists():
        raise ValidationError({"account": ValidationError("is already on the list", code="taken")})
    return follows


def do_add_list_accounts(*, list_: List, accounts: Sequence[Account]) -> None:
    accounts = list({a.pk: a for a in accounts}.values())
    follows = check_list_accounts(list_=list_, accounts=accounts)
    try:
        with transaction.atomic():
            ListAccount.objects.bulk_create(
                [ListAccount(list=list_, account=a, follow=follows.get(a.pk)) for a in accounts]
            )
            feed_events.schedule_list_change(list_.pk, [a.pk for a in accounts])
            if list_.exclusive:  # the members now leave home, which is rebuilt without them
                feed_events.schedule_reset(home_of=list_.account_id)
    except IntegrityError as error:  # added in parallel by another request
        raise ValidationError(
            {"account": ValidationError("is already on the list", code="taken")}
        ) from error


def do_remove_list_accounts(*, list_: List, account_ids: Sequence[int]) -> None:
    with transaction.atomic():
        ListAccount.objects.filter(list=list_, account_id__in=account_ids).delete()
        feed_events.schedule_list_change(list_.pk, list(account_ids), remove=True)
        if list_.exclusive:
            feed_events.schedule_reset(home_of=list_.account_id)


def list_members(list_: List) -> QuerySet[Account]:
    ids = ListAccount.objects.filter(list=list_).values("account_id")
    return Account.objects.filter(pk__in=ids, suspended_at__isnull=True)


def list_timeline(list_: List) -> QuerySet[Status]:
    """The list's Redis feed (rebuilt from the database when missing), or the database query
    itself when Redis cannot be reached."""
    from timelines import feeds

    def rebuild(count: int) -> list[int]:
        return list(list_query(list_).order_by("-id").values_list("id", flat=True)[:count])

    try:
        ids = feeds.RankedFeed(feeds.list_key(list_.pk), rebuild).ids()
    except redis.RedisError:
        return list_query(list_)
    return feeds.statuses_in(ids)


def list_query(list_: List) -> QuerySet[Status]:
    """Posts and boosts by the members that the owner may see, with replies kept or dropped by
    the list's replies_policy; self-replies and replies to the owner always stay."""
    owner_id = list_.account_id
    members = ListAccount.objects.filter(list=list_).values("account_id")
    replies = (
        Q(in_reply_to_account__isnull=True)
        | Q(in_reply_to_account_id=F("account_id"))
        | Q(in_reply_to_account_id=owner_id)
    )
    if list_.replies_policy == RepliesPolicy.FOLLOWED:
        followed = Follow.objects.filter(account_id=owner_id).values("target_account_id")
        replies |= Q(in_reply_to_account_id__in=followed)
    elif list_.replies_policy == RepliesPolicy.LIST:
        replies |= Q(in_reply_to_account_id__in=members)
    from timelines.selectors import other_languages

    return (
        Status.objects.visible_to(list_.account)
        .filter(account_id__in=members, account__suspended_at__isnull=True)
        .exclude(visibility=Visibility.DIRECT)
        .exclude(other_languages(list_.account))
        .filter(replies)
    )
