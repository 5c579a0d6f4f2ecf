"""Fan-out on write: one task per post walks the local accounts that may get it in their home
feed (followers, followers of its hashtags, the mentioned for a direct post) and the lists
that hold its author, in batches; it decides per recipient from data loaded once per post
(blocks, mutes, domain blocks, exclusive lists) or once per batch (follows of a replied-to
account), and writes each batch to Redis in one round trip. Every write is idempotent, so a
task that dies half-way and runs again leaves each feed as one complete run would."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import chain, islice
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from accounts.models import AccountDomainBlock, Block, Follow
from accounts.selectors import active_mutes
from timelines import feeds
from timelines.models import Mention, Status, Visibility
from timelines.models_curation import ListAccount, RepliesPolicy, TagFollow

BATCH_SIZE = 500
MERGE_COUNT = 200  # posts of a newly followed account merged into home (Mastodon: 800 / 4)

Row = tuple[int, bool, datetime | None]  # recipient account id, show_reblogs, last active


@dataclass
class Post:
    """What every recipient's decision needs, loaded once."""

    status: Status
    author_id: int
    reblog_of_id: int | None
    reply_to_id: int | None
    mentioned: set[int]
    excluded: set[int] = field(default_factory=set)  # blocks either way, mutes, domain blocks
    blocked: set[int] = field(default_factory=set)  # blocks either way only (lists)
    exclusive_owners: set[int] = field(default_factory=set)
    # Followers who asked for only some languages of this author, with those languages.
    languages: dict[int, set[str]] = field(default_factory=dict)
    cutoff: datetime = field(default_factory=timezone.now)
    payload: Any = None


def _load(status: Status) -> Post:
    reblog = status.reblog
    post = Post(
        status=status,
        author_id=status.account_id,
        reblog_of_id=status.reblog_id,
        reply_to_id=status.in_reply_to_account_id,
        mentioned=set(Mention.objects.filter(status=status).values_list("account_id", flat=True)),
        cutoff=timezone.now() - timedelta(days=settings.FEED_INACTIVE_DAYS),
    )
    involved = {status.account_id, status.in_reply_to_account_id}
    if reblog is not None:
        involved.add(reblog.account_id)
    involved.discard(None)
    blocked = set(Block.objects.filter(target_account_id__in=involved).values_list("account_id"))
    blocked |= set(Block.objects.filter(account_id__in=involved).values_list("target_account_id"))
    post.blocked = {row[0] for row in blocked}
    muters = active_mutes().filter(target_account_id__in=involved).values_list("account_id")
    domains = {
        a.domain.lower() for a in (status.account, reblog and reblog.account) if a and a.domain
    }
    domain_blockers = (
        AccountDomainBlock.objects.annotate(ldomain=Lower("domain"))
        .filter(ldomain__in=domains)
        .values_list("account_id")
        if domains
        else []
    )
    post.excluded = post.blocked | {r[0] for r in muters} | {r[0] for r in domain_blockers}
    exclusive = ListAccount.objects.filter(account_id=status.account_id, list__exclusive=True)
    post.exclusive_owners = set(exclusive.values_list("list__account_id", flat=True))
    if status.language and status.reblog_id is None:
        post.languages = language_choices(status.account_id)
    return post


def language_choices(author_id: int) -> dict[int, set[str]]:
    """The local followers of an author who chose the languages they get from the author
    (Follow.languages), by follower id; an empty choice is no choice, as in Mastodon."""
    rows = Follow.objects.filter(
        target_account_id=author_id, account__domain__isnull=True, languages__isnull=False
    ).values_list("account_id", "languages")
    return {follower: {c.lower() for c in codes} for follower, codes in rows if codes}


def language_refused(post: Post, account_id: int) -> bool:
    chosen = post.languages.get(account_id)
    return chosen is not None and (post.status.language or "").lower() not in chosen


def _batches(rows: Iterable[Row]) -> Iterator[list[Row]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH_SIZE)):
        yield batch


def _followers(post: Post) -> Iterable[Row]:
    follows = Follow.objects.filter(target_account_id=post.author_id, account__domain__isnull=True)
    if post.status.visibility == Visibility.DIRECT:
        follows = follows.filter(account_id__in=post.mentioned)
    rows = follows.values_list("account_id", "show_reblogs", "account__user__last_active_at")
    return rows.iterator(chunk_size=BATCH_SIZE)


def _tag_followers(post: Post) -> Iterable[Row]:
    status = post.status
    if status.visibility != Visibility.PUBLIC or status.reblog_id or status.account.silenced_at:
        return []
    followers = Follow.objects.filter(target_account_id=post.author_id).values("account_id")
    rows = (
        TagFollow.objects.filter(tag__in=status.tags.all(), account__domain__isnull=True)
        .exclude(account_id__in=followers)
        .values_list("account_id", "account__user__last_active_at")
        .distinct()
    )
    return ((account_id, True, seen) for account_id, seen in rows.iterator(chunk_size=BATCH_SIZE))


def _accepts(post: Post, account_id: int, show_reblogs: bool, follows_reply_to: set[int]) -> bool:
    """The rules of selectors.home_query, for one recipient of a post by someone they follow."""
    if account_id == post.author_id:
        return True
    if account_id in post.excluded or account_id in post.exclusive_owners:
        return False
    if post.reblog_of_id is not None and not show_reblogs:
        return False
    if language_refused(post, account_id):
        return False
    if post.status.visibility == Visibility.DIRECT and account_id not in post.mentioned:
        return False
    reply_to = post.reply_to_id
    return reply_to in (None, post.author_id, account_id) or account_id in follows_reply_to


def _deliver(post: Post, batch: list[Row], *, via_tag: bool = False) -> None:
    ids = [row[0] for row in batch]
    follows_reply_to: set[int] = set()
    if not via_tag and post.reply_to_id not in (None, post.author_id):
        follows_reply_to = set(
            Follow.objects.filter(
                target_account_id=post.reply_to_id, account_id__in=ids
            ).values_list("account_id", flat=True)
        )
    inserts, drops = [], []
    for account_id, show_reblogs, last_active in batch:
        if account_id != post.author_id and (last_active is None or last_active < post.cutoff):
            drops.append(feeds.home_key(account_id))
        elif via_tag and account_id in post.excluded | post.exclusive_owners:
            continue
        elif via_tag or _accepts(post, account_id, show_reblogs, follows_reply_to):
            inserts.append(feeds.home_key(account_id))
    added = feeds.write_batch(feeds.FeedWrite(post.status.pk, post.reblog_of_id, inserts, drops))
    _stream(post, [int(key.rsplit(":", 1)[1]) for key in added], lists=False)


def _list_accepts(post: Post, list_id: int, owner_id: int, policy: str) -> bool:
    if owner_id in post.blocked or post.status.visibility == Visibility.DIRECT:
        return False
    if language_refused(post, owner_id):
        return False
    reply_to = post.reply_to_id
    if reply_to in (None, post.author_id, owner_id) or policy == RepliesPolicy.NONE:
        return reply_to in (None, post.author_id, owner_id)
    if policy == RepliesPolicy.FOLLOWED:
        return Follow.objects.filter(account_id=owner_id, target_account_id=reply_to).exists()
    return ListAccount.objects.filter(list_id=list_id, account_id=reply_to).exists()


def _deliver_to_lists(post: Post) -> None:
    memberships = ListAccount.objects.filter(
        account_id=post.author_id, list__account__domain__isnull=True
    ).values_list("list_id", "list__account_id", "list__replies_policy")
    keys = [
        feeds.list_key(list_id)
        for list_id, owner_id, policy in memberships
        if _list_accepts(post, list_id, owner_id, policy)
    ]
    added = feeds.write_batch(feeds.FeedWrite(post.status.pk, post.reblog_of_id, keys, []))
    _stream(post, [int(key.rsplit(":", 1)[1]) for key in added], lists=True)


_UPDATE = "status.update"


def _stream(post: Post, ids: list[int], *, lists: bool, event: str = "update") -> None:
    """`update` events for the streams of the feeds that got the post, rendered once."""
    if not ids:
        return
    from timelines.streaming import publish

    if post.payload is None:
        from timelines.api.entity_cache import entity_for_everyone

        post.payload = entity_for_everyone(post.status.pk)
        if post.payload is None:
            return
    if lists:
        publish.publish_to_lists(ids, event, post.payload)
    else:
        publish.publish_to_users(ids, event, post.payload)


def fan_out(status_id: int) -> None:
    status = (
        Status.objects.select_related("account", "reblog__account").filter(pk=status_id).first()
    )
    if status is None or status.account.suspended_at is not None:
        return
    post = _load(status)
    if status.account.domain is None:
        _deliver(post, [(status.account_id, True, None)])
    for batch in _batches(_followers(post)):
        _deliver(post, batch)
    for batch in _batches(_tag_followers(post)):
        _deliver(post, batch, via_tag=True)
    _deliver_to_lists(post)


def fan_out_update(status_id: int) -> None:
    """An edited post (or one whose preview card arrived) as `status.update` to the streams
    of the home and list feeds that hold it, as Mastodon pushes edits to timelines; the
    feeds themselves need nothing, since they hold ids."""
    status = (
        Status.objects.select_related("account", "reblog__account").filter(pk=status_id).first()
    )
    if status is None or status.reblog_id is not None or status.account.suspended_at:
        return
    post = _load(status)
    author: list[Row] = [(status.account_id, True, None)] if status.account.domain is None else []
    for batch in _batches(chain(author, _followers(post), _tag_followers(post))):
        keys = [feeds.home_key(account_id) for account_id, _, _ in batch]
        held = feeds.holding(keys, status.pk)
        _stream(post, [int(key.rsplit(":", 1)[1]) for key in held], lists=False, event=_UPDATE)
    memberships = ListAccount.objects.filter(
        account_id=post.author_id, list__account__domain__isnull=True
    ).values_list("list_id", flat=True)
    held = feeds.holding([feeds.list_key(list_id) for list_id in memberships], status.pk)
    _stream(post, [int(key.rsplit(":", 1)[1]) for key in held], lists=True, event=_UPDATE)


def unfan(status_ids: list[int], author_ids: list[int], tag_ids: list[int]) -> None:
    """Take deleted statuses (a post and its boosts) out of every feed they may have reached:
    followers of the authors and boosters, followers of the tags, the authors' list feeds."""
    followers = Follow.objects.filter(
        target_account_id__in=author_ids, account__domain__isnull=True
    ).values_list("account_id", flat=True)
    taggers = TagFollow.objects.filter(tag_id__in=tag_ids).values_list("account_id", flat=True)
    home = [*author_ids, *followers.iterator(chunk_size=BATCH_SIZE), *taggers]
    for start in range(0, len(home), BATCH_SIZE):
        chunk = {feeds.home_key(a) for a in home[start : start + BATCH_SIZE]}
        feeds.remove_from(chunk, status_ids)
    lists = ListAccount.objects.filter(account_id__in=author_ids).values_list("list_id", flat=True)
    feeds.remove_from({feeds.list_key(list_id) for list_id in lists}, status_ids)


def merge_account(account_id: int, target_id: int) -> None:
    """A new follow: the followed account's recent posts come into a built home feed (a feed
    not built yet will read them from the database anyway)."""
    from accounts.models import Account
    from timelines.selectors import home_query, newest_ids

    viewer = Account.objects.filter(pk=account_id).first()
    if viewer is None:
        return
    feed = feeds.RankedFeed(feeds.home_key(account_id), lambda n: [])
    if feed.is_ready():
        feed.merge(newest_ids(home_query(viewer).filter(account_id=target_id), MERGE_COUNT))


def unmerge_account(account_id: int, target_id: int, *, everything: bool = False) -> None:
    """An unfollow takes the account's posts and boosts out of home and the lists; a block
    or a mute (`everything`) also takes out boosts of its posts and replies to it."""
    from timelines.models_curation import List

    involving = Q(account_id=target_id)
    if everything:
        involving |= Q(reblog__account_id=target_id) | Q(in_reply_to_account_id=target_id)
    keys = [feeds.home_key(account_id)]
    keys += [
        feeds.list_key(pk)
        for pk in List.objects.filter(account_id=account_id).values_list("pk", flat=True)
    ]
    for key in keys:
        feed = feeds.RankedFeed(key, lambda n: [])
        present = feed.current_ids()
        gone = Status.objects.filter(pk__in=present).filter(involving).values_list("pk", flat=True)
        feed.remove(list(gone))


def merge_list_members(list_id: int, account_ids: list[int]) -> None:
    from timelines.models_curation import List
    from timelines.services.lists import list_query

    list_ = List.objects.filter(pk=list_id).select_related("account").first()
    feed = feeds.RankedFeed(feeds.list_key(list_id), lambda n: [])
    if list_ is None or not feed.is_ready():
        return
    qs = list_query(list_).filter(account_id__in=account_ids).order_by("-id")
    feed.merge(list(qs.values_list("id", flat=True)[:MERGE_COUNT]))


def unmerge_list_members(list_id: int, account_ids: list[int]) -> None:
    feed = feeds.RankedFeed(feeds.list_key(list_id), lambda n: [])
    present = feed.current_ids()
    gone = Status.objects.filter(pk__in=present, account_id__in=account_ids)
    feed.remove(list(gone.values_list("pk", flat=True)))
