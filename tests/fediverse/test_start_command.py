"""The README's start command, run as a user would: on an empty data folder, with neither
DATABASE_URL nor REDIS_URL, so that it uses SQLite and its own embedded Redis. A person signs
up and posts over HTTP; the instance is stopped with Ctrl-C (SIGINT) and started again, and
the post is still there."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
START_COMMAND = [sys.executable, "scripts/start.py"]
# What the test process itself has configured (test database, test Redis, test settings)
# must not leak into the instance under test.
INHERITED_NOT = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "FEDIVERSE_DOMAIN", "EMAIL_BACKEND"}
INHERITED_NOT |= {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE", "PORT", "BIND"}
CONFIRMATION_LINK = re.compile(r"/auth/confirmation\?confirmation_token=[^\s\"'<>]+")
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PASSWORD = "a long and uncommon passphrase 42"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Instance:
    """One run of the start command, its output collected in a file."""

    def __init__(self, data_dir: Path, port: int, log: Path) -> None:
        self.port = port
        self.data_dir = data_dir
        self.log = log
        self.base_url = f"http://127.0.0.1:{port}"
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in INHERITED_NOT and not key.startswith(("HERD_", "CELERY_"))
        }
        # The sign-up's email domain is not looked up: tests reach loopback only.
        env.update(HERD_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1", EMAIL_DNS_CHECK="false")
        with log.open("ab") as output:
            self.process = subprocess.Popen(
                [*START_COMMAND, "--port", str(port)],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_until_healthy(self, seconds: float = 300) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"the instance exited:\n{self.output()}"
            try:
                if httpx.get(f"{self.base_url}/health", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        raise AssertionError(f"/health did not answer in {seconds}s:\n{self.output()}")

    def interrupt(self) -> int:
        self.process.send_signal(signal.SIGINT)
        return self.process.wait(120)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Callable[[], Instance]]:
    """Start the instance; a second call starts it again on the same data folder."""
    data_dir = tmp_path / "data"
    port = free_port()
    started: list[Instance] = []

    def start_instance() -> Instance:
        instance = Instance(data_dir, port, tmp_path / f"run{len(started) + 1}.log")
        started.append(instance)
        instance.wait_until_healthy()
        return instance

    yield start_instance
    for instance in started:
        instance.kill()


def csrf_token(client: httpx.Client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text
    match = CSRF_FIELD.search(page.text)
    assert match, f"no CSRF field on {path}"
    return match.group(1)


def wait_for_confirmation_link(instance: Instance, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        # The console email backend prints the message in the worker that sends it.
        match = CONFIRMATION_LINK.search(instance.output())
        if match:
            return match.group(0)
        time.sleep(0.5)
    raise AssertionError(f"no confirmation email was printed:\n{instance.output()}")


def sign_up_and_post(instance: Instance, text: str) -> None:
    with httpx.Client(base_url=instance.base_url, timeout=30) as client:
        form = {"username": "walker", "email": "walker@example.com", "password": PASSWORD}
        form |= {"password_confirmation": PASSWORD, "agreement": "on"}
        form["csrfmiddlewaretoken"] = csrf_token(client, "/auth/sign_up")
        signed_up = client.post("/auth/sign_up", data=form)
        assert signed_up.status_code in (200, 302), signed_up.text
        confirmed = client.get(wait_for_confirmation_link(instance))
        assert confirmed.status_code == 302, confirmed.text

        login = {"email": "walker@example.com", "password": PASSWORD}
        login["csrfmiddlewaretoken"] = csrf_token(client, "/auth/sign_in")
        logged_in = client.post("/auth/sign_in", data=login)
        assert logged_in.status_code == 302, logged_in.text

        post = {"text": text, "visibility": "public"}
        post["csrfmiddlewaretoken"] = csrf_token(client, "/")
        posted = client.post("/statuses", data=post)
        assert posted.status_code in (200, 302), posted.text


def test_start_sign_up_post_stop_and_start_again(start: Callable[[], Instance]) -> None:
    first = start()
    assert "password:" in first.output(), "the first start prints the owner's password"
    text = "Hello from a single-machine instance"
    sign_up_and_post(first, text)
    assert text in httpx.get(f"{first.base_url}/@walker", timeout=30).text
    assert first.interrupt() == 0, first.output()
    assert "Stopped." in first.output()
    assert (first.data_dir / "redis" / "appendonly.aof").stat().st_size > 0

    second = start()
    assert "password:" not in second.output(), "the owner is created once"
    assert "/auth/sign_in" in second.output()
    assert text in httpx.get(f"{second.base_url}/@walker", timeout=30).text
    assert second.interrupt() == 0, second.output()
