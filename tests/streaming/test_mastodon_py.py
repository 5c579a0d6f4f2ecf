"""Mastodon.py's streaming client (Server-Sent Events, found through the instance's
`urls.streaming_api`) against the same server."""

import threading
from collections.abc import Callable
from typing import Any

from mastodon import StreamListener

from accounts.models import User
from tests.streaming.conftest import WAIT


class Listener(StreamListener):
    def __init__(self) -> None:
        super().__init__()
        self.received: dict[str, list[Any]] = {}
        self.arrived = threading.Event()
        self.beats = threading.Event()

    def _keep(self, kind: str, item: Any) -> None:
        self.received.setdefault(kind, []).append(item)
        self.arrived.set()

    def on_update(self, status: Any) -> None:
        self._keep("update", status)

    def on_notification(self, notification: Any) -> None:
        self._keep("notification", notification)

    def on_delete(self, status_id: Any) -> None:
        self._keep("delete", status_id)

    def on_status_update(self, status: Any) -> None:
        self._keep("status.update", status)

    def handle_heartbeat(self) -> None:
        self.beats.set()

    def wait_for(self, kind: str) -> list[Any]:
        deadline = threading.Event()
        for _ in range(int(WAIT * 10)):
            if kind in self.received:
                return self.received[kind]
            deadline.wait(0.1)
        raise AssertionError(f"no {kind} event; got {self.received}")


def test_stream_public_and_user(alice: User, bob: User, api_for: Callable[..., Any]) -> None:
    alice_api, bob_api = api_for(alice), api_for(bob)
    public, personal = Listener(), Listener()
    handles = [
        bob_api.stream_public(public, run_async=True, reconnect_async=False),
        alice_api.stream_user(personal, run_async=True, reconnect_async=False),
    ]
    try:
        assert public.beats.wait(WAIT)
        assert personal.beats.wait(WAIT)
        own = alice_api.status_post("hello from Mastodon.py")
        mention = bob_api.status_post("@alice are you there?")
        updates = public.wait_for("update")
        assert {s["id"] for s in updates} >= {own["id"]}
        notification = personal.wait_for("notification")[0]
        assert notification["type"] == "mention"
        assert notification["status"]["id"] == mention["id"]
        assert own["id"] in {s["id"] for s in personal.wait_for("update")}
        alice_api.status_update(own["id"], "edited from Mastodon.py")
        assert public.wait_for("status.update")[0]["id"] == own["id"]
        alice_api.status_delete(own["id"])
        assert own["id"] in public.wait_for("delete")
    finally:
        for handle in handles:
            handle.close()
