"""Reads of statuses for pages and the API: timelines, threads, and the per-viewer facts about
a page of statuses, loaded in a few queries for the whole page."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import redis
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Lower

from accounts.models import Account, Follow
from accounts.selectors import blocked_domains, excluded_by, muted_account_ids
from fediverse import prepared
from moderation.selectors_emojis import PageEmojis, page_emojis
from timelines.models import (
    Bookmark,
    Favourite,
    Notification,
    Poll,
    PollVote,
    PreviewCard,
    PreviewCardStatus,
    Status,
    StatusPin,
    Tag,
    Visibility,
)
from timelines.models_curation import Filter, ListAccount, TagFollow
from timelines.models_posts import ConversationMute
from timelines.services.conversation_mutes import muted_status_ids

PAGE_SIZE = 20
MAX_PAGE_SIZE = 40


def _with_relations(qs: QuerySet[Status]) -> QuerySet[Status]:
    return qs.select_related(
        "account",
        "reblog__account",
        # The Account entity names where a moved account went.
        "account__moved_to",
        "reblog__account__moved_to",
        "in_reply_to_account",
        "reblog__in_reply_to_account",
        "application",
        "reblog__application",
        "poll",
        "reblog__poll",
    ).prefetch_related(
        "mentions__account",
        "tags",
        "media_attachments",
        "reblog__mentions__account",
        "reblog__tags",
        "reblog__media_attachments",
    )


def hydrate(qs: QuerySet[Status]) -> QuerySet[Status]:
    """Statuses with everything their entity shows, for a fixed number of queries."""
    return _with_relations(qs)


def paginate(
    qs: QuerySet[Status],
    *,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
    limit: int = PAGE_SIZE,
) -> list[Status]:
    """Mastodon's id-based pages: newest first, or oldest-above-min_id first then reversed."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    if max_id is not None:
        qs = qs.filter(id__lt=max_id)
    if since_id is not None:
        qs = qs.filter(id__gt=since_id)
    if min_id is not None:
        return list(reversed(_with_relations(qs.filter(id__gt=min_id)).order_by("id")[:limit]))
    return list(_with_relations(qs).order_by("-id")[:limit])


def home_timeline(viewer: Account) -> QuerySet[Status]:
    """Home read from the viewer's Redis feed (rebuilt from the database when missing), or
    straight from the database when Redis cannot be reached."""
    from timelines import feeds

    feed = feeds.RankedFeed(feeds.home_key(viewer.pk), lambda n: newest_ids(home_query(viewer), n))
    try:
        ids = feed.ids()
    except redis.RedisError:
        return home_query(viewer)
    return feeds.statuses_in(ids)


def home_window(
    viewer: Account,
    count: int,
    *,
    max_id: int | None = None,
    since_id: int | None = None,
    min_id: int | None = None,
) -> list[int] | None:
    """Candidate ids for one page of home, newest first, read from the Redis feed alone (the
    statuses may since have been deleted or their authors suspended); None when Redis cannot
    be reached, for the caller to page home_query() instead."""
    from timelines import feeds

    feed = feeds.RankedFeed(feeds.home_key(viewer.pk), lambda n: newest_ids(home_query(viewer), n))
    try:
        return feed.window(count, max_id=max_id, since_id=since_id, min_id=min_id)
    except redis.RedisError:
        return None


def built_home_window(viewer: Account, count: int, **cursor: int | None) -> list[int] | None:
    """home_window() when the feed is built and Redis answers; None otherwise, having changed
    nothing."""
    from timelines import feeds

    feed = feeds.RankedFeed(feeds.home_key(viewer.pk), lambda n: [])
    try:
        return feed.built_window(count, **cursor)
    except redis.RedisError:
        return None


def newest_ids(qs: QuerySet[Status], count: int) -> list[int]:
    return list(qs.order_by("-id").values_list("id", flat=True)[:count])


def home_query(viewer: Account) -> QuerySet[Status]:
    """The home timeline as a database query: what the Redis feed mirrors."""
    followed = Follow.objects.filter(account=viewer).values("target_account_id")
    own_or_followed = Q(account=viewer) | Q(account_id__in=followed)
    # A reply shows on home only when it answers its own author, the viewer or someone followed.
    replies_ok = (
        Q(in_reply_to_account__isnull=True)
        | Q(in_reply_to_account=viewer)
        | Q(in_reply_to_account_id__in=followed)
        | Q(in_reply_to_account_id=F("account_id"))
    )
    # Boosts of and replies to muted or blocked accounts stay off home too; the viewer's own
    # posts always show.
    involves_muted = (
        Q(account_id__in=muted_account_ids(viewer))
        | excluded_by(viewer, "reblog__account_id")
        | excluded_by(viewer, "in_reply_to_account_id")
    )
    from_follows = own_or_followed & (replies_ok | Q(account=viewer))
    return (
        Status.objects.visible_to(viewer)
        .filter(from_follows | _with_followed_tags(viewer))
        .exclude(other_languages(viewer))
        .exclude(involves_muted & ~Q(account=viewer))
        .exclude(_in_exclusive_lists(viewer))
        # Posts imported from an archive never reach followers' home, rebuilt or not.
        .exclude(Q(imported_at__isnull=False) & ~Q(account=viewer))
    )


def other_languages(viewer: Account) -> Q:
    """Original posts, in a known language, by an account the viewer follows for only some
    languages, in none of those (Follow.languages; fan-out applies the same rule)."""
    refused = Q()
    chosen = Follow.objects.filter(account=viewer, languages__isnull=False)
    for target_id, codes in chosen.values_list("target_account_id", "languages"):
        if codes:
            # Compared without case, as fan-out compares them.
            accepted = Q()
            for code in codes:
                accepted |= Q(language__iexact=code)
            refused |= (
                Q(account_id=target_id, reblog__isnull=True, language__isnull=False)
                & ~Q(language="")
                & ~accepted
            )
    return refused


def _with_followed_tags(viewer: Account) -> Q:
    """Public original posts carrying a hashtag the viewer follows come into home too."""
    tags = TagFollow.objects.filter(account=viewer).values("tag_id")
    return Q(
        id__in=Status.tags.through.objects.filter(tag_id__in=tags).values("status_id"),
        visibility=Visibility.PUBLIC,
        reblog__isnull=True,
        account__suspended_at__isnull=True,
        account__silenced_at__isnull=True,
    )


def _in_exclusive_lists(viewer: Account) -> Q:
    """Members of the viewer's exclusive lists are read in those lists, not on home."""
    members = ListAccount.objects.filter(list__account=viewer, list__exclusive=True)
    return Q(account_id__in=members.values("account_id")) & ~Q(account=viewer)


def _without_excluded(qs: QuerySet[Status], viewer: Account | None) -> QuerySet[Status]:
    """Public listings leave out the viewer's muted accounts and blocked domains."""
    if viewer is None:
        return qs
    qs = qs.exclude(account_id__in=muted_account_ids(viewer))
    return qs.exclude(account__domain__in=blocked_domains(viewer))


def public_timeline(viewer: Account | None, *, local: bool | None = None) -> QuerySet[Status]:
    qs = Status.objects.visible_to(viewer).listed().filter(account__suspended_at__isnull=True)
    qs = qs.filter(account__silenced_at__isnull=True)
    if local is True:
        qs = qs.filter(local=True)
    elif local is False:
        qs = qs.filter(local=False)
    return _without_excluded(qs, viewer)


TAGS_PER_MODE = 4  # Mastodon reads at most four names from each of any[], all[], none[]


def _tagged(names: list[str]) -> QuerySet[Status]:
    tags = Tag.objects.annotate(lname=Lower("name")).filter(lname__in=[n.lower() for n in names])
    return Status.tags.through.objects.filter(tag_id__in=tags.values("id")).values("status_id")


def tag_timeline(
    viewer: Account | None,
    tag_name: str,
    *,
    any_of: list[str] | None = None,
    all_of: list[str] | None = None,
    none_of: list[str] | None = None,
) -> QuerySet[Status]:
    """Posts with the tag or any of `any_of`, with every tag of `all_of`, none of `none_of`."""
    qs = (
        Status.objects.visible_to(viewer)
        .listed()
        .filter(id__in=_tagged([tag_name, *(any_of or [])[:TAGS_PER_MODE]]))
        .filter(account__suspended_at__isnull=True)
        # Limited accounts stay out of public feeds, hashtags included, as on Mastodon.
        .filter(account__silenced_at__isnull=True)
    )
    for name in (all_of or [])[:TAGS_PER_MODE]:
        qs = qs.filter(id__in=_tagged([name]))
    if none_of:
        qs = qs.exclude(id__in=_tagged(none_of[:TAGS_PER_MODE]))
    return _without_excluded(qs, viewer)


def find_tag(name: str) -> Tag | None:
    return Tag.objects.filter(name__iexact=name).first()


def account_statuses(
    viewer: Account | None, account: Account, *, with_replies: bool = False
) -> QuerySet[Status]:
    qs = Status.objects.visible_to(viewer).filter(account=account)
    if not with_replies:
        qs = qs.filter(Q(in_reply_to__isnull=True) | Q(in_reply_to_account=account))
    return qs


def thread(viewer: Account | None, status: Status) -> tuple[list[Status], list[Status]]:
    """Ancestors (oldest first) and descendants (in reply order) visible to the viewer."""
    visible = Status.objects.visible_to(viewer)
    ancestors: list[Status] = []
    parent_id = status.in_reply_to_id
    while parent_id is not None and len(ancestors) < 40:
        parent = _with_relations(visible.filter(pk=parent_id)).first()
        if parent is None:
            break
        ancestors.append(parent)
        parent_id = parent.in_reply_to_id
    descendants: list[Status] = []
    frontier = [status.pk]
    while frontier and len(descendants) < 200:
        children = list(_with_relations(visible.filter(in_reply_to_id__in=frontier)).order_by("id"))
        descendants.extend(children)
        frontier = [c.pk for c in children]
    descendants.sort(key=lambda s: s.pk)
    return list(reversed(ancestors)), descendants


@dataclass
class StatusFacts:
    """Counts and the viewer's own relation to each status on a page, by status id."""

    replies: dict[int, int] = field(default_factory=dict)
    reblogs: dict[int, int] = field(default_factory=dict)
    favourites: dict[int, int] = field(default_factory=dict)
    favourited: set[int] = field(default_factory=set)
    reblogged: set[int] = field(default_factory=set)
    bookmarked: set[int] = field(default_factory=set)
    muted: set[int] = field(default_factory=set)
    pinned: set[int] = field(default_factory=set)
    own_votes: dict[int, list[int]] = field(default_factory=dict)
    # Filter matches (timelines.services.filters.FilterMatch) of the viewer's filters, set by
    # timelines.api.present for the endpoint's filter context.
    filtered: dict[int, list[Any]] = field(default_factory=dict)
    # Whether the viewer has any filter at all, read with the viewer's flags: most have none,
    # and then their filters need no query of their own.
    viewer_has_filters: bool = True
    cards: dict[int, PreviewCard] = field(default_factory=dict)
    # Custom emoji of each status, its poll and its author (moderation.selectors_emojis).
    emojis: PageEmojis = field(default_factory=PageEmojis)


def status_facts(viewer: Account | None, statuses: list[Status]) -> StatusFacts:
    ids = {s.reblog_id or s.pk for s in statuses}
    facts = StatusFacts()
    if not ids:
        return facts
    counts = Status.objects.filter(pk__in=ids).annotate(
        n_replies=Count("replies", distinct=True),
        n_reblogs=Count("reblogs", distinct=True),
        n_favourites=Count("favourites", distinct=True),
    )
    for row in counts.values("id", "n_replies", "n_reblogs", "n_favourites"):
        facts.replies[row["id"]] = row["n_replies"]
        facts.reblogs[row["id"]] = row["n_reblogs"]
        facts.favourites[row["id"]] = row["n_favourites"]
    links = PreviewCardStatus.objects.filter(status_id__in=ids).select_related("card")
    facts.cards = {link.status_id: link.card for link in links}
    facts.emojis = page_emojis({s.reblog or s for s in statuses if s.reblog or not s.reblog_id})
    if viewer is not None:
        add_viewer_facts(facts, viewer, ids)
    return facts


def _viewer_facts_sql(count: int) -> str:
    """One statement for any page size on PostgreSQL (the ids go as one array, so the
    statement is prepared once); a list of placeholders elsewhere."""
    if connection.vendor == "postgresql":
        among = "= ANY(%(ids)s)"
    else:
        among = f"IN ({', '.join(f'%(id{n})s' for n in range(count))})"
    viewer = "%(account)s"
    parts = [
        f"SELECT 'favourited', status_id, 0 FROM {Favourite._meta.db_table} "
        f"WHERE account_id = {viewer} AND status_id {among}",
        f"SELECT 'reblogged', reblog_id, 0 FROM {Status._meta.db_table} "
        f"WHERE account_id = {viewer} AND reblog_id {among}",
        f"SELECT 'bookmarked', status_id, 0 FROM {Bookmark._meta.db_table} "
        f"WHERE account_id = {viewer} AND status_id {among}",
        f"SELECT 'pinned', status_id, 0 FROM {StatusPin._meta.db_table} "
        f"WHERE account_id = {viewer} AND status_id {among}",
        f"SELECT 'voted', p.status_id, v.choice FROM {PollVote._meta.db_table} v "
        f"JOIN {Poll._meta.db_table} p ON p.id = v.poll_id "
        f"WHERE v.account_id = {viewer} AND p.status_id {among}",
        f"SELECT 'filters', count(*), 0 FROM {Filter._meta.db_table} WHERE account_id = {viewer}",
        f"SELECT 'thread_mutes', count(*), 0 FROM {ConversationMute._meta.db_table} "
        f"WHERE account_id = {viewer}",
    ]
    return " UNION ALL ".join(parts)


def add_viewer_facts(facts: StatusFacts, viewer: Account, status_ids: Iterable[int]) -> None:
    """The viewer's favourites, boosts, bookmarks, pins and poll votes among these statuses,
    and whether the viewer has filters and muted threads, in one query (all are small indexed
    lookups); then the muted conversations."""
    ids = sorted(set(status_ids))
    if not ids:
        return
    votes: list[tuple[int, int]] = []
    values: dict[str, Any] = {"account": viewer.pk, "ids": ids}
    if connection.vendor != "postgresql":
        values.update((f"id{n}", pk) for n, pk in enumerate(ids))
        del values["ids"]
    statement = prepared.Statement(
        "herd_viewer_facts",
        _viewer_facts_sql(len(ids)),
        (("account", "bigint"), ("ids", "bigint[]")),
    )
    threads_muted = False
    found = prepared.fetch_all(statement, values)
    for kind, status_id, choice in found:
        if kind == "filters":
            facts.viewer_has_filters = status_id > 0
        elif kind == "thread_mutes":
            threads_muted = status_id > 0
        elif kind == "voted":
            votes.append((status_id, choice))
        else:
            getattr(facts, kind).add(status_id)
    for status_id, choice in sorted(votes):
        facts.own_votes.setdefault(status_id, []).append(choice)
    # Most accounts never muted a thread: then no thread is walked.
    facts.muted = muted_status_ids(viewer.pk, ids) if threads_muted else set()


def own_poll_votes(viewer: Account, status_ids: Iterable[int]) -> dict[int, list[int]]:
    """The choices the viewer voted for in the polls of these statuses, by status id."""
    votes: dict[int, list[int]] = {}
    rows = PollVote.objects.filter(account=viewer, poll__status_id__in=list(status_ids))
    for status_id, choice in rows.order_by("choice").values_list("poll__status_id", "choice"):
        votes.setdefault(status_id, []).append(choice)
    return votes


def pinned_statuses(qs: QuerySet[Status]) -> QuerySet[Status]:
    return qs.filter(pins__account_id=F("account_id"))


def bookmarked_statuses(viewer: Account) -> QuerySet[Status]:
    ids = Bookmark.objects.filter(account=viewer).values("status_id")
    return Status.objects.visible_to(viewer).filter(pk__in=ids)


def notifications(viewer: Account) -> QuerySet[Notification]:
    """The notification list: without those the policy held back or from suspended senders."""
    return (
        Notification.objects.filter(
            account=viewer, filtered__isnull=True, from_account__suspended_at__isnull=True
        )
        .select_related("from_account", "status__account")
        .order_by("-id")
    )


def reblogs_of(viewer: Account | None, status: Status) -> QuerySet[Status]:
    """The boosts of a status, for the accounts that boosted it (paged by the boost's id)."""
    qs = Status.objects.filter(reblog=status, account__suspended_at__isnull=True)
    if viewer is not None:
        qs = qs.exclude(excluded_by(viewer, "account_id"))
    return qs.select_related("account")


def favourites_of(viewer: Account | None, status: Status) -> QuerySet[Favourite]:
    """The favourites of a status, for the accounts that gave them (paged by favourite id)."""
    qs = Favourite.objects.filter(status=status, account__suspended_at__isnull=True)
    if viewer is not None:
        qs = qs.exclude(excluded_by(viewer, "account_id"))
    return qs.select_related("account")
