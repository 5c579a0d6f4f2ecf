"""What both transports share: reading the token and the requested stream from the request."""

from typing import Any
from urllib.parse import parse_qs

from timelines.streaming import access
from timelines.streaming.hub import Connection, Hub, db
from timelines.streaming.streams import StreamError, Subscription, subscription

Scope = dict[str, Any]


def query(scope: Scope) -> dict[str, str]:
    parsed = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return {key: values[-1] for key, values in parsed.items()}


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


def raw_token(scope: Scope) -> tuple[str | None, bool]:
    """The token, and whether it came as Sec-WebSocket-Protocol (which must be echoed)."""
    authorization = header(scope, b"authorization") or ""
    if authorization[:7].lower() == "bearer ":
        return authorization[7:].strip() or None, False
    if query(scope).get("access_token"):
        return query(scope)["access_token"], False
    protocol = header(scope, b"sec-websocket-protocol")
    if protocol and scope["type"] == "websocket":
        return protocol.strip(), True
    return None, False


def truthy(value: Any) -> bool:
    return str(value).lower() in {"1", "true", "t", "on", "yes"}


async def open_stream(
    hub: Hub, conn: Connection, name: str, params: dict[str, Any]
) -> Subscription:
    """Checks and subscribes; raises StreamError as Mastodon answers it."""
    sub = subscription(
        name,
        tag=params.get("tag"),
        list_id=str(params["list"]) if params.get("list") is not None else None,
        account_id=conn.account_id,
        only_media=truthy(params.get("only_media", "")),
    )
    if sub.name == "list" and not await db(access.owns_list, conn.account_id, sub.param):
        raise StreamError("Stream not found", 404)
    await hub.subscribe(conn, sub)
    return sub
