"""Whole instances of this server for federation tests: each in its own processes (Django's
threaded web server, a Celery worker and Celery beat) with its own PostgreSQL database and
its own Redis database, federating with the others over loopback.

Instances listen on port 80 of 127.0.0.2, 127.0.0.3 and 127.0.0.4, so that their domains
carry no port and handles such as alice@127.0.0.2 read as on any server. Their databases are
named after the test database (HERD_TEST_DATABASE_URL), so that runs against different test
databases never meet; their Redis is a private server started for the run, so that no other
test's Redis database is touched."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import psycopg

from fediverse.celery import QUEUES
from fediverse.management.embedded_redis import EmbeddedRedis
from fediverse.management.processes import stop

ROOT = Path(__file__).resolve().parents[2]
HOSTS = ("127.0.0.2", "127.0.0.3", "127.0.0.4")
# Generous: a delivery refused once (a key not fetched yet) is retried a minute later.
STEP_TIMEOUT = 150.0
PASSWORD = "correct horse battery staple"
# The instances of the running test, whose logs a timed-out step reports.
RUNNING: list[Instance] = []
SETUP = """
import json, secrets, sys
from datetime import timedelta
from django.utils import timezone
from oauth2_provider.models import get_access_token_model, get_application_model
from accounts.services.registration import do_create_local_account
app = get_application_model().objects.create(
    name="instances", client_type="confidential",
    authorization_grant_type="authorization-code", redirect_uris="urn:ietf:wg:oauth:2.0:oob",
    scopes="read write follow push")
tokens = {}
for spec in sys.argv[2:]:
    name, _, locked = spec.partition(":")
    user = do_create_local_account(username=name, email=name + "@example.com",
        password=sys.argv[1], confirmed=True, approved=True)
    if locked:
        user.account.locked = True
        user.account.save()
    token = secrets.token_urlsafe(32)
    get_access_token_model().objects.create(user=user, application=app, token=token,
        expires=timezone.now() + timedelta(days=1), scope="read write follow push")
    tokens[name] = token
print("TOKENS=" + json.dumps(tokens))
"""


def can_bind(host: str) -> bool:
    try:
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, 80))
        return True
    except OSError:
        return False


def _test_database_url() -> str:
    return os.environ.get("HERD_TEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/herd")


def _admin_url() -> str:
    return _test_database_url().rsplit("/", 1)[0]


def database_name(suffix: str) -> str:
    """`<test database>_instance_<suffix>`: concurrent runs on other databases never meet."""
    base = urlsplit(_test_database_url()).path.lstrip("/") or "herd"
    return f"{base}_instance_{suffix}"


def _recreate_databases(names: Sequence[str], template: str | None = None) -> None:
    copy = f' TEMPLATE "{template}"' if template else ""
    with psycopg.connect(_admin_url() + "/postgres", autocommit=True) as connection:
        for name in names:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{name}"{copy}')


def _drop_databases(names: Sequence[str]) -> None:
    with psycopg.connect(_admin_url() + "/postgres", autocommit=True) as connection:
        for name in names:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Instance:
    host: str
    database: str
    redis_url: str
    tokens: dict[str, str] = field(default_factory=dict)
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "DATABASE_URL": f"{_admin_url()}/{self.database}",
            "REDIS_URL": self.redis_url,
            # Work goes through the broker to this instance's own worker, as in production.
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "FEDIVERSE_DOMAIN": self.host,
            "FEDIVERSE_HTTPS": "false",
            "FEDIVERSE_ALLOWED_PRIVATE_ADDRESSES": "127.0.0.0/8",
            "RATELIMIT_ENABLE": "false",
            "API_RATELIMIT_ENABLE": "false",
            # Nothing beyond loopback: no link previews, no DNS lookups of email domains.
            "PREVIEW_CARDS": "false",
            "EMAIL_DNS_CHECK": "false",
            "SECRET_KEY": "instances-" + self.host,
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
            [sys.executable, "-c", "import django, sys; django.setup(); exec(sys.stdin.read())"]
            + list(args),
            input=script.encode(),
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode()[-3000:]
        return done.stdout.decode()

    def create_users(self, *specs: str) -> None:
        """`name` or `name:locked`; each gets an access token in `tokens`."""
        output = self.run(SETUP, PASSWORD, *specs)
        line = next(x for x in output.splitlines() if x.startswith("TOKENS="))
        self.tokens.update(json.loads(line.removeprefix("TOKENS=")))

    def log_path(self, name: str) -> Path:
        # Each process's own log, for reading when a step fails.
        return Path(tempfile.gettempdir()) / f"herd-instance-{self.host}-{name}.log"

    def _spawn(self, name: str, argv: list[str]) -> None:
        with self.log_path(name).open("wb") as log:
            self.processes[name] = subprocess.Popen(
                argv, env=self.env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT
            )

    def start(self) -> None:
        celery = [sys.executable, "-m", "celery", "-A", "fediverse"]
        self._spawn(
            "worker",
            [*celery, "worker", "-Q", ",".join(QUEUES), "--pool", "threads", "--concurrency"]
            + ["4", "--loglevel", "INFO", "--without-gossip", "--without-mingle"]
            + ["--hostname", f"worker@{self.host}"],
        )
        beat_schedule = str(self.log_path("beat-schedule"))
        self._spawn("beat", [*celery, "beat", "-s", beat_schedule, "--loglevel", "INFO"])
        self._spawn(
            "web", [sys.executable, "manage.py", "runserver", f"{self.host}:80", "--noreload"]
        )
        wait_for(self._answers, f"{self.host} answering", timeout=60)
        wait_for(self._worker_ready, f"the worker of {self.host}", timeout=60)

    def _answers(self) -> bool:
        self._check_running()
        try:
            return bool(httpx.get(f"http://{self.host}/api/v1/instance", timeout=2).status_code)
        except httpx.HTTPError:
            return False

    def _worker_ready(self) -> bool:
        self._check_running()
        return b" ready." in self.log_path("worker").read_bytes()

    def _check_running(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                tail = self.log_path(name).read_bytes()[-3000:].decode(errors="replace")
                raise AssertionError(f"The {name} of {self.host} exited:\n{tail}")

    def stop(self) -> None:
        # The web server first, so that nothing enqueues work the worker would not take.
        for name in ("web", "beat", "worker"):
            process = self.processes.pop(name, None)
            if process is not None:
                stop(process, 20)

    def api(self, user: str) -> httpx.Client:
        return httpx.Client(
            base_url=f"http://{self.host}",
            headers={"Authorization": f"Bearer {self.tokens[user]}"},
            timeout=60,
        )


def hosts_available(count: int) -> bool:
    return all(can_bind(host) for host in HOSTS[:count])


@contextmanager
def running_instances(users: Sequence[Sequence[str]], *, name: str) -> Iterator[list[Instance]]:
    """One instance per entry of `users` (the accounts to create there), started, with a
    private Redis server for all of them; everything is stopped and dropped afterwards."""
    count = len(users)
    redis_dir = Path(tempfile.mkdtemp(prefix="herd-instances-redis-"))
    redis = EmbeddedRedis(redis_dir)
    base_url = redis.start().rsplit("/", 1)[0]
    names = [database_name(f"{name}_{letter}") for letter in "abc"[:count]]
    instances = [
        Instance(host, database, f"{base_url}/{index}")
        for index, (host, database) in enumerate(zip(HOSTS, names, strict=False))
    ]
    try:
        _recreate_databases(names[:1])
        instances[0].manage("migrate", "--noinput")
        # The other databases are copies of the freshly migrated first: one migration run.
        _recreate_databases(names[1:], template=names[0])
        for instance, specs in zip(instances, users, strict=True):
            instance.create_users(*specs)
        for instance in instances:
            instance.start()
        RUNNING[:] = instances
        yield instances
    finally:
        RUNNING.clear()
        for instance in instances:
            instance.stop()
        redis.stop()
        shutil.rmtree(redis_dir, ignore_errors=True)
        _drop_databases(names)


def wait_for(check: Callable[[], Any], what: str, timeout: float = STEP_TIMEOUT) -> Any:
    """Poll with short sleeps until `check` returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for: {what}{_trouble_in_logs()}")
        time.sleep(0.3)


def _trouble_in_logs(lines: int = 40) -> str:
    """The last warnings and errors the running instances logged: what a step waited for in
    vain was most often lost on the way."""
    found = []
    for instance in RUNNING:
        for name in ("worker", "web"):
            path = instance.log_path(name)
            text = path.read_text(errors="replace") if path.exists() else ""
            trouble = [x for x in text.splitlines() if "WARNING" in x or "ERROR" in x
                       or "Error" in x or "Traceback" in x]  # fmt: skip
            if trouble:
                found.append(f"--- {instance.host} {name} ---")
                found.extend(trouble[-lines:])
    return "\n" + "\n".join(found) if found else ""


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
