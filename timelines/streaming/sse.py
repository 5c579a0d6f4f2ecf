"""Server-Sent Events: /api/v1/streaming/<stream path>, one stream per request, a comment
line every few seconds as heartbeat (Mastodon sends `:thump`)."""

import asyncio
import contextlib
import json

from django.conf import settings
from redis.exceptions import RedisError

from timelines.streaming import access
from timelines.streaming.common import Scope, open_stream, query, raw_token
from timelines.streaming.hub import Connection, current_hub, db
from timelines.streaming.streams import SSE_PATHS, StreamError
from timelines.streaming.websocket import Receive, Send

CORS = [(b"access-control-allow-origin", b"*")]


async def respond(send: Send, status: int, body: bytes, content_type: bytes) -> None:
    headers = [(b"content-type", content_type), *CORS]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def error(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    await respond(send, status, body, b"application/json; charset=utf-8")


async def serve_sse(scope: Scope, receive: Receive, send: Send, path: str) -> None:
    if path == "health":
        await respond(send, 200, b"OK", b"text/plain")
        return
    if path not in SSE_PATHS and path != "":
        await error(send, 404, "Not found")
        return
    token, _ = raw_token(scope)
    principal = await db(access.authenticate, token) if token else None
    if token and principal is None:
        await error(send, 401, "Invalid access token")
        return
    params = query(scope)
    name = SSE_PATHS.get(path) or params.get("stream", "")
    hub = current_hub()
    conn = Connection(principal)
    try:
        try:
            await hub.join(conn)
            await open_stream(hub, conn, name, params)
        except StreamError as problem:
            await error(send, problem.status, problem.message)
            return
        except (RedisError, OSError):
            await error(send, 503, "Streaming is unavailable")
            return
        await _stream(conn, receive, send)
    finally:
        await hub.leave(conn)


async def _stream(conn: Connection, receive: Receive, send: Send) -> None:
    headers = [
        (b"content-type", b"text/event-stream"),
        (b"cache-control", b"private, no-store"),
        (b"x-accel-buffering", b"no"),
        *CORS,
    ]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b":)\n", "more_body": True})

    async def watch_disconnect() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        conn.close()

    watcher = asyncio.create_task(watch_disconnect())
    try:
        while True:
            try:
                item = await asyncio.wait_for(
                    conn.queue.get(), timeout=settings.STREAMING_HEARTBEAT_SECONDS
                )
            except TimeoutError:
                await send({"type": "http.response.body", "body": b":thump\n", "more_body": True})
                continue
            if item is None:
                break
            await send({"type": "http.response.body", "body": item.sse_bytes, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
    except OSError:
        pass  # the client went away mid-write
    finally:
        watcher.cancel()
        with contextlib.suppress(BaseException):
            await watcher
