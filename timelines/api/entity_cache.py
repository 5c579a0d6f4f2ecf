"""Status entities for a page of ids, each rendered once per version and kept in the process.

What every viewer sees alike of a status (the StatusSerializer's output for no viewer) is
cached under the status id together with a fingerprint PostgreSQL computes from every row the
entity is rendered from: the status, its author (and the account it moved to), application,
poll (and whether it has expired), media, mentions with the mentioned accounts, tags, the
preview card, the custom emoji its text and its author's profile may name. Any write,
whichever path it takes (API, inbox, admin, a bulk update), changes the fingerprint, so an
entry is never invalidated by hand and never served stale. The counts and the author's
statistics, which change all the time, are read fresh by the same query and laid over the
cached part, with the viewer's own flags computed for the page in one query.

Every table the Status or Account entity reads must be part of the fingerprint below."""

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import redis
from django.db import connection

from accounts.api.serializers import stats_fields
from accounts.models import Account, OAuthApplication
from accounts.selectors import COUNTERS_TABLE, AccountStats
from fediverse import prepared
from media.models import MediaAttachment
from moderation.models import CustomEmoji
from timelines import feeds, selectors
from timelines.api.present import present_status, status_context
from timelines.api.serializers import (
    StatusSerializer,
    is_pinnable,
    poll_of,
    poll_viewer_fields,
    viewer_fields,
)
from timelines.models import (
    Favourite,
    Mention,
    Poll,
    PreviewCard,
    PreviewCardStatus,
    Status,
    Tag,
)
from timelines.selectors import StatusFacts
from timelines.services.filters import active_filters, match_filters

# Entities kept per process, as compact JSON (about 1.5 kB each), and for how long one
# rendered by any process stays in Redis for the others.
CACHE_SIZE = 50_000
# Long enough for the posts home timelines are reading; short enough that the copies do not
# grow the feeds' Redis by a day of every post rendered.
SHARED_TTL = 2 * 3600


@dataclass(slots=True)
class Row:
    """A status of the page as the fingerprint query reads it, with what filters match."""

    pk: int
    account_id: int
    reblog_id: int | None
    local: bool
    text: str
    content: str
    spoiler_text: str
    fingerprint: str
    author_active: bool
    counts: tuple[int, int, int]
    author_stats: AccountStats


@dataclass(frozen=True)
class Cached:
    fingerprint: str
    entity: str  # JSON
    author_id: int
    sensitive: bool  # as the author chose it, shown to the author
    poll_author_id: int | None
    pinnable: bool

    def encode(self) -> str:
        poll = self.poll_author_id or 0
        flags = f"{int(self.sensitive)}{int(self.pinnable)}"
        return f"{self.fingerprint}|{self.author_id}|{poll}|{flags}|{self.entity}"

    @classmethod
    def decode(cls, value: bytes | str) -> "Cached | None":
        text = value.decode() if isinstance(value, bytes) else value
        parts = text.split("|", 4)
        if len(parts) != 5:
            return None
        fingerprint, author, poll, flags, entity = parts
        return cls(fingerprint, entity, int(author), flags[0] == "1",
                   int(poll) or None, flags[1] == "1")  # fmt: skip


class EntityCache:
    def __init__(self, size: int) -> None:
        self.size = size
        self.entries: OrderedDict[int, Cached] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, status_id: int, fingerprint: str) -> Cached | None:
        with self.lock:
            found = self.entries.get(status_id)
            if found is None or found.fingerprint != fingerprint:
                return None
            self.entries.move_to_end(status_id)
            return found

    def put(self, status_id: int, cached: Cached) -> Cached:
        with self.lock:
            self.entries[status_id] = cached
            self.entries.move_to_end(status_id)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)
        return cached

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


entities = EntityCache(CACHE_SIZE)


@lru_cache(maxsize=1)
def _rows_sql() -> str:
    status, account = Status._meta.db_table, Account._meta.db_table
    media, mention = MediaAttachment._meta.db_table, Mention._meta.db_table
    tags, tag = Status.tags.through._meta.db_table, Tag._meta.db_table
    app, poll = OAuthApplication._meta.db_table, Poll._meta.db_table
    favourite = Favourite._meta.db_table
    card_link, card = PreviewCardStatus._meta.db_table, PreviewCard._meta.db_table
    emoji = CustomEmoji._meta.db_table
    return f"""
        WITH page AS MATERIALIZED (
            SELECT * FROM {status} WHERE id = ANY(%(ids)s::bigint[])
            UNION ALL
            SELECT * FROM {status} WHERE id IN (
                SELECT reblog_id FROM {status}
                WHERE id = ANY(%(ids)s::bigint[]) AND reblog_id IS NOT NULL
            ) AND NOT id = ANY(%(ids)s::bigint[])
        )
        SELECT s.id, s.account_id, s.reblog_id, s.local, s.text, s.content, s.spoiler_text,
            a.suspended_at IS NULL,
            md5(concat_ws('|', s::text, a::text, coalesce(mv::text, ''),
                coalesce(ap::text, ''), coalesce(p::text, ''), p.expires_at <= now(),
                (SELECT string_agg(m::text, '|' ORDER BY m.id) FROM {media} m
                 WHERE m.status_id = s.id),
                (SELECT string_agg(concat_ws(',', ma.id, ma.username, ma.domain, ma.url), '|'
                                   ORDER BY mn.id)
                 FROM {mention} mn JOIN {account} ma ON ma.id = mn.account_id
                 WHERE mn.status_id = s.id),
                (SELECT string_agg(t::text, '|' ORDER BY t.id)
                 FROM {tags} st JOIN {tag} t ON t.id = st.tag_id WHERE st.status_id = s.id),
                (SELECT pc::text FROM {card_link} cl JOIN {card} pc ON pc.id = cl.card_id
                 WHERE cl.status_id = s.id),
                (SELECT string_agg(e::text, '|' ORDER BY e.id) FROM {emoji} e
                 WHERE coalesce(e.domain, '') = lower(coalesce(a.domain, ''))
                 AND e.shortcode IN (SELECT (regexp_matches(
                     concat_ws(' ', s.text, s.content, s.spoiler_text, p.options::text,
                               a.display_name, a.note, a.fields::text),
                     ':([a-zA-Z0-9_]{{2,}}):', 'g'))[1])))),
            (SELECT count(*) FROM {status} r WHERE r.in_reply_to_id = s.id),
            (SELECT count(*) FROM {status} r WHERE r.reblog_id = s.id),
            (SELECT count(*) FROM {favourite} f WHERE f.status_id = s.id),
            coalesce(ac.statuses_count, 0), ac.last_status_at,
            coalesce(ac.followers_count, 0), coalesce(ac.following_count, 0)
        FROM page s
        JOIN {account} a ON a.id = s.account_id
        LEFT JOIN {account} mv ON mv.id = a.moved_to_id
        LEFT JOIN {app} ap ON ap.id = s.application_id
        LEFT JOIN {poll} p ON p.status_id = s.id
        LEFT JOIN {COUNTERS_TABLE} ac ON ac.account_id = s.account_id
    """


@lru_cache(maxsize=1)
def _rows_statement() -> prepared.Statement:
    return prepared.Statement("herd_status_rows", _rows_sql(), (("ids", "bigint[]"),))


def load_rows(ids: list[int]) -> dict[int, Row]:
    """The statuses with these ids and the ones they boost, by id."""
    if not ids:
        return {}
    fetched = prepared.fetch_all(_rows_statement(), {"ids": ids})
    rows = {}
    for pk, account_id, reblog_id, local, text, content, spoiler, *rest in fetched:
        active, fingerprint, replies, reblogs, favourites, n, last, followers, following = rest
        stats = AccountStats(n, followers, following, _as_datetime(last))
        rows[pk] = Row(pk, account_id, reblog_id, local, text, content, spoiler, fingerprint,
                       active, (replies, reblogs, favourites), stats)  # fmt: skip
    return rows


def _as_datetime(value: Any) -> datetime | None:
    return value if isinstance(value, datetime) or value is None else None


def supported() -> bool:
    """The fingerprint is computed by PostgreSQL; other databases render every time."""
    return connection.vendor == "postgresql"


def present_page(
    viewer: Account | None, candidates: list[int], limit: int, filter_context: str, *,
    oldest: bool = False,
) -> tuple[list[dict[str, Any]], list[int]]:  # fmt: skip
    """Entities for the first `limit` candidates (newest first; the last ones with `oldest`)
    that still exist by authors not suspended, leaving out those the viewer's filters hide;
    with the ids of the page (hidden ones included) for its links."""
    rows, kept = _first_shown(candidates[::-1] if oldest else candidates, limit)
    if oldest:
        kept.reverse()
    page = [rows[i] for i in kept]
    everything = page + [rows[r.reblog_id] for r in page if r.reblog_id in rows]
    facts = StatusFacts()
    if viewer is not None:
        selectors.add_viewer_facts(facts, viewer, {r.reblog_id or r.pk for r in page})
        filters = active_filters(viewer, filter_context) if facts.viewer_has_filters else []
        if filters:
            facts.filtered = match_filters(filters, _statuses(page, rows))
    cached = _entities(everything)
    shown = [
        _compose(r, rows, cached, facts, viewer) for r in page if not _hidden(r, facts, viewer)
    ]
    return shown, kept


def entity_for_everyone(status_id: int) -> dict[str, Any] | None:
    """The status as shown to no one in particular (stream payloads); rendering it also
    leaves it in the cache for the home pages it is about to reach."""
    if not supported():
        hydrated = selectors.hydrate(Status.objects.filter(pk=status_id)).first()
        return present_status(None, hydrated) if hydrated is not None else None
    shown, _ = present_page(None, [status_id], 1, "home")
    return shown[0] if shown else None


def _first_shown(candidates: list[int], limit: int) -> tuple[dict[int, Row], list[int]]:
    """Rows are read for a page's worth of candidates at a time: usually the first read
    fills the page."""
    rows: dict[int, Row] = {}
    kept: list[int] = []
    start = 0
    while len(kept) < limit and start < len(candidates):
        batch = candidates[start : start + limit - len(kept)]
        start += len(batch)
        found = load_rows(batch)
        rows.update(found)
        kept += [i for i in batch if i in found and found[i].author_active]
    return rows, kept


def _statuses(page: list[Row], rows: dict[int, Row]) -> list[Status]:
    """Unsaved statuses holding what filters match against, boosts with their original."""

    def status(row: Row) -> Status:
        return Status(
            id=row.pk, account_id=row.account_id, reblog_id=row.reblog_id, local=row.local,
            text=row.text, content=row.content, spoiler_text=row.spoiler_text,
        )  # fmt: skip

    made = []
    for row in page:
        one = status(row)
        original = rows.get(row.reblog_id or 0)
        if original is not None:
            one.reblog = status(original)
        made.append(one)
    return made


def _hidden(row: Row, facts: StatusFacts, viewer: Account | None) -> bool:
    if viewer is None or row.account_id == viewer.pk:
        return False
    return any(match.hides for match in facts.filtered.get(row.pk, ()))


def _entities(rows: list[Row]) -> dict[int, Cached]:
    """From this process, else from Redis (shared by every process), else rendered."""
    found: dict[int, Cached] = {}
    for row in rows:
        hit = entities.get(row.pk, row.fingerprint)
        if hit is not None:
            found[row.pk] = hit
    missing = {r.pk: r.fingerprint for r in rows if r.pk not in found}
    for pk, entry in shared_entries(missing).items():
        found[pk] = entities.put(pk, entry)
    missing = {pk: fp for pk, fp in missing.items() if pk not in found}
    if missing:
        hydrated = list(selectors.hydrate(Status.objects.filter(pk__in=list(missing))))
        # The presenter's own context for no viewer, so that the entity holds whatever it
        # shows; its counts and statistics are replaced by fresh ones at every read.
        context = status_context(None, hydrated)
        rendered = {s.pk: _render(s, missing[s.pk], context) for s in hydrated}
        share_entries(rendered)
        for pk, entry in rendered.items():
            found[pk] = entities.put(pk, entry)
    return found


def _render(status: Status, fingerprint: str, context: dict[str, Any]) -> Cached:
    entity = StatusSerializer(status, context=context).data
    poll = poll_of(status)
    return Cached(
        fingerprint=fingerprint,
        entity=json.dumps(entity, separators=(",", ":")),
        author_id=status.account_id,
        sensitive=status.sensitive,
        poll_author_id=poll.account_id if poll is not None else None,
        pinnable=is_pinnable(status),
    )


def _compose(
    row: Row,
    rows: dict[int, Row],
    cached: dict[int, Cached],
    facts: StatusFacts,
    viewer: Account | None,
) -> dict[str, Any]:
    """The cached entity with the fresh counts and the viewer's flags laid over it."""
    entry = cached[row.pk]
    data: dict[str, Any] = json.loads(entry.entity)
    data["replies_count"], data["reblogs_count"], data["favourites_count"] = row.counts
    data["account"].update(stats_fields(row.author_stats))
    original = rows.get(row.reblog_id or 0)
    if original is not None and original.pk in cached:
        data["reblog"] = _compose(original, rows, cached, facts, viewer)
    if viewer is None:
        return data
    if entry.author_id == viewer.pk:
        data["sensitive"] = entry.sensitive
    if data.get("poll") is not None and entry.poll_author_id is not None:
        votes = facts.own_votes.get(row.pk)
        data["poll"].update(poll_viewer_fields(entry.poll_author_id, votes, viewer))
    data.update(viewer_fields(row.pk, entry.author_id, entry.pinnable, facts, viewer))
    return data


def _redis_key(status_id: int) -> str:
    return f"status:entity:{status_id}"


def shared_entries(wanted: dict[int, str]) -> dict[int, Cached]:
    """Entries other processes rendered, for the ids whose fingerprint they still match."""
    if not wanted:
        return {}
    ids = list(wanted)
    try:
        values = feeds.client().mget([_redis_key(i) for i in ids])
    except redis.RedisError:
        return {}
    found = {}
    for pk, value in zip(ids, values, strict=True):
        entry = Cached.decode(value) if value else None
        if entry is not None and entry.fingerprint == wanted[pk]:
            found[pk] = entry
    return found


def share_entries(rendered: dict[int, Cached]) -> None:
    try:
        with feeds.client().pipeline(transaction=False) as pipe:
            for pk, entry in rendered.items():
                pipe.set(_redis_key(pk), entry.encode(), ex=SHARED_TTL)
            pipe.execute()
    except redis.RedisError:
        pass  # the next reader renders it again
