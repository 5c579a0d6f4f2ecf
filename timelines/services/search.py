"""Search as Mastodon's /api/v2/search does it: accounts by handle and name, hashtags by
prefix, and statuses by full text, among posts the searcher wrote, favourited, bookmarked or
was mentioned in, and public posts of accounts that let themselves be indexed. Full text uses
PostgreSQL's text search (with the GIN index of migration 0005); on SQLite, substrings."""

import re
from dataclasses import dataclass, field
from typing import cast

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import F, Q, QuerySet, TextField, Value
from django.db.models.functions import Coalesce, Length, NullIf

from accounts.discovery import search_accounts
from accounts.models import Account
from accounts.selectors import muted_account_ids
from federation.services.remote_search import resolve_query
from timelines.models import Bookmark, Favourite, Mention, Status, Tag, Visibility
from timelines.selectors import hydrate

TYPES = ("accounts", "hashtags", "statuses")
URL_RE = re.compile(r"^https?://", re.IGNORECASE)


@dataclass(frozen=True)
class SearchParams:
    query: str
    type: str | None = None
    limit: int = 20
    offset: int = 0
    resolve: bool = False
    following: bool = False
    account_id: int | None = None
    max_id: int | None = None
    min_id: int | None = None


@dataclass
class SearchResults:
    accounts: list[Account] = field(default_factory=list)
    hashtags: list[Tag] = field(default_factory=list)
    statuses: list[Status] = field(default_factory=list)


def search(viewer: Account | None, params: SearchParams) -> SearchResults:
    """Which kinds are searched follows Mastodon: '#…' looks for hashtags, a handle with '@'
    for accounts, statuses need a signed-in searcher; an offset only pages a single type."""
    query = params.query.strip()
    results = SearchResults()
    if not query or params.limit <= 0:
        return results
    offset = params.offset if params.type else 0
    wants = {kind: params.type in (None, "", kind) for kind in TYPES}
    if params.resolve and viewer is not None and offset == 0:
        # A remote handle or URL is fetched first, so that what follows finds it here.
        resolve_query(query)
    if params.resolve and URL_RE.match(query):
        if offset == 0:
            resolve_url(viewer, query, results, params.type)
        return results
    if wants["accounts"] and not (query.startswith("#") or ("@" in query and " " in query)):
        results.accounts = search_accounts(
            cast(Account, viewer), query, limit=params.limit, offset=offset,
            following=params.following and viewer is not None,
        )  # fmt: skip
    if wants["hashtags"] and "@" not in query:
        results.hashtags = search_tags(query, limit=params.limit, offset=offset)
    lone_token = (query.startswith("#") or "@" in query) and " " not in query
    if wants["statuses"] and viewer is not None and not lone_token:
        results.statuses = search_statuses(viewer, query, params, offset)
    return results


def resolve_url(viewer: Account | None, url: str, results: SearchResults, kind: str | None) -> None:
    """A URL names one known post or account (by its id or its web address)."""
    if kind in (None, "", "statuses"):
        status = (
            Status.objects.visible_to(viewer)
            .filter(Q(uri=url) | Q(url=url), reblog__isnull=True)
            .first()
        )
        if status is not None:
            results.statuses = [status]
            return
    if kind in (None, "", "accounts"):
        account = Account.objects.filter(Q(uri=url) | Q(url=url), suspended_at__isnull=True).first()
        if account is not None:
            results.accounts = [account]


def search_tags(query: str, *, limit: int, offset: int) -> list[Tag]:
    """Names starting with the query, shortest first; the exact name leads the first page."""
    name = query.strip().lstrip("#").strip()
    if not name:
        return []
    qs = Tag.objects.filter(name__istartswith=name).order_by(Length("name"), "name")
    found = list(qs[offset : offset + limit])
    exact = next((t for t in found if t.name.lower() == name.lower()), None)
    if offset == 0 and exact is not None:
        found = [exact, *(t for t in found if t is not exact)]
    return found


def status_vector() -> SearchVector:
    # Must stay the same expression as the index made in timelines/migrations/0005_curation.py.
    text = NullIf(F("text"), Value(""), output_field=TextField())
    document = Coalesce(text, F("content"), output_field=TextField())
    return SearchVector(document, "spoiler_text", config="simple")


def searchable_by(viewer: Account) -> Q:
    """Mastodon's `searchable_by` plus its public index of indexable accounts."""
    favourited = Favourite.objects.filter(account=viewer).values("status_id")
    bookmarked = Bookmark.objects.filter(account=viewer).values("status_id")
    mentioned = Mention.objects.filter(account=viewer).values("status_id")
    return (
        Q(account=viewer)
        | Q(pk__in=favourited)
        | Q(pk__in=bookmarked)
        | Q(pk__in=mentioned)
        | Q(visibility=Visibility.PUBLIC, account__indexable=True)
    )


def matching_text(qs: QuerySet[Status], query: str) -> QuerySet[Status]:
    if connection.vendor == "postgresql":
        wanted = SearchQuery(query, config="simple", search_type="websearch")
        return qs.annotate(document=status_vector()).filter(document=wanted)
    for word in query.split():
        qs = qs.filter(Q(text__icontains=word) | Q(content__icontains=word)
                       | Q(spoiler_text__icontains=word))  # fmt: skip
    return qs


def search_statuses(viewer: Account, query: str, params: SearchParams, offset: int) -> list[Status]:
    """Newest first, among posts the viewer may see, leaving out muted accounts."""
    qs = (
        Status.objects.visible_to(viewer)
        .filter(searchable_by(viewer), reblog__isnull=True, account__suspended_at__isnull=True)
        .exclude(account_id__in=muted_account_ids(viewer))
    )
    if params.account_id is not None:
        qs = qs.filter(account_id=params.account_id)
    if params.max_id is not None:
        qs = qs.filter(pk__lt=params.max_id)
    if params.min_id is not None:
        qs = qs.filter(pk__gt=params.min_id)
    ids = list(matching_text(qs, query).order_by("-id").values_list("id", flat=True)
               [offset : offset + params.limit])  # fmt: skip
    return ids_in_order(ids)


def ids_in_order(ids: list[int]) -> list[Status]:
    by_id = {s.pk: s for s in hydrate(Status.objects.filter(pk__in=ids))}
    return [by_id[i] for i in ids if i in by_id]
