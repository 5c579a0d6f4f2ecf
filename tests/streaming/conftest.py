"""Streaming tests run the real ASGI application under uvicorn, in a thread of the test process
(so it shares the test database and Redis), on a free loopback port: Django, the API and the
streaming endpoints from one server, as in production. Clients are real: `websockets`, httpx
reading Server-Sent Events, and Mastodon.py's streaming."""

import json
import queue
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from django.test import override_settings
from websockets.sync.client import ClientConnection, connect

from tests.api.conftest import api_for, register_app, token_for  # noqa: F401  (fixtures)

WAIT = 10.0  # seconds an expected event may take; tests never assert timings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def asgi_server(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    from fediverse.asgi import application

    port = free_port()
    overrides = override_settings(
        STREAMING_RECHECK_SECONDS=0.5,
        STREAMING_HEARTBEAT_SECONDS=0.5,
        STREAMING_API_BASE_URL=f"ws://127.0.0.1:{port}",
    )
    overrides.enable()
    config = uvicorn.Config(
        application, host="127.0.0.1", port=port, log_level="warning", ws="websockets-sansio"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
    overrides.disable()


@pytest.fixture
def base_url(asgi_server: str) -> str:
    return asgi_server


@pytest.fixture
def ws_url(asgi_server: str) -> str:
    return asgi_server.replace("http://", "ws://") + "/api/v1/streaming"


class Socket:
    """A plain WebSocket client that keeps the events it receives."""

    def __init__(self, connection: ClientConnection) -> None:
        self.connection = connection

    def send(self, data: dict[str, Any]) -> None:
        self.connection.send(json.dumps(data))

    def next(self, timeout: float = WAIT) -> dict[str, Any]:
        return dict(json.loads(self.connection.recv(timeout=timeout)))

    def event(self, name: str, timeout: float = WAIT) -> dict[str, Any]:
        """The next event of that name (others in between are skipped)."""
        deadline = time.monotonic() + timeout
        while True:
            message = self.next(max(0.01, deadline - time.monotonic()))
            if message.get("event") == name:
                return message

    def quiet(self, seconds: float = 1.0) -> list[dict[str, Any]]:
        """Everything that arrives within `seconds` (to show what did not)."""
        received = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                received.append(self.next(left))
            except TimeoutError:
                break
        return received


@pytest.fixture
def open_socket(ws_url: str) -> Iterator[Callable[..., Socket]]:
    opened: list[ClientConnection] = []

    def make(query: str = "", **kwargs: Any) -> Socket:
        connection = connect(ws_url + query, open_timeout=WAIT, **kwargs)
        opened.append(connection)
        return Socket(connection)

    yield make
    for connection in opened:
        connection.close()


class EventStream:
    """A Server-Sent Events client in a thread: events and comments land in a queue."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.items: queue.Queue[tuple[str, str]] = queue.Queue()
        self.status: int | None = None
        self.ready = threading.Event()
        self.ended = threading.Event()
        self.client = httpx.Client(timeout=httpx.Timeout(WAIT, read=60))
        self.thread = threading.Thread(target=self._run, args=(url, headers), daemon=True)
        self.thread.start()
        assert self.ready.wait(WAIT), "no answer from the streaming server"

    def _run(self, url: str, headers: dict[str, str]) -> None:
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                self.status = response.status_code
                self.ready.set()
                event = ""
                for line in response.iter_lines():
                    if line.startswith(":"):
                        self.items.put(("comment", line[1:]))
                    elif line.startswith("event: "):
                        event = line[7:]
                    elif line.startswith("data: ") or line == "data:":
                        self.items.put((event, line[6:]))
        except httpx.HTTPError:
            pass
        finally:
            self.ready.set()
            self.ended.set()

    def event(self, name: str, timeout: float = WAIT) -> str:
        deadline = time.monotonic() + timeout
        while True:
            kind, data = self.items.get(timeout=max(0.01, deadline - time.monotonic()))
            if kind == name:
                return data

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def open_sse(asgi_server: str) -> Iterator[Callable[..., EventStream]]:
    opened: list[EventStream] = []

    def make(path: str, token: str | None = None, **params: str) -> EventStream:
        url = httpx.URL(f"{asgi_server}/api/v1/streaming/{path}", params=params)
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        stream = EventStream(str(url), headers)
        opened.append(stream)
        return stream

    yield make
    for stream in opened:
        stream.close()


@pytest.fixture
def http(asgi_server: str) -> Callable[[str], httpx.Client]:
    def make(token: str) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"}
        return httpx.Client(base_url=asgi_server, headers=headers, timeout=WAIT)

    return make
