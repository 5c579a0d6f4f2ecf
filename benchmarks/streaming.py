"""Benchmark 4, streaming: 1,000 WebSocket clients connected to one server process; the time
from sending a post (POST /api/v1/statuses) to each client's `update` event, p50/p99/max.

Two scenarios, each with its own 1,000 users and tokens:
- public: every client streams `public` as its own logged-in user, so the hub screens the post
  for 1,000 viewers (blocks, mutes, domain blocks, filters) before sending it;
- user: every client follows the author and streams `user`; the post reaches them through the
  home fan-out, which publishes to each follower's channel.

It seeds its own data in the benchmark database and Redis (HERD_BENCH_DATABASE_URL and
HERD_BENCH_REDIS_URL, as the other benchmarks), starts `uvicorn fediverse.asgi:application` as the
production server on a free loopback port, with background tasks run inline (eager Celery),
and prints its figures and the machine it ran on.

    python benchmarks/streaming.py [--clients 1000] [--posts 20] [--scenario public|user|both]
    python benchmarks/run.py streaming [the same options]
"""

import argparse
import asyncio
import json
import os
import platform
import resource
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PREFIX = "benchstream"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def configure(port: int) -> dict[str, str]:
    sys.path.insert(0, str(ROOT))
    from benchmarks.common import BENCH_DATABASE_URL, BENCH_REDIS_URL

    database = BENCH_DATABASE_URL
    redis_url = BENCH_REDIS_URL
    env = {
        "DATABASE_URL": database,
        "REDIS_URL": redis_url,
        "FEDIVERSE_DOMAIN": f"127.0.0.1:{port}",
        "FEDIVERSE_HTTPS": "false",
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "API_RATELIMIT_ENABLE": "false",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "fediverse.settings",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-secret-key"),
    }
    os.environ.update(env)
    import django

    django.setup()
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("celery").setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return env


def seed(scenario: str, clients: int) -> tuple[str, list[str]]:
    """An author and `clients` users with tokens (bulk-created: one shared key pair, no
    password); in the `user` scenario they all follow the author and are active."""
    from django.db import transaction
    from django.utils import timezone
    from oauth2_provider.generators import generate_client_secret
    from oauth2_provider.models import get_access_token_model, set_token_value

    from accounts.models import Account, Follow, OAuthApplication, User
    from accounts.services.keys import generate_key_pair
    from fediverse import uris

    prefix = f"{PREFIX}{scenario}"
    Account.objects.filter(username__startswith=prefix, domain__isnull=True).delete()
    OAuthApplication.objects.filter(name=prefix).delete()
    private_key, public_key = generate_key_pair()
    now = timezone.now()
    names = [f"{prefix}author", *(f"{prefix}{n}" for n in range(clients))]
    with transaction.atomic():
        accounts = Account.objects.bulk_create(
            Account(username=name, uri=uris.account_uri(name), url=uris.account_url(name),
                    inbox_url=uris.absolute(f"/users/{name}/inbox"),
                    private_key=private_key, public_key=public_key)
            for name in names
        )  # fmt: skip
        users = [
            User(account=a, email=f"{a.username}@bench.invalid", approved=True,
                 confirmed_at=now, last_active_at=now)
            for a in accounts
        ]  # fmt: skip
        for user in users:
            user.set_unusable_password()
        User.objects.bulk_create(users)
        if scenario == "user":
            Follow.objects.bulk_create(
                Follow(account=a, target_account=accounts[0]) for a in accounts[1:]
            )
        app = OAuthApplication.objects.create(
            name=prefix, client_type="confidential", authorization_grant_type="authorization-code",
            client_secret=generate_client_secret(), redirect_uris="http://127.0.0.1/cb",
            scopes="read write",
        )  # fmt: skip
        tokens, raws = [], []
        next_year = now.replace(year=now.year + 1)
        for user in users:
            token = get_access_token_model()(
                user=user, application=app, scope="read write", expires=next_year
            )
            raw = f"{user.account.username}-{os.urandom(16).hex()}"
            set_token_value(token, raw)
            tokens.append(token)
            raws.append(raw)
        get_access_token_model().objects.bulk_create(tokens)
    return raws[0], raws[1:]


def start_server(port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "uvicorn", "fediverse.asgi:application",
               "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
               "--ws", "websockets-sansio", "--backlog", "4096"]  # fmt: skip
    log = open(ROOT / "var" / "benchmark-streaming-server.log", "wb")  # noqa: SIM115
    server = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **env}, stdout=log, stderr=subprocess.STDOUT
    )
    import httpx

    for _ in range(300):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/streaming/health").text == "OK":
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    server.kill()
    sys.exit("the server did not start")


async def measure(port: int, stream: str, author: str, tokens: list[str], posts: int) -> dict:
    import httpx
    from websockets.asyncio.client import connect

    arrivals: dict[str, list[float]] = {}
    ready = asyncio.Semaphore(100)

    async def client(token: str, connected: asyncio.Event) -> None:
        url = f"ws://127.0.0.1:{port}/api/v1/streaming?stream={stream}&access_token={token}"
        async with ready:
            websocket = await connect(url, open_timeout=60, max_queue=None)
        connected.set()
        async for raw in websocket:
            message = json.loads(raw)
            if message.get("event") == "update":
                status_id = json.loads(message["payload"])["id"]
                arrivals.setdefault(status_id, []).append(time.perf_counter())

    started = time.perf_counter()
    events = [asyncio.Event() for _ in tokens]
    tasks = [asyncio.create_task(client(t, e)) for t, e in zip(tokens, events, strict=True)]
    await asyncio.wait_for(asyncio.gather(*(e.wait() for e in events)), timeout=300)
    connect_seconds = time.perf_counter() - started
    await asyncio.sleep(1)
    latencies: list[float] = []
    answered: list[float] = []
    complete = 0
    headers = {"Authorization": f"Bearer {author}"}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=headers) as http:
        # One post first, not counted, so that the figures are of a warm server.
        await http.post("/api/v1/statuses", json={"status": "warming up"})
        await asyncio.sleep(1)
        for n in range(posts):
            sent = time.perf_counter()
            response = await http.post("/api/v1/statuses", json={"status": f"post {n}"})
            answered.append(time.perf_counter() - sent)
            status_id = response.json()["id"]
            deadline = sent + 30
            while len(arrivals.get(status_id, ())) < len(tokens) and time.perf_counter() < deadline:
                await asyncio.sleep(0.005)
            got = arrivals.get(status_id, [])
            complete += len(got) == len(tokens)
            latencies.extend(t - sent for t in got)
            await asyncio.sleep(0.3)
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "connect_seconds": connect_seconds,
        "latencies": latencies,
        "complete": complete,
        "answered": statistics.median(answered) * 1000,
    }


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{platform.system()} {platform.release()}, {os.cpu_count()} CPUs ({cpu})"


def run(
    clients: int = 1000, posts: int = 20, scenarios: tuple[str, ...] = ("public", "user")
) -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 3 * clients + 1024)), hard))
    port = free_port()
    env = configure(port)
    print(f"Streaming benchmark on {machine()}, Python {platform.python_version()}")
    print(f"{clients} WebSocket clients on one uvicorn process, {posts} posts per scenario")
    seeded = {scenario: seed(scenario, clients) for scenario in scenarios}
    server = start_server(port, env)
    try:
        for scenario in scenarios:
            author, tokens = seeded[scenario]
            result = asyncio.run(measure(port, scenario, author, tokens, posts))
            values = [v * 1000 for v in result["latencies"]]
            print(
                f"  {scenario:6} stream: connected in {result['connect_seconds']:.1f} s; "
                f"{len(values)} events, posts reaching every client {result['complete']}/{posts}; "
                f"post→update p50 {percentile(values, 0.5):.0f} ms, "
                f"p99 {percentile(values, 0.99):.0f} ms, max {max(values):.0f} ms "
                f"(the POST itself answered in {result['answered']:.0f} ms, median)"
            )
    finally:
        server.terminate()
        server.wait(timeout=30)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=1000)
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--scenario", choices=["public", "user", "both"], default="both")
    args = parser.parse_args(argv)
    scenarios = ("public", "user") if args.scenario == "both" else (args.scenario,)
    run(args.clients, args.posts, scenarios)


if __name__ == "__main__":
    main()
