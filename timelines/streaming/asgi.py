"""The ASGI router in front of Django: WebSocket connections and the streaming HTTP paths go
to the streaming hub, everything else to Django, so one process serves web, API and streams."""

from typing import Any

from django.conf import settings

from timelines.streaming.common import Scope
from timelines.streaming.hub import stop_hub
from timelines.streaming.sse import error, serve_sse
from timelines.streaming.websocket import Receive, Send, serve_websocket

PREFIX = "/api/v1/streaming"


class StreamingRouter:
    def __init__(self, django_app: Any) -> None:
        self.django_app = django_app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        kind = scope["type"]
        path = scope.get("path", "").rstrip("/")
        if kind == "lifespan":
            await self.lifespan(receive, send)
        elif kind == "websocket":
            if path == PREFIX and settings.REDIS_URL:
                await serve_websocket(scope, receive, send)
            else:
                await receive()
                await send({"type": "websocket.close", "code": 1008})
        elif kind == "http" and (path == PREFIX or path.startswith(PREFIX + "/")):
            if not settings.REDIS_URL and not path.endswith("/health"):
                await error(send, 503, "Streaming needs REDIS_URL")
                return
            await serve_sse(scope, receive, send, path[len(PREFIX) + 1 :])
        else:
            await self.django_app(scope, receive, send)

    async def lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await stop_hub()
                await send({"type": "lifespan.shutdown.complete"})
                return
