"""Shared by the benchmarks: their own database and Redis, bulk seeding, figures."""

import os
import platform
import statistics
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE_URL = os.environ.get(
    "HERD_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/herd_bench"
)
BENCH_REDIS_URL = os.environ.get("HERD_BENCH_REDIS_URL", "redis://127.0.0.1:6379/1")
BENCH_ENV = {
    "DATABASE_URL": BENCH_DATABASE_URL,
    "REDIS_URL": BENCH_REDIS_URL,
    "CELERY_TASK_ALWAYS_EAGER": "false",
    "API_RATELIMIT_ENABLE": "false",
    "RATELIMIT_ENABLE": "false",
    "SECRET_KEY": "benchmark-secret-key-not-for-production",
    "FEDIVERSE_DOMAIN": "bench.example",
    "ALLOWED_HOSTS": "*",
    "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "fediverse.settings",
}
PASSWORD_HASH = "!"  # unusable: benchmark users sign in with tokens only


def setup() -> None:
    """Point Django at the benchmark database and Redis, and migrate it."""
    os.environ.update(BENCH_ENV)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb // 1024 // 1024} GB RAM"
    except (OSError, ValueError):
        pass
    pg = subprocess.run(
        ["psql", BENCH_DATABASE_URL, "-Atc", "show server_version"],
        capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    return (
        f"{os.cpu_count()} cores ({cpu}){memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; PostgreSQL {pg or '?'}"
    )


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def summary(name: str, values_ms: list[float]) -> str:
    return (
        f"{name}: n={len(values_ms)} p50={percentile(values_ms, 0.5):.1f} ms "
        f"p99={percentile(values_ms, 0.99):.1f} ms mean={statistics.mean(values_ms):.1f} ms"
    )


def chunks(items: list, size: int) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def make_users(prefix: str, count: int, *, active: bool = True, days_ago: int = 0) -> list[int]:
    """Local accounts with confirmed users, created in bulk (or found from an earlier run);
    returns their account ids."""
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import Account, User

    existing = list(
        Account.objects.filter(username__startswith=f"{prefix}_", domain__isnull=True)
        .order_by("id")
        .values_list("id", flat=True)
    )
    if len(existing) >= count:
        return existing[:count]
    now = timezone.now()
    seen = now - timedelta(days=days_ago) if active else now - timedelta(days=30)
    start = len(existing)
    for batch in chunks(list(range(start, count)), 5000):
        accounts = Account.objects.bulk_create(
            [Account(username=f"{prefix}_{n}", display_name=f"{prefix} {n}") for n in batch]
        )
        User.objects.bulk_create(
            [
                User(
                    account=a,
                    email=f"{a.username}@bench.example",
                    password=PASSWORD_HASH,
                    confirmed_at=now,
                    last_active_at=seen,
                )  # fmt: skip
                for a in accounts
            ]
        )
        existing += [a.pk for a in accounts]
    return existing[:count]


def follow_all(follower_ids: list[int], target_id: int) -> None:
    from accounts.models import Follow

    have = set(
        Follow.objects.filter(target_account_id=target_id).values_list("account_id", flat=True)
    )
    todo = [f for f in follower_ids if f not in have]
    for batch in chunks(todo, 10000):
        Follow.objects.bulk_create(
            [Follow(account_id=f, target_account_id=target_id) for f in batch]
        )


def token_for(account_ids: list[int]) -> dict[int, str]:
    """A bearer token with read and write scopes for each account's user."""
    from datetime import timedelta

    from django.utils import timezone
    from oauth2_provider.models import get_access_token_model

    from accounts.models import OAuthApplication, User

    AccessToken = get_access_token_model()
    app, _ = OAuthApplication.objects.get_or_create(
        name="benchmark",
        defaults={
            "client_type": "public",
            "authorization_grant_type": "authorization-code",
            "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
            "scopes": "read write",
        },  # fmt: skip
    )
    users = dict(User.objects.filter(account_id__in=account_ids).values_list("account_id", "id"))
    expires = timezone.now() + timedelta(days=365)
    tokens = {a: f"bench-{a}" for a in account_ids}
    have = set(
        AccessToken.objects.filter(user_id__in=users.values(), application=app).values_list(
            "user_id", flat=True
        )
    )
    new = [
        AccessToken(
            user_id=users[a], application=app, token=tokens[a], expires=expires, scope="read write"
        )  # fmt: skip
        for a in account_ids
        if users[a] not in have
    ]
    for batch in chunks(new, 5000):
        AccessToken.objects.bulk_create(batch)
    return tokens


def analyze() -> None:
    """Fresh planner statistics after bulk seeding, as autovacuum would give a live server."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def cpu_seconds(match: str) -> float | None:
    """User and system CPU time of every process whose command line contains `match`, from
    /proc (Linux); None elsewhere."""
    proc = Path("/proc")
    if not (proc / "self" / "stat").exists():
        return None
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if match in command:
            total += (int(fields[11]) + int(fields[12])) / tick
    return total
