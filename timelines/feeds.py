"""Home and list feeds in Redis: every key of them is named and written here.

A feed is a sorted set of status ids scored by the (snowflake, hence time-ordered) id itself,
trimmed to `FEED_MAX_SIZE` entries as Mastodon keeps 800. Beside it, `<key>:ready` says the
feed was built from PostgreSQL (a feed key alone may hold only what fan-out added since), and
`<key>:reblogs` remembers which original each boost in the feed carries, so that a post boosted
again while near the top is not shown twice. PostgreSQL stays the truth: a feed without its
`ready` mark is rebuilt from the database query it mirrors."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import redis
from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

from timelines.models import Status

# Mastodon's FeedManager::REBLOG_FALLOFF: a boost of a post among the newest 40 entries is
# not inserted again.
REBLOG_FALLOFF = 40
# Members around a cursor that a double score cannot tell apart from it: ids made in the same
# millisecond differ only in their low 16 bits, of which a double keeps all but the last few.
SCORE_SLACK = 32

# One call per batch of recipients: adds the status to each feed given in KEYS unless it is a
# boost of a post (or boosted again) near the top, then trims the feed and its reblog index.
# ARGV: status id, id of the boosted post or "0", maximum size, reblog falloff.
_INSERT = """
local id, reblog_of = ARGV[1], ARGV[2]
local max, falloff = tonumber(ARGV[3]), tonumber(ARGV[4])
local added = {}
for _, key in ipairs(KEYS) do
  local skip = false
  if reblog_of ~= '0' then
    local rank = redis.call('ZREVRANK', key, reblog_of)
    if rank and rank < falloff then skip = true end
    local prev = redis.call('ZSCORE', key .. ':reblogs', reblog_of)
    if not skip and prev and redis.call('ZSCORE', key, id) == false then
      if redis.call('ZCOUNT', key, '(' .. prev, '+inf') < falloff then skip = true end
    end
  end
  if not skip then
    redis.call('ZADD', key, id, id)
    if reblog_of ~= '0' then redis.call('ZADD', key .. ':reblogs', id, reblog_of) end
    if redis.call('ZCARD', key) > max then
      redis.call('ZREMRANGEBYRANK', key, 0, -(max + 1))
      local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2]
      redis.call('ZREMRANGEBYSCORE', key .. ':reblogs', '-inf', '(' .. oldest)
    end
    added[#added + 1] = key
  end
end
return added
"""


class Stats:
    """Redis round trips made by this process, for the benchmarks."""

    round_trips = 0


@lru_cache(maxsize=4)
def _client(url: str) -> redis.Redis:
    # Short timeouts: a Redis that is down must turn into a database read, not a hung request.
    return redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=5)


def client() -> redis.Redis:
    return _client(settings.REDIS_URL or "redis://127.0.0.1:6379/0")


@lru_cache(maxsize=4)
def _insert_sha(url: str) -> str:
    return str(_client(url).script_load(_INSERT))


def ids_in(key: str) -> list[int]:
    """The ids a feed key holds now, newest first (no rebuild)."""
    return [int(m) for m in client().zrevrange(key, 0, -1)]  # type: ignore[arg-type]


def max_size() -> int:
    return int(settings.FEED_MAX_SIZE)


def home_key(account_id: int) -> str:
    return f"feed:home:{account_id}"


def list_key(list_id: int) -> str:
    return f"feed:list:{list_id}"


def _all_keys(key: str) -> list[str]:
    return [key, f"{key}:ready", f"{key}:reblogs"]


@dataclass
class FeedWrite:
    """One batch of fan-out writes: feeds that get the status and feeds to drop."""

    status_id: int
    reblog_of_id: int | None
    insert_keys: list[str]
    drop_keys: list[str]


def write_batch(batch: FeedWrite) -> list[str]:
    """Apply a batch in one round trip; returns the feed keys the status was added to."""
    if not batch.insert_keys and not batch.drop_keys:
        return []
    url = settings.REDIS_URL
    sha = _insert_sha(url)
    args = [batch.status_id, batch.reblog_of_id or 0, max_size(), REBLOG_FALLOFF]
    with client().pipeline(transaction=False) as pipe:
        if batch.insert_keys:
            pipe.evalsha(sha, len(batch.insert_keys), *batch.insert_keys, *args)
        drops = [k for key in batch.drop_keys for k in _all_keys(key)]
        if drops:
            pipe.delete(*drops)
        try:
            results = pipe.execute()
        except redis.exceptions.NoScriptError:
            # Redis was restarted or flushed its scripts: load again and redo the batch
            # (every write in it is idempotent).
            _insert_sha.cache_clear()
            return write_batch(batch)
        finally:
            Stats.round_trips += 1
    added = results[0] if batch.insert_keys else []
    return [k.decode() if isinstance(k, bytes) else str(k) for k in added]


def remove_from(keys: Iterable[str], status_ids: Sequence[int]) -> None:
    """Take statuses out of many feeds in one round trip."""
    keys = list(keys)
    if not keys or not status_ids:
        return
    with client().pipeline(transaction=False) as pipe:
        for key in keys:
            pipe.zrem(key, *status_ids)
        pipe.execute()
    Stats.round_trips += 1


def holding(keys: Sequence[str], status_id: int) -> list[str]:
    """The feeds among these that hold the status, asked in one round trip."""
    if not keys:
        return []
    with client().pipeline(transaction=False) as pipe:
        for key in keys:
            pipe.zscore(key, str(status_id))
        scores = pipe.execute()
    Stats.round_trips += 1
    return [key for key, score in zip(keys, scores, strict=True) if score is not None]


def statuses_in(ids: list[int]) -> QuerySet[Status]:
    """The statuses of a feed page, by account not suspended. On PostgreSQL the ids go as one
    array parameter: compiling 800 placeholders cost more than running the query."""
    if connection.vendor == "postgresql":
        qs = Status.objects.extra(  # noqa: S610 - a fixed clause with one bound parameter
            where=['"timelines_status"."id" = ANY(%s::bigint[])'], params=[ids]
        )
    else:
        qs = Status.objects.filter(pk__in=ids)
    return qs.filter(account__suspended_at__isnull=True)


class RankedFeed:
    """A feed that rebuilds itself: `rebuild` returns the newest ids of the database query the
    feed mirrors, newest first."""

    def __init__(self, key: str, rebuild: Callable[[int], list[int]]) -> None:
        self.key = key
        self.rebuild = rebuild

    def ids(self) -> list[int]:
        """The feed's ids, newest first; built from the database first when it was never built
        or was dropped (Redis flushed, owner inactive). Raises redis.RedisError when Redis is
        unreachable, for the caller to fall back to the database."""
        with client().pipeline(transaction=False) as pipe:
            pipe.exists(f"{self.key}:ready")
            pipe.zrevrange(self.key, 0, max_size() - 1)
            ready, members = pipe.execute()
        Stats.round_trips += 1
        if ready:
            return [int(m) for m in members]  # type: ignore[arg-type]
        ids = self.rebuild(max_size())
        self.merge(ids, mark_ready=True)
        merged = {int(m) for m in members} | set(ids)
        return sorted(merged, reverse=True)[: max_size()]

    def window(
        self,
        count: int,
        *,
        max_id: int | None = None,
        since_id: int | None = None,
        min_id: int | None = None,
    ) -> list[int]:
        """Up to `count` ids of one page, newest first: the newest below `max_id` and above
        `since_id`, or with `min_id` the oldest above it. Reads only the page from Redis; a
        feed never built is built first, as in ids()."""
        found = self.built_window(count, max_id=max_id, since_id=since_id, min_id=min_id)
        if found is None:
            return _cut(self.ids(), count, max_id=max_id, since_id=since_id, min_id=min_id)
        return found

    def built_window(
        self,
        count: int,
        *,
        max_id: int | None = None,
        since_id: int | None = None,
        min_id: int | None = None,
    ) -> list[int] | None:
        """window() of a feed already built; None, without building it, for one that is not."""
        # Scores are doubles, exact only to 2**53: ids near a cursor may share its score. The
        # bounds are therefore inclusive, a few more members are read, and the cut is exact.
        floor = max(since_id or 0, min_id or 0)
        low = str(floor) if since_id or min_id else "-inf"
        high = str(max_id) if max_id is not None else "+inf"
        wanted = count + SCORE_SLACK
        with client().pipeline(transaction=False) as pipe:
            pipe.exists(f"{self.key}:ready")
            if min_id is not None:
                pipe.zrangebyscore(self.key, low, high, start=0, num=wanted)
            else:
                pipe.zrevrangebyscore(self.key, high, low, start=0, num=wanted)
            ready, members = pipe.execute()
        Stats.round_trips += 1
        if not ready:
            return None
        ids = [int(m) for m in members]  # type: ignore[union-attr]
        ids = [i for i in ids if i > floor and (max_id is None or i < max_id)]
        return ids[:count][::-1] if min_id is not None else ids[:count]

    def merge(self, ids: Sequence[int], *, mark_ready: bool = False) -> None:
        """Add ids (idempotent) and trim. Without `mark_ready`, only a built feed is written:
        an unbuilt one will read everything from the database anyway."""
        with client().pipeline(transaction=False) as pipe:
            if ids:
                pipe.zadd(self.key, {str(i): i for i in ids})
                pipe.zremrangebyrank(self.key, 0, -(max_size() + 1))
            if mark_ready:
                pipe.set(f"{self.key}:ready", 1)
            pipe.execute()
        Stats.round_trips += 1

    def is_ready(self) -> bool:
        return bool(client().exists(f"{self.key}:ready"))

    def current_ids(self) -> list[int]:
        return ids_in(self.key)

    def remove(self, ids: Sequence[int]) -> None:
        if ids:
            client().zrem(self.key, *ids)

    def drop(self) -> None:
        client().delete(*_all_keys(self.key))


def _cut(
    newest_first: list[int],
    count: int,
    *,
    max_id: int | None,
    since_id: int | None,
    min_id: int | None,
) -> list[int]:
    ids = [
        i
        for i in newest_first
        if (max_id is None or i < max_id)
        and (since_id is None or i > since_id)
        and (min_id is None or i > min_id)
    ]
    return ids[-count:] if min_id is not None else ids[:count]
