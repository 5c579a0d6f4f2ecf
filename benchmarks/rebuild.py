"""Benchmark 3: a returning user (feed dropped while inactive) who follows 1,000 accounts
asks for home: time to a complete first page, the feed being rebuilt from PostgreSQL."""

import time

from benchmarks.common import analyze, chunks, follow_all, make_users, summary, token_for

FOLLOWED = 1_000
POSTS_EACH = 10
RUNS = 7


def _seed() -> tuple[int, list[int]]:
    from accounts.models import Follow
    from timelines.models import Status

    returner = make_users("returner", 1, active=False)[0]
    followed = make_users("followee", FOLLOWED)
    have = set(
        Follow.objects.filter(account_id=returner).values_list("target_account_id", flat=True)
    )
    Follow.objects.bulk_create(
        [Follow(account_id=returner, target_account_id=f) for f in followed if f not in have]
    )
    if Status.objects.filter(account_id__in=followed).count() < FOLLOWED * POSTS_EACH:
        rows = [
            Status(account_id=a, text=f"post {n}", content=f"<p>post {n}</p>", local=True)
            for n in range(POSTS_EACH)
            for a in followed
        ]
        for batch in chunks(rows, 5000):
            Status.objects.bulk_create(batch)
    # Others follow these accounts too, so the tables are not the returner's alone.
    for follower in make_users("crowd", 200):
        follow_all([follower], followed[follower % FOLLOWED])
    return returner, followed


def run() -> None:
    from django.test import Client

    from timelines import feeds

    start = time.perf_counter()
    returner, _ = _seed()
    token = token_for([returner])[returner]
    analyze()
    print(f"seeded a user following {FOLLOWED:,} accounts with {POSTS_EACH} posts each in "
          f"{time.perf_counter() - start:.0f} s")  # fmt: skip
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client.get("/api/v1/timelines/home")  # loads code and warms the database cache
    cold, warm = [], []
    for _ in range(RUNS):
        feeds.RankedFeed(feeds.home_key(returner), lambda n: []).drop()
        begin = time.perf_counter()
        response = client.get("/api/v1/timelines/home")
        cold.append((time.perf_counter() - begin) * 1000)
        assert response.status_code == 200 and len(response.json()) == 20
        begin = time.perf_counter()
        client.get("/api/v1/timelines/home")
        warm.append((time.perf_counter() - begin) * 1000)
    size = len(feeds.ids_in(feeds.home_key(returner)))
    print(f"  first page with the feed rebuilt ({size} ids) " + summary("", cold))
    print("  the next page read from the built feed      " + summary("", warm))
