"""Benchmark 1: one post by an account with 10,000 and with 100,000 active local followers
(plus a tenth as many inactive ones, who must be skipped)."""

import time

from benchmarks.common import analyze, follow_all, make_users, summary, token_for

POSTS_PER_SIZE = 40
FANOUT_RUNS = 3


def _post_latencies(token: str, count: int) -> tuple[list[float], int]:
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    latencies, last_id = [], 0
    client.post("/api/v1/statuses", {"status": "warm-up"})  # first request loads code
    for n in range(count):
        start = time.perf_counter()
        response = client.post("/api/v1/statuses", {"status": f"benchmark post {n} {time.time()}"})
        latencies.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.content[:300]
        last_id = int(response.json()["id"])
    return latencies, last_id


def _purge_broker() -> None:
    """The posts' tasks went to the broker (nobody consumes them here): drop them."""
    from timelines import feeds

    client = feeds.client()
    for queue in ("default", "push", "ingress", "fanout", "media", "scheduler", "celery"):
        client.delete(queue)


def _count_present(status_id: int, account_ids: list[int]) -> int:
    from timelines import feeds

    present = 0
    client = feeds.client()
    for start in range(0, len(account_ids), 10000):
        with client.pipeline(transaction=False) as pipe:
            for account_id in account_ids[start : start + 10000]:
                pipe.zscore(feeds.home_key(account_id), status_id)
            present += sum(1 for score in pipe.execute() if score is not None)
    return present


def _time_fan_out(status_id: int) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from timelines import fanout, feeds

    trips_before = feeds.Stats.round_trips
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        fanout.fan_out(status_id)
        elapsed = time.perf_counter() - start
    return elapsed, len(queries.captured_queries), feeds.Stats.round_trips - trips_before


def run_size(size: int, active_pool: list[int], inactive_pool: list[int]) -> None:
    from timelines.models import Status

    author = make_users(f"fanauthor{size}", 1)[0]
    active, inactive = active_pool[:size], inactive_pool[: size // 10]
    follow_all(active + inactive, author)
    token = token_for([author])[author]
    analyze()
    latencies, _ = _post_latencies(token, POSTS_PER_SIZE)
    _purge_broker()
    print(f"\n{size:,} active + {len(inactive):,} inactive local followers")
    print(
        "  POST /api/v1/statuses (in-process Django client, fan-out queued) "
        + summary("", latencies)
    )
    for run in range(FANOUT_RUNS):
        status = Status.objects.create(
            account_id=author, text="fan-out probe", content="<p>probe</p>"
        )
        elapsed, queries, trips = _time_fan_out(status.pk)
        got = _count_present(status.pk, active)
        leaked = _count_present(status.pk, inactive)
        print(
            f"  run {run + 1}: fan-out {elapsed:.2f} s; {got:,}/{size:,} active feeds have it, "
            f"{leaked} inactive; {queries} SQL queries ({queries * 1000 / size:.2f} per 1,000), "
            f"{trips} Redis round trips ({trips * 1000 / size:.1f} per 1,000) + streaming publishes"
        )
        _purge_broker()


def run(sizes: tuple[int, ...] = (10_000, 100_000)) -> None:
    start = time.perf_counter()
    active_pool = make_users("fan", max(sizes))
    inactive_pool = make_users("fanidle", max(sizes) // 10, active=False)
    print(f"seeded/checked {len(active_pool) + len(inactive_pool):,} users in "
          f"{time.perf_counter() - start:.0f} s")  # fmt: skip
    for size in sizes:
        run_size(size, active_pool, inactive_pool)
