"""One hub per process (per event loop): it holds the connections, subscribes to the Redis
channels their streams need (one pub/sub connection, reference-counted channels), screens each
event for each viewer in one batch, and every few seconds re-validates all tokens at once so
that a revoked token, a deleted app or a suspended account stops streaming within seconds."""

import asyncio
import contextlib
import json
import logging
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

import redis.asyncio as aioredis
from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections

from timelines.streaming import access, channels
from timelines.streaming.access import Principal
from timelines.streaming.streams import Subscription

log = logging.getLogger(__name__)
T = TypeVar("T")
# Events a slow client may have waiting before it is disconnected rather than holding memory.
QUEUE_LIMIT = 1000
STATUS_EVENTS = {"update", "status.update"}


def _run_closing(fn: Callable[..., T], *args: Any) -> T:
    close_old_connections()
    try:
        return fn(*args)
    finally:
        close_old_connections()


async def db(fn: Callable[..., T], *args: Any) -> T:
    return await sync_to_async(_run_closing, thread_sensitive=True)(fn, *args)


class Delivery:
    """One event for one stream, encoded once however many connections it goes to."""

    __slots__ = ("label", "event", "payload", "_ws", "_sse")

    def __init__(self, label: list[str], event: str, payload: str) -> None:
        self.label, self.event, self.payload = label, event, payload
        self._ws: str | None = None
        self._sse: bytes | None = None

    @property
    def websocket_text(self) -> str:
        if self._ws is None:
            self._ws = json.dumps(
                {"stream": self.label, "event": self.event, "payload": self.payload}
            )
        return self._ws

    @property
    def sse_bytes(self) -> bytes:
        if self._sse is None:
            self._sse = f"event: {self.event}\ndata: {self.payload}\n\n".encode()
        return self._sse


class Batch:
    """The deliveries of one dispatch, shared by label and payload."""

    def __init__(self, event: str) -> None:
        self.event = event
        self.made: dict[tuple[tuple[str, ...], int], Delivery] = {}

    def of(self, label: list[str], payload: str) -> Delivery:
        key = (tuple(label), id(payload))
        found = self.made.get(key)
        if found is None:
            found = self.made[key] = Delivery(label, self.event, payload)
        return found


class Connection:
    """One client. The hub puts events in its queue; its transport sends them."""

    def __init__(self, principal: Principal | None) -> None:
        self.principal = principal
        self.subscriptions: set[Subscription] = set()
        self.queue: asyncio.Queue[Delivery | None] = asyncio.Queue()
        self.closed = False

    @property
    def account_id(self) -> int | None:
        return self.principal.account_id if self.principal else None

    def deliver(self, delivery: Delivery) -> None:
        if self.closed:
            return
        if self.queue.qsize() >= QUEUE_LIMIT:
            self.close()
            return
        self.queue.put_nowait(delivery)

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.queue.put_nowait(None)


class Hub:
    def __init__(self, url: str) -> None:
        self.redis = aioredis.Redis.from_url(url)
        self.pubsub = self.redis.pubsub()
        self.listeners: dict[str, set[Connection]] = defaultdict(set)
        self.connections: set[Connection] = set()
        self.with_filters: set[int] = set()
        self.tasks: list[asyncio.Task[None]] = []
        self.started = asyncio.Lock()

    async def start(self) -> None:
        async with self.started:
            if self.tasks:
                return
            # Always listening to one channel keeps the reader loop simple.
            await self.pubsub.subscribe(channels.BROADCAST)
            self.tasks = [
                asyncio.create_task(self._read()),
                asyncio.create_task(self._recheck()),
            ]

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
        for task in self.tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        for conn in list(self.connections):
            conn.close()
        with contextlib.suppress(Exception):
            await self.pubsub.aclose()
            await self.redis.aclose()

    async def join(self, conn: Connection) -> None:
        await self.start()
        self.connections.add(conn)
        if conn.account_id is not None:
            found = await db(access.accounts_with_filters, {conn.account_id})
            self.with_filters |= found

    async def subscribe(self, conn: Connection, sub: Subscription) -> None:
        conn.subscriptions.add(sub)
        for channel in sub.channels:
            if not self.listeners[channel]:
                await self.pubsub.subscribe(channel)
            self.listeners[channel].add(conn)

    async def unsubscribe(self, conn: Connection, sub: Subscription) -> None:
        conn.subscriptions.discard(sub)
        needed = {c for s in conn.subscriptions for c in s.channels}
        for channel in sub.channels:
            if channel not in needed:
                await self._drop(conn, channel)

    async def leave(self, conn: Connection) -> None:
        conn.close()
        self.connections.discard(conn)
        for channel in {c for s in conn.subscriptions for c in s.channels}:
            await self._drop(conn, channel)
        conn.subscriptions.clear()

    async def _drop(self, conn: Connection, channel: str) -> None:
        listeners = self.listeners.get(channel)
        if listeners is None:
            return
        listeners.discard(conn)
        if not listeners and channel != channels.BROADCAST:
            del self.listeners[channel]
            with contextlib.suppress(Exception):
                await self.pubsub.unsubscribe(channel)

    async def _read(self) -> None:
        while True:
            try:
                message = await self.pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
            except (aioredis.ConnectionError, aioredis.TimeoutError, OSError):
                log.warning("streaming: Redis unavailable, retrying")
                await asyncio.sleep(1)
                continue
            if message is None or message.get("type") != "message":
                continue
            try:
                await self.dispatch(message["channel"].decode(), json.loads(message["data"]))
            except Exception:
                log.exception("streaming: could not dispatch an event")

    async def _recheck(self) -> None:
        interval = settings.STREAMING_RECHECK_SECONDS
        while True:
            await asyncio.sleep(interval)
            try:
                await self.recheck()
            except Exception:
                log.exception("streaming: could not re-validate tokens")

    async def recheck(self) -> None:
        authenticated = [c for c in self.connections if c.principal is not None]
        tokens = {c.principal.token_id for c in authenticated if c.principal}
        valid = await db(access.valid_token_ids, tokens)
        for conn in authenticated:
            if conn.principal and conn.principal.token_id not in valid:
                conn.close()
        viewers = {c.account_id for c in authenticated if c.account_id is not None}
        self.with_filters = await db(access.accounts_with_filters, viewers)

    async def dispatch(self, channel: str, message: dict[str, Any]) -> None:
        targets = [
            (conn, sub)
            for conn in list(self.listeners.get(channel, ()))
            for sub in conn.subscriptions
            if channel in sub.channels and sub.wants(channel, message)
        ]
        if not targets:
            return
        event, payload = message["event"], message["payload"]
        if event == "filters_changed" and channel != channels.STATUSES:
            for conn, _ in targets:
                if conn.account_id is not None:
                    self.with_filters.discard(conn.account_id)
                    self.with_filters |= await db(access.accounts_with_filters, {conn.account_id})
        if channel == channels.STATUSES:
            await self._send_public(message, targets)
        elif event in STATUS_EVENTS:
            await self._send_personal(message, targets)
        else:
            batch = Batch(event)
            for conn, sub in targets:
                conn.deliver(batch.of(sub.label, payload))

    async def _send_public(
        self, message: dict[str, Any], targets: list[tuple[Connection, Subscription]]
    ) -> None:
        viewers = {conn.account_id for conn, _ in targets if conn.account_id is not None}
        listed, allowed = await db(
            access.public_audience, message["status_id"], message["account_id"], viewers
        )
        if not listed:
            return
        rendered: dict[int, str | None] = {}
        batch = Batch(message["event"])
        for conn, sub in targets:
            viewer = conn.account_id
            payload: str | None = message["payload"]
            if viewer is not None:
                if viewer not in allowed:
                    continue
                if viewer in self.with_filters:
                    if viewer not in rendered:
                        rendered[viewer] = await db(
                            access.render_for, viewer, message["status_id"], "public"
                        )
                    payload = rendered[viewer]
            if payload is not None:
                conn.deliver(batch.of(sub.label, payload))

    async def _send_personal(
        self, message: dict[str, Any], targets: list[tuple[Connection, Subscription]]
    ) -> None:
        """Home and list updates were chosen for the viewer by the fan-out; only filters are
        left to apply, and only for viewers who have any."""
        batch = Batch(message["event"])
        for conn, sub in targets:
            payload: str = message["payload"]
            viewer = conn.account_id
            if viewer is not None and viewer in self.with_filters:
                status_id = json.loads(payload).get("id")
                shown = await db(access.render_for, viewer, int(status_id), "home")
                if shown is None:
                    continue
                payload = shown
            conn.deliver(batch.of(sub.label, payload))


_hubs: dict[asyncio.AbstractEventLoop, Hub] = {}


def current_hub() -> Hub:
    loop = asyncio.get_running_loop()
    hub = _hubs.get(loop)
    if hub is None:
        hub = _hubs[loop] = Hub(settings.REDIS_URL)
    return hub


async def stop_hub() -> None:
    hub = _hubs.pop(asyncio.get_running_loop(), None)
    if hub is not None:
        await hub.stop()
