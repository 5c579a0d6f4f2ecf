"""Benchmark 2: GET /api/v1/timelines/home (20 statuses with accounts, media and polls) for
10,000 users with full feeds, served by uvicorn with 2 worker processes; a separate load
process runs each of LOADS for DURATION seconds in turn: a fixed number of requests kept in
flight (the server's ceiling), and an open load at the target rate (its latency at that rate)."""

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from datetime import timedelta

from benchmarks.common import (
    BENCH_ENV,
    ROOT,
    analyze,
    chunks,
    cpu_seconds,
    make_users,
    summary,
    token_for,
)

READERS = 10_000
AUTHORS = 200
POSTS_PER_AUTHOR = 100
PORT = 8089
# (requests in flight, or connections for an open load; requests per second of an open load)
LOADS: tuple[tuple[int, int | None], ...] = ((8, None), (16, None), (64, 400))
WARMUP = 5.0
DURATION = 30.0


def _seed_statuses(authors: list[int]) -> list[int]:
    from django.utils import timezone

    from media.models import MediaAttachment
    from timelines.models import Status
    from timelines.models_posts import Poll

    ids = list(
        Status.objects.filter(account_id__in=authors).order_by("id").values_list("id", flat=True)
    )
    if len(ids) >= len(authors) * POSTS_PER_AUTHOR:
        return ids
    rows = [
        Status(
            account_id=a,
            text=f"post {n}",
            content=f"<p>post {n} by {a}, some words here</p>",
            visibility="public",
            local=True,
            language="en",
        )  # fmt: skip
        for n in range(POSTS_PER_AUTHOR)
        for a in authors
    ]
    for batch in chunks(rows, 5000):
        Status.objects.bulk_create(batch)
    polls = [
        Poll(
            status=s,
            account_id=s.account_id,
            options=["yes", "no"],
            tallies=[0, 0],
            expires_at=timezone.now() + timedelta(days=30),
        )  # fmt: skip
        for s in rows[::10]
    ]
    Poll.objects.bulk_create(polls, batch_size=5000)
    media = [
        MediaAttachment(
            account_id=s.account_id,
            status=s,
            type="image",
            file=f"bench/{s.pk}.png",
            file_content_type="image/png",
            meta={"original": {"width": 640, "height": 480}},
            description="a picture",
        )  # fmt: skip
        for s in rows[1::5]
    ]
    MediaAttachment.objects.bulk_create(media, batch_size=5000)
    return [s.pk for s in rows]


def _fill_feeds(readers: list[int], pool: list[int]) -> None:
    """Every reader gets a full feed: FEED_MAX_SIZE ids picked from the pool, marked built."""
    from timelines import feeds

    size = feeds.max_size()
    rng = random.Random(1)
    client = feeds.client()
    for batch in chunks(readers, 200):
        with client.pipeline(transaction=False) as pipe:
            for reader in batch:
                key = feeds.home_key(reader)
                pipe.delete(key)
                pipe.zadd(key, {str(i): i for i in rng.sample(pool, size)})
                pipe.set(f"{key}:ready", 1)
            pipe.execute()


def _drop_feeds(readers: list[int]) -> None:
    """The full feeds take most of a gigabyte of Redis memory: free it after the run."""
    from timelines import feeds

    for batch in chunks(readers, 1000):
        feeds.client().delete(
            *(k for r in batch for k in (feeds.home_key(r), f"{feeds.home_key(r)}:ready"))
        )


def _serve() -> subprocess.Popen:
    env = {**os.environ, **BENCH_ENV}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "fediverse.asgi:application", "--host", "127.0.0.1",
         "--port", str(PORT), "--workers", "2", "--lifespan", "off", "--no-access-log"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    import httpx

    for _ in range(100):
        try:
            httpx.get(f"http://127.0.0.1:{PORT}/api/v1/instance", timeout=2)
            return server
        except httpx.HTTPError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("uvicorn did not start")


def _cpu() -> dict[str, float] | None:
    """CPU seconds so far of the web processes and of PostgreSQL; None without /proc."""
    # uvicorn's workers are spawned by multiprocessing, which names them by its own entry.
    web, workers = cpu_seconds("fediverse.asgi:application"), cpu_seconds("spawn_main")
    if web is None or workers is None:
        return None
    return {"web": web + workers, "postgres": cpu_seconds("postgres:") or 0.0}


def run() -> None:
    start = time.perf_counter()
    readers = make_users("reader", READERS)
    authors = make_users("poster", AUTHORS)
    pool = _seed_statuses(authors)
    _fill_feeds(readers, pool)
    tokens = list(token_for(readers).values())
    analyze()
    print(
        f"seeded {len(readers):,} readers with full feeds, {len(pool):,} statuses (1 in 10"
        f" with a poll, 1 in 5 with an image) in {time.perf_counter() - start:.0f} s"
    )
    server = _serve()
    try:
        # Little's law: with a fixed number in flight, latency is that number over throughput,
        # so those loads show the ceiling; the open load shows the latency at the target rate.
        results = [(load, _measure(tokens, *load)) for load in LOADS]
    finally:
        server.terminate()
        server.wait(timeout=20)
        _drop_feeds(readers)
    for (concurrency, rate), (result, before, after) in results:
        _report(concurrency, rate, result, before, after)


def _measure(
    tokens: list[str], concurrency: int, rate: int | None
) -> tuple[dict, dict[str, float] | None, dict[str, float] | None]:  # fmt: skip
    with tempfile.NamedTemporaryFile("w", suffix=".json") as tokens_file:
        json.dump(tokens, tokens_file)
        tokens_file.flush()
        load = subprocess.Popen(
            [sys.executable, str(ROOT / "benchmarks" / "load.py"), str(PORT),
             tokens_file.name, str(concurrency), str(WARMUP), str(DURATION), str(rate or 0)],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        time.sleep(WARMUP)
        before = _cpu()
        output, _ = load.communicate(timeout=WARMUP + DURATION + 60)
        after = _cpu()
    if load.returncode != 0:
        raise RuntimeError("the load process failed")
    return json.loads(output), before, after


def _report(
    concurrency: int,
    rate: int | None,
    result: dict,
    before: dict[str, float] | None,
    after: dict[str, float] | None,
) -> None:
    latencies = result["latencies"]
    if rate is None:
        load = f"{concurrency} requests kept in flight"
    else:
        load = (f"an open load of {rate} requests/s on up to {concurrency} connections, each"
                " latency counted from when its request was due")  # fmt: skip
    print(
        f"uvicorn, 2 workers; {load}, from one load process on the same machine;"
        f" {DURATION:.0f} s measured after {WARMUP:.0f} s warm-up"
    )
    print(f"  {len(latencies) / result['elapsed']:.0f} requests/s; errors: {result['errors']}")
    print("  GET /api/v1/timelines/home " + summary("", latencies))
    if before is not None and after is not None:
        web = (after["web"] - before["web"]) * 1000 / len(latencies)
        database = (after["postgres"] - before["postgres"]) * 1000 / len(latencies)
        print(f"  CPU per request: {web:.1f} ms in the web processes, {database:.1f} ms in"
              " PostgreSQL (every postgres process of the machine)")  # fmt: skip
