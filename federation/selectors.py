"""Reads behind the ActivityPub documents: the facts a Note shows, and the pages of each
collection, each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, QuerySet

from accounts.models import Account, FeaturedTag, Follow
from federation.render.note import MentionFact, NoteFacts
from media.models import MediaAttachment
from moderation.models import CustomEmoji
from moderation.selectors_emojis import body_text, emojis_for, shortcodes_in
from timelines.models import Mention, Poll, Status, Visibility

LISTED = (Visibility.PUBLIC, Visibility.UNLISTED)
SELF_REPLIES_SHOWN = 5
THREAD_DEPTH_LIMIT = 40
FOLLOWS_PER_PAGE = 12
OUTBOX_PAGE_SIZE = 20


def local_account(username: str) -> Account | None:
    return Account.objects.filter(username__iexact=username, domain__isnull=True).first()


def _parents(statuses: list[Status]) -> dict[int, Status]:
    ids = {s.in_reply_to_id for s in statuses if s.in_reply_to_id}
    return {p.pk: p for p in Status.objects.filter(pk__in=ids).only("id", "uri", "in_reply_to_id")}


def _thread_roots(statuses: list[Status]) -> dict[int, str]:
    """The id of the first post of each status's thread, walking up one level per query."""
    roots = {s.pk: s.uri for s in statuses}
    current = {s.pk: s.in_reply_to_id for s in statuses if s.in_reply_to_id}
    for _ in range(THREAD_DEPTH_LIMIT):
        if not current:
            break
        rows = Status.objects.filter(pk__in=set(current.values())).values(
            "id", "uri", "in_reply_to_id"
        )
        parents = {row["id"]: row for row in rows}
        following: dict[int, int] = {}
        for pk, parent_id in current.items():
            parent = parents.get(parent_id)
            if parent is None:
                continue
            roots[pk] = parent["uri"]
            if parent["in_reply_to_id"]:
                following[pk] = parent["in_reply_to_id"]
        current = following
    return roots


def _self_replies(statuses: list[Status]) -> dict[int, list[tuple[int, str]]]:
    authors = {s.pk: s.account_id for s in statuses}
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    replies = Status.objects.filter(
        in_reply_to_id__in=list(authors), visibility__in=LISTED, reblog__isnull=True
    ).order_by("id")
    for reply in replies.values("id", "uri", "account_id", "in_reply_to_id"):
        parent = reply["in_reply_to_id"]
        if reply["account_id"] == authors[parent] and len(found[parent]) < SELF_REPLIES_SHOWN:
            found[parent].append((reply["id"], reply["uri"]))
    return found


def _emojis(statuses: list[Status]) -> dict[int, list[CustomEmoji]]:
    options = dict(
        Poll.objects.filter(status_id__in=[s.pk for s in statuses]).values_list(
            "status_id", "options"
        )
    )
    texts = {s.pk: [s.spoiler_text, body_text(s), *options.get(s.pk, [])] for s in statuses}
    return emojis_for({s.pk: (s.account.domain, shortcodes_in(texts[s.pk])) for s in statuses})


def note_facts(statuses: list[Status]) -> dict[int, NoteFacts]:
    """NoteFacts for each status, keyed by status id."""
    if not statuses:
        return {}
    ids = [s.pk for s in statuses]
    mentions: dict[int, list[MentionFact]] = defaultdict(list)
    for mention in Mention.objects.filter(status_id__in=ids).select_related("account"):
        mentions[mention.status_id].append(
            MentionFact(mention.account.uri, mention.account.acct, mention.silent)
        )
    tags: dict[int, list[str]] = defaultdict(list)
    for row in Status.tags.through.objects.filter(status_id__in=ids).values(
        "status_id", "tag__name"
    ):
        tags[row["status_id"]].append(row["tag__name"])
    counts = {
        row["id"]: row
        for row in Status.objects.filter(pk__in=ids)
        .annotate(n_favourites=Count("favourites", distinct=True))
        .annotate(n_reblogs=Count("reblogs", distinct=True))
        .values("id", "n_favourites", "n_reblogs")
    }
    attachments: dict[int, list[MediaAttachment]] = defaultdict(list)
    for media in MediaAttachment.objects.filter(status_id__in=ids).order_by("position", "id"):
        attachments[media.status_id].append(media)  # type: ignore[index]
    emojis = _emojis(statuses)
    parents, roots, self_replies = (
        _parents(statuses),
        _thread_roots(statuses),
        _self_replies(statuses),
    )
    return {
        s.pk: NoteFacts(
            mentions=mentions[s.pk],
            tags=sorted(tags[s.pk], key=str.lower),
            in_reply_to_uri=parents[s.in_reply_to_id].uri if s.in_reply_to_id in parents else None,
            conversation=roots.get(s.pk),
            self_replies=self_replies.get(s.pk, []),
            favourites_count=counts[s.pk]["n_favourites"],
            reblogs_count=counts[s.pk]["n_reblogs"],
            attachments=attachments[s.pk],
            emojis=emojis[s.pk],
        )
        for s in statuses
    }


def visible_status(account: Account, status_id: int, viewer: Account | None) -> Status | None:
    """An original post of the account that the viewer (a signer, or nobody) may see."""
    return (
        Status.objects.visible_to(viewer)
        .filter(pk=status_id, account=account, reblog__isnull=True)
        .select_related("account")
        .first()
    )


def outbox_statuses(account: Account) -> QuerySet[Status]:
    """Posts and boosts anyone may see: public and unlisted only."""
    return Status.objects.filter(account=account, visibility__in=LISTED).select_related(
        "account", "reblog__account"
    )


def outbox_page(account: Account, *, max_id: int | None, min_id: int | None) -> list[Status]:
    qs = outbox_statuses(account)
    if min_id is not None:
        return list(reversed(qs.filter(id__gt=min_id).order_by("id")[:OUTBOX_PAGE_SIZE]))
    if max_id is not None:
        qs = qs.filter(id__lt=max_id)
    return list(qs.order_by("-id")[:OUTBOX_PAGE_SIZE])


def follows_of(account: Account, direction: str) -> QuerySet[Follow]:
    """Follow rows for the account's followers ("followers") or followings ("following")."""
    if direction == "followers":
        return Follow.objects.filter(target_account=account, account__suspended_at__isnull=True)
    return Follow.objects.filter(account=account, target_account__suspended_at__isnull=True)


def follow_page_uris(account: Account, direction: str, page: int) -> tuple[list[str], bool]:
    """One page (from 1) of account ids, newest first, and whether another page follows."""
    other = "account" if direction == "followers" else "target_account"
    start = (page - 1) * FOLLOWS_PER_PAGE
    rows = list(
        follows_of(account, direction)
        .order_by("-id")
        .values_list(f"{other}__uri", flat=True)[start : start + FOLLOWS_PER_PAGE + 1]
    )
    return rows[:FOLLOWS_PER_PAGE], len(rows) > FOLLOWS_PER_PAGE


def pinned_statuses(account: Account) -> list[Status]:
    return list(
        Status.objects.filter(
            pins__account=account, account=account, visibility__in=LISTED, reblog__isnull=True
        )
        .select_related("account")
        .order_by("-pins__id")
    )


def featured_tag_names(account: Account) -> list[str]:
    return list(
        FeaturedTag.objects.filter(account=account)
        .order_by("id")
        .values_list("tag__name", flat=True)
    )


def reply_page(
    status: Status, *, other_accounts: bool, min_id: int | None
) -> tuple[list[tuple[int, str]], bool]:
    """Listed replies to a post: the author's own first, then everyone else's."""
    qs = Status.objects.filter(in_reply_to=status, visibility__in=LISTED, reblog__isnull=True)
    qs = qs.exclude(account=status.account) if other_accounts else qs.filter(account=status.account)
    if min_id is not None:
        qs = qs.filter(id__gt=min_id)
    rows = list(qs.order_by("id").values_list("id", "uri")[: SELF_REPLIES_SHOWN + 1])
    return rows[:SELF_REPLIES_SHOWN], len(rows) > SELF_REPLIES_SHOWN
