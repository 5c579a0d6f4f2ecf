"""The WebSocket endpoint, /api/v1/streaming: streams chosen by the query (`stream`, `tag`,
`list`) and by {"type": "subscribe"|"unsubscribe", "stream": ..., "tag"|"list": ...} messages.
Each event goes out as {"stream": [...], "event": ..., "payload": "<JSON string>"}."""

import asyncio
import contextlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

from redis.exceptions import RedisError

from timelines.streaming import access
from timelines.streaming.common import Scope, open_stream, query, raw_token
from timelines.streaming.hub import Connection, Hub, current_hub, db
from timelines.streaming.streams import StreamError

Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


async def serve_websocket(scope: Scope, receive: Receive, send: Send) -> None:
    if (await receive())["type"] != "websocket.connect":
        return
    token, via_protocol = raw_token(scope)
    principal = await db(access.authenticate, token) if token else None
    if token and principal is None:
        await send({"type": "websocket.close", "code": 4001})  # refused before the upgrade
        return
    accept: dict[str, Any] = {"type": "websocket.accept"}
    if via_protocol:
        accept["subprotocol"] = token
    await send(accept)
    hub = current_hub()
    conn = Connection(principal)
    try:
        await hub.join(conn)
        params = query(scope)
        if params.get("stream"):
            await _subscribe(hub, conn, send, {"type": "subscribe", **params})
        await _pump(hub, conn, receive, send)
    except (RedisError, OSError):
        # Redis is unreachable: the client reconnects later, as after a restart.
        with contextlib.suppress(Exception):
            await send({"type": "websocket.close", "code": 1011})
    finally:
        await hub.leave(conn)


async def _send_json(send: Send, data: dict[str, Any]) -> None:
    await send({"type": "websocket.send", "text": json.dumps(data)})


async def _subscribe(hub: Hub, conn: Connection, send: Send, message: dict[str, Any]) -> None:
    name = str(message.get("stream", ""))
    try:
        if message.get("type") == "unsubscribe":
            for sub in [s for s in conn.subscriptions if s.name == name]:
                if not sub.param or sub.param in {
                    str(message.get("tag", "")).lower(),
                    str(message.get("list", "")),
                }:
                    await hub.unsubscribe(conn, sub)
        elif message.get("type") == "subscribe":
            await open_stream(hub, conn, name, message)
    except StreamError as error:
        await _send_json(send, {"error": error.message, "status": error.status})


async def _pump(hub: Hub, conn: Connection, receive: Receive, send: Send) -> None:
    """Reads the client's messages and writes the hub's events until either side ends."""

    async def read() -> None:
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            with contextlib.suppress(ValueError, TypeError):
                data = json.loads(message.get("text") or message.get("bytes") or "")
                if isinstance(data, dict):
                    await _subscribe(hub, conn, send, data)

    async def write() -> None:
        while (item := await conn.queue.get()) is not None:
            await send({"type": "websocket.send", "text": item.websocket_text})
        # The hub closed us: token revoked, account suspended, or the client too slow.
        await send({"type": "websocket.close", "code": 1000})

    tasks = [asyncio.create_task(read()), asyncio.create_task(write())]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(BaseException):
                await task
