"""Public and hashtag streams over WebSocket and Server-Sent Events: what each stream carries,
and that one server answers the web, the API and the streams."""

import json
from collections.abc import Callable

import httpx

from accounts.models import User
from tests.streaming.conftest import EventStream, Socket


def post(http: Callable[[str], httpx.Client], token: str, text: str, **extra: str) -> dict:
    response = http(token).post("/api/v1/statuses", json={"status": text, **extra})
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_one_server_answers_web_api_and_streams(asgi_server: str) -> None:
    health = httpx.get(f"{asgi_server}/api/v1/streaming/health")
    assert (health.status_code, health.text) == (200, "OK")
    instance = httpx.get(f"{asgi_server}/api/v2/instance").json()
    assert instance["configuration"]["urls"]["streaming"] == asgi_server.replace("http", "ws")
    v1 = httpx.get(f"{asgi_server}/api/v1/instance").json()
    assert v1["urls"]["streaming_api"] == asgi_server.replace("http", "ws")
    assert httpx.get(f"{asgi_server}/about").status_code == 200


def test_public_stream_carries_public_posts_only(
    alice: User, token_for: Callable[..., str], open_socket: Callable[..., Socket], http
) -> None:
    token = token_for(alice)
    socket = open_socket("?stream=public")
    post(http, token, "just followers", visibility="private")
    post(http, token, "not listed", visibility="unlisted")
    post(http, token, "quiet direct", visibility="direct")
    created = post(http, token, "hello everyone")
    message = socket.event("update")
    assert message["stream"] == ["public"]
    status = json.loads(message["payload"])
    assert status["id"] == created["id"]
    assert "hello everyone" in status["content"]
    assert status["account"]["username"] == "alice"
    assert socket.quiet(0.5) == []


def test_local_remote_and_media_variants(
    alice: User, token_for: Callable[..., str], open_socket: Callable[..., Socket], http
) -> None:
    token = token_for(alice)
    socket = open_socket()
    for stream in ("public:local", "public:remote", "public:media"):
        socket.send({"type": "subscribe", "stream": stream})
    socket.send({"type": "subscribe", "stream": "public", "only_media": "true"})
    created = post(http, token, "a local post without media")
    message = socket.event("update")
    assert message["stream"] == ["public:local"]
    assert json.loads(message["payload"])["id"] == created["id"]
    assert socket.quiet(0.5) == []  # neither remote nor media


def test_hashtag_streams_and_unsubscribe(
    alice: User, token_for: Callable[..., str], open_socket: Callable[..., Socket], http
) -> None:
    token = token_for(alice)
    socket = open_socket("?stream=hashtag&tag=Cats")
    socket.send({"type": "subscribe", "stream": "hashtag:local", "tag": "cats"})
    post(http, token, "about #dogs")
    created = post(http, token, "about #cats")
    streams = sorted(tuple(socket.event("update")["stream"]) for _ in range(2))
    assert streams == [("hashtag", "cats"), ("hashtag:local", "cats")]
    socket.send({"type": "unsubscribe", "stream": "hashtag", "tag": "cats"})
    socket.send({"type": "unsubscribe", "stream": "hashtag:local", "tag": "cats"})
    socket.quiet(0.3)
    post(http, token, "more #cats")
    assert socket.quiet(0.7) == []
    assert created["tags"][0]["name"].lower() == "cats"


def test_delete_and_edit_events(
    alice: User, token_for: Callable[..., str], open_socket: Callable[..., Socket], http
) -> None:
    token = token_for(alice)
    socket = open_socket("?stream=public")
    created = post(http, token, "first words")
    socket.event("update")
    edited = http(token).put(f"/api/v1/statuses/{created['id']}", json={"status": "new words"})
    assert edited.status_code == 200, edited.text
    update = socket.event("status.update")
    assert "new words" in json.loads(update["payload"])["content"]
    assert http(token).delete(f"/api/v1/statuses/{created['id']}").status_code == 200
    deletion = socket.event("delete")
    assert deletion["payload"] == created["id"]


def test_server_sent_events_public_and_heartbeat(
    alice: User, token_for: Callable[..., str], open_sse: Callable[..., EventStream], http
) -> None:
    token = token_for(alice)
    local = open_sse("public/local")
    tagged = open_sse("hashtag", tag="news")
    remote = open_sse("public/remote")
    assert local.status == 200
    local.event("comment")  # heartbeats keep the connection open
    created = post(http, token, "#news from here")
    assert json.loads(local.event("update"))["id"] == created["id"]
    assert json.loads(tagged.event("update"))["id"] == created["id"]
    assert remote.items.empty() or all(k == "comment" for k, _ in list(remote.items.queue))


def test_stream_errors(open_sse: Callable[..., EventStream], open_socket) -> None:
    assert open_sse("user").status == 401
    assert open_sse("hashtag").status == 400
    assert open_sse("public", token="not-a-token").status == 401
    socket = open_socket()
    socket.send({"type": "subscribe", "stream": "user"})
    assert socket.next() == {"error": "Missing access token", "status": 401}
    socket.send({"type": "subscribe", "stream": "nonsense"})
    assert socket.next()["status"] == 400
