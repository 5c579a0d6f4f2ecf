"""Two instances of this server, each in its own process with its own PostgreSQL database
and Redis database, federating over loopback; the whole social graph is played through
each one's Mastodon API and every result checked on the other side.

The instances listen on 127.0.0.2:80 and 127.0.0.3:80, so that their domains carry no port
and handles such as alice@127.0.0.2 read as on any server. Each runs Django's threaded
server with Celery eager: a request that delivers to the other instance waits for it, and
the other instance's key lookup back into the first is served by another thread."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import psycopg
import pytest
import redis

ROOT = Path(__file__).resolve().parents[2]
STEP_TIMEOUT = 15.0
SETUP = """
import json, secrets, sys
from datetime import timedelta
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model
from accounts.services.registration import do_create_local_account
app = get_application_model().objects.create(
    name="two-instances", client_type="confidential",
    authorization_grant_type="authorization-code", redirect_uris="urn:ietf:wg:oauth:2.0:oob",
    scopes="read write follow push")
tokens = {}
for spec in sys.argv[1:]:
    name, _, locked = spec.partition(":")
    user = do_create_local_account(username=name, email=name + "@example.com",
        password="correct horse battery staple", confirmed=True, approved=True)
    if locked:
        user.account.locked = True
        user.account.save()
    token = secrets.token_urlsafe(32)
    get_access_token_model().objects.create(user=user, application=app, token=token,
        expires=timezone.now() + timedelta(days=1), scope="read write follow push")
    tokens[name] = token
print("TOKENS=" + json.dumps(tokens))
"""


DELETE_ALICE = """
from accounts.models import User
from moderation.services.registrations import do_delete_local_account
do_delete_local_account(actor=None, user=User.objects.get(account__username="alice"))
"""


def _can_bind(host: str) -> bool:
    try:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, 80))
        return True
    except OSError:
        return False


def _admin_url() -> str:
    base = os.environ.get("HERD_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/herd")
    return base.rsplit("/", 1)[0]


def _recreate_databases(names: list[str], template: str | None = None) -> None:
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(_admin_url() + "/postgres", autocommit=True) as connection:
        for name in names:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"{copy}')


@dataclass
class Instance:
    host: str
    database: str
    redis_db: int
    tokens: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen[bytes] | None = None

    @property
    def env(self) -> dict[str, str]:
        redis = os.environ.get("HERD_TEST_REDIS_URL", "redis://127.0.0.1:6379/12")
        return {
            **os.environ,
            "DATABASE_URL": f"{_admin_url()}/{self.database}",
            "REDIS_URL": f"{redis.rsplit('/', 1)[0]}/{self.redis_db}",
            "CELERY_TASK_ALWAYS_EAGER": "true",
            "FEDIVERSE_DOMAIN": self.host,
            "FEDIVERSE_HTTPS": "false",
            "FEDIVERSE_ALLOWED_PRIVATE_ADDRESSES": "127.0.0.0/8",
            "RATELIMIT_ENABLE": "false",
            "SECRET_KEY": "two-instances-" + self.host,
            "DJANGO_SETTINGS_MODULE": "fediverse.settings",
        }

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            timeout=300,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode()[-3000:]
        return done.stdout.decode()

    def run(self, script: str, *args: str) -> str:
        """A Python script run in this instance's environment (its database, its settings)."""
        done = subprocess.run(
            [
                sys.executable,
                "-c",
                "import django, sys; django.setup(); exec(sys.stdin.read())",
                *args,
            ],
            input=script.encode(),
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode()[-3000:]
        return done.stdout.decode()

    @property
    def log_path(self) -> Path:
        # The server's own log, for reading when a step fails.
        return Path(f"/tmp/herd-two-instances-{self.host}.log")

    def start(self) -> None:
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "manage.py", "runserver", f"{self.host}:80", "--noreload"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://{self.host}/api/v1/instance", timeout=2).status_code:
                    return
            except httpx.HTTPError:
                time.sleep(0.3)
        raise AssertionError(f"{self.host} did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()

    def api(self, user: str) -> httpx.Client:
        return httpx.Client(
            base_url=f"http://{self.host}",
            headers={"Authorization": f"Bearer {self.tokens[user]}"},
            timeout=60,
        )


@pytest.fixture(scope="module")
def instances() -> Iterator[tuple[Instance, Instance]]:
    if not (_can_bind("127.0.0.2") and _can_bind("127.0.0.3")):
        pytest.skip("Port 80 on 127.0.0.2 and 127.0.0.3 is needed (root, and free).")
    a = Instance("127.0.0.2", "herd_h12_a", 13)
    b = Instance("127.0.0.3", "herd_h12_b", 14)
    _recreate_databases([a.database])
    for instance in (a, b):
        redis.Redis.from_url(instance.env["REDIS_URL"]).flushdb()
    a.manage("migrate", "--noinput")
    # The second database is a copy of the freshly migrated first: one migration run.
    _recreate_databases([b.database], template=a.database)
    for instance, users in ((a, ["alice", "carol:locked"]), (b, ["bob", "dave"])):
        output = instance.run(SETUP, *users)
        line = next(x for x in output.splitlines() if x.startswith("TOKENS="))
        instance.tokens = json.loads(line.removeprefix("TOKENS="))
    try:
        a.start()
        b.start()
        yield a, b
    finally:
        a.stop()
        b.stop()


def wait_for(check: Callable[[], Any], what: str, timeout: float = STEP_TIMEOUT) -> Any:
    """Poll with short sleeps until `check` returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for: {what}")
        time.sleep(0.3)


def ok(response: httpx.Response) -> Any:
    assert response.status_code < 300, (response.request.url, response.status_code, response.text)
    return response.json()


def resolve(client: httpx.Client, handle: str) -> dict[str, Any]:
    found = ok(
        client.get("/api/v2/search", params={"q": handle, "resolve": "true", "type": "accounts"})
    )
    assert found["accounts"], f"{handle} not found"
    return found["accounts"][0]


def relationship(client: httpx.Client, account_id: str) -> dict[str, Any]:
    return ok(client.get("/api/v1/accounts/relationships", params={"id[]": account_id}))[0]


def home_texts(client: httpx.Client) -> list[str]:
    return [s["content"] for s in ok(client.get("/api/v1/timelines/home"))]


def notifications(client: httpx.Client, kind: str) -> list[dict[str, Any]]:
    return [n for n in ok(client.get("/api/v1/notifications")) if n["type"] == kind]


def find_status(client: httpx.Client, url: str) -> dict[str, Any] | None:
    found = ok(
        client.get("/api/v2/search", params={"q": url, "resolve": "true", "type": "statuses"})
    )
    return found["statuses"][0] if found["statuses"] else None


def test_the_social_graph_across_two_instances(instances: tuple[Instance, Instance]) -> None:
    a, b = instances
    alice, carol, bob, dave = a.api("alice"), a.api("carol"), b.api("bob"), b.api("dave")

    # Search and follow an open account: the follow is a request until alice's Accept.
    alice_at_b = resolve(bob, "alice@127.0.0.2")
    assert alice_at_b["acct"] == "alice@127.0.0.2"
    ok(bob.post(f"/api/v1/accounts/{alice_at_b['id']}/follow"))
    wait_for(lambda: relationship(bob, alice_at_b["id"])["following"], "bob follows alice")
    bob_at_a = resolve(alice, "bob@127.0.0.3")
    wait_for(lambda: relationship(alice, bob_at_a["id"])["followed_by"], "alice sees bob")

    # A locked account: requested, then authorized by hand.
    carol_at_b = resolve(bob, "carol@127.0.0.2")
    assert carol_at_b["locked"]
    ok(bob.post(f"/api/v1/accounts/{carol_at_b['id']}/follow"))
    assert relationship(bob, carol_at_b["id"])["requested"]
    requests = wait_for(lambda: ok(carol.get("/api/v1/follow_requests")), "carol's request")
    ok(carol.post(f"/api/v1/follow_requests/{requests[0]['id']}/authorize"))
    wait_for(lambda: relationship(bob, carol_at_b["id"])["following"], "bob follows carol")
    carol_at_b_for_dave = resolve(dave, "carol@127.0.0.2")
    ok(dave.post(f"/api/v1/accounts/{carol_at_b_for_dave['id']}/follow"))
    requests = wait_for(lambda: ok(carol.get("/api/v1/follow_requests")), "dave's request")
    ok(carol.post(f"/api/v1/follow_requests/{requests[0]['id']}/reject"))
    wait_for(
        lambda: not relationship(dave, carol_at_b_for_dave["id"])["requested"], "the reject at b"
    )
    assert not relationship(dave, carol_at_b_for_dave["id"])["following"]

    # Every visibility: followers-only reaches followers, direct only the mentioned.
    posts = {}
    for visibility in ("public", "unlisted", "private"):
        posts[visibility] = ok(
            alice.post(
                "/api/v1/statuses",
                data={"status": f"A {visibility} post #herdtest", "visibility": visibility},
            )
        )
    posts["direct"] = ok(
        alice.post(
            "/api/v1/statuses",
            data={"status": "@bob@127.0.0.3 just for you", "visibility": "direct"},
        )
    )

    def in_home(text: str) -> Callable[[], bool]:
        return lambda: any(text in t for t in home_texts(bob))

    for visibility in ("public", "unlisted", "private"):
        wait_for(in_home(f"A {visibility} post"), f"the {visibility} post in bob's home")
    wait_for(lambda: notifications(bob, "mention"), "bob's direct mention")
    assert not any("just for you" in t for t in home_texts(dave))
    assert find_status(dave, posts["private"]["uri"]) is None
    public_at_b = ok(dave.get("/api/v1/timelines/public", params={"remote": "true"}))
    assert any("public post" in s["content"] for s in public_at_b)
    assert not any("private post" in s["content"] for s in public_at_b)

    tagged = ok(bob.get("/api/v1/timelines/tag/herdtest"))
    assert [s["uri"] for s in tagged] == [posts["public"]["uri"]]

    # Reply, favourite and boost from b reach alice as notifications.
    remote_public = wait_for(lambda: find_status(bob, posts["public"]["uri"]), "the post at b")
    ok(
        bob.post(
            "/api/v1/statuses",
            data={"status": "@alice@127.0.0.2 a reply", "in_reply_to_id": remote_public["id"]},
        )
    )
    ok(bob.post(f"/api/v1/statuses/{remote_public['id']}/favourite"))
    ok(bob.post(f"/api/v1/statuses/{remote_public['id']}/reblog"))
    wait_for(lambda: notifications(alice, "mention"), "alice's reply notification")
    wait_for(lambda: notifications(alice, "favourite"), "alice's favourite notification")
    wait_for(lambda: notifications(alice, "reblog"), "alice's boost notification")
    context = ok(alice.get(f"/api/v1/statuses/{posts['public']['id']}/context"))
    assert any("a reply" in s["content"] for s in context["descendants"])

    # Edit and delete.
    ok(alice.put(f"/api/v1/statuses/{posts['public']['id']}", data={"status": "Edited!"}))
    wait_for(
        lambda: "Edited!" in ok(bob.get(f"/api/v1/statuses/{remote_public['id']}"))["content"],
        "the edit at b",
    )
    ok(alice.delete(f"/api/v1/statuses/{posts['unlisted']['id']}"))
    wait_for(lambda: not any("unlisted post" in t for t in home_texts(bob)), "the delete at b")

    # Profile update.
    ok(alice.patch("/api/v1/accounts/update_credentials", data={"display_name": "Alice A"}))
    wait_for(
        lambda: ok(bob.get(f"/api/v1/accounts/{alice_at_b['id']}"))["display_name"] == "Alice A",
        "alice's new name at b",
    )

    # Unfollow and block.
    ok(bob.post(f"/api/v1/accounts/{carol_at_b['id']}/unfollow"))
    carol_id = ok(carol.get("/api/v1/accounts/verify_credentials"))["id"]
    wait_for(lambda: not ok(carol.get(f"/api/v1/accounts/{carol_id}/followers")), "carol loses bob")
    ok(alice.post(f"/api/v1/accounts/{bob_at_a['id']}/block"))
    wait_for(lambda: not relationship(bob, alice_at_b["id"])["following"], "the block at b")

    # Account deletion, by an operator of a: the account disappears from b too.
    a.run(DELETE_ALICE)
    wait_for(
        lambda: bob.get(f"/api/v1/accounts/{alice_at_b['id']}").status_code == 404,
        "alice's deletion at b",
    )
