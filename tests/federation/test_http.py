"""The outbound client against real servers on loopback that misbehave: hang, drip, send
garbage, redirect in circles, send too much, or lie about ids."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from federation import http
from federation.http import Limits

AP_JSON = "application/activity+json"
QUICK = Limits(total=1.5, connect=1.0)


@pytest.fixture
def silent_server() -> Iterator[tuple[str, int]]:
    """Accepts connections (through the backlog) and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    yield server.getsockname()
    server.close()


@pytest.fixture
def dripping_server() -> Iterator[tuple[str, int]]:
    """Answers with headers, then one byte of body every 0.2 s, for up to 5 s."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    stop = threading.Event()

    def serve() -> None:
        server.settimeout(5)
        try:
            conn, _ = server.accept()
        except OSError:
            return
        with conn:
            conn.recv(4096)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/activity+json\r\n\r\n{")
            for _ in range(25):
                if stop.wait(0.2):
                    break
                try:
                    conn.sendall(b" ")
                except OSError:
                    break

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()
    stop.set()
    server.close()
    thread.join(timeout=6)


def test_fetches_a_document(httpserver: HTTPServer, allow_loopback: None) -> None:
    url = httpserver.url_for("/users/a")
    httpserver.expect_request("/users/a").respond_with_json(
        {"id": url, "type": "Person"}, content_type=AP_JSON
    )
    assert http.fetch_document(url)["type"] == "Person"
    sent = httpserver.log[0][0]
    assert sent.headers["User-Agent"].startswith("Herd/0.1.0 (+http://testserver/)")
    assert "application/activity+json" in sent.headers["Accept"]


def test_loopback_is_refused_unless_allowed(httpserver: HTTPServer, settings: Any) -> None:
    settings.FEDIVERSE_ALLOWED_PRIVATE_ADDRESSES = []
    httpserver.expect_request("/x").respond_with_data("hi")
    for url in (httpserver.url_for("/x"), f"http://127.0.0.1:{httpserver.port}/x"):
        with pytest.raises(http.UnsafeAddress):
            http.get(url)
    assert httpserver.log == []


def test_redirect_to_a_private_address_is_refused(httpserver: HTTPServer, settings: Any) -> None:
    settings.FEDIVERSE_ALLOWED_PRIVATE_ADDRESSES = ["127.0.0.0/8", "::1/128"]
    httpserver.expect_request("/go").respond_with_data(
        "", status=302, headers={"Location": "http://10.0.0.1/secret"}
    )
    with pytest.raises(http.UnsafeAddress):
        http.get(httpserver.url_for("/go"), limits=QUICK)


def test_redirect_loop_stops_after_three(httpserver: HTTPServer, allow_loopback: None) -> None:
    httpserver.expect_request("/loop").respond_with_data(
        "", status=302, headers={"Location": "/loop"}
    )
    with pytest.raises(http.TooManyRedirects):
        http.get(httpserver.url_for("/loop"))
    assert len(httpserver.log) == 4  # the request and three redirects


def test_redirects_are_followed(httpserver: HTTPServer, allow_loopback: None) -> None:
    httpserver.expect_request("/old").respond_with_data(
        "", status=301, headers={"Location": "/new"}
    )
    httpserver.expect_request("/new").respond_with_data("here")
    response = http.get(httpserver.url_for("/old"))
    assert (response.status, response.body) == (200, b"here")
    assert response.url.endswith("/new")


def test_bodies_over_a_megabyte_are_cut(httpserver: HTTPServer, allow_loopback: None) -> None:
    big = b"x" * (1024 * 1024 + 1)
    httpserver.expect_request("/declared").respond_with_data(big)

    def undeclared(request: Request) -> Response:
        return Response(big[i : i + 65536] for i in range(0, len(big), 65536))

    httpserver.expect_request("/streamed").respond_with_handler(undeclared)
    for path in ("/declared", "/streamed"):
        with pytest.raises(http.ResponseTooLarge):
            http.get(httpserver.url_for(path))
    exactly = b"y" * (1024 * 1024)
    httpserver.expect_request("/exact").respond_with_data(exactly)
    assert http.get(httpserver.url_for("/exact")).body == exactly


def test_a_server_that_never_answers_times_out(
    silent_server: tuple[str, int], allow_loopback: None
) -> None:
    host, port = silent_server
    started = time.monotonic()
    with pytest.raises(http.FetchError, match="in time"):
        http.get(f"http://{host}:{port}/", limits=QUICK)
    assert time.monotonic() - started < QUICK.total + 1


def test_a_dripping_server_is_cut_at_the_total_deadline(
    dripping_server: tuple[str, int], allow_loopback: None
) -> None:
    host, port = dripping_server
    started = time.monotonic()
    with pytest.raises(http.FetchError):
        http.get(f"http://{host}:{port}/", limits=QUICK)
    # Each byte arrives well within the read timeout; only the total deadline stops it.
    assert QUICK.total - 0.3 < time.monotonic() - started < QUICK.total + 1


@pytest.mark.parametrize(
    ("body", "content_type"),
    [(b"<html>hello</html>", "text/html"), (b"{not json", AP_JSON), (b"[1, 2]", AP_JSON),
     (b"[" * 5000 + b"]" * 5000, AP_JSON), (b"\xff\xfe", AP_JSON)],
)  # fmt: skip
def test_garbage_is_not_a_document(
    httpserver: HTTPServer, allow_loopback: None, body: bytes, content_type: str
) -> None:
    httpserver.expect_request("/doc").respond_with_data(body, content_type=content_type)
    with pytest.raises(http.BadResponse):
        http.fetch_document(httpserver.url_for("/doc"))


def test_ld_json_with_profile_is_a_document(httpserver: HTTPServer, allow_loopback: None) -> None:
    url = httpserver.url_for("/doc")
    kind = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
    httpserver.expect_request("/doc").respond_with_json({"id": url}, content_type=kind)
    assert http.fetch_document(url) == {"id": url}


def test_a_document_naming_another_id_is_fetched_from_it(
    httpserver: HTTPServer, allow_loopback: None
) -> None:
    real = httpserver.url_for("/real")
    httpserver.expect_request("/alias").respond_with_json(
        {"id": real, "type": "Note", "content": "stale"}, content_type=AP_JSON
    )
    httpserver.expect_request("/real").respond_with_json(
        {"id": real, "type": "Note", "content": "fresh"}, content_type=AP_JSON
    )
    assert http.fetch_document(httpserver.url_for("/alias"))["content"] == "fresh"


def test_an_id_that_does_not_name_itself_is_refused(
    httpserver: HTTPServer, allow_loopback: None
) -> None:
    elsewhere = httpserver.url_for("/elsewhere")
    httpserver.expect_request("/claim").respond_with_json(
        {"id": elsewhere, "type": "Note"}, content_type=AP_JSON
    )
    httpserver.expect_request("/elsewhere").respond_with_json(
        {"id": httpserver.url_for("/third"), "type": "Note"}, content_type=AP_JSON
    )
    with pytest.raises(http.BadResponse, match="does not name itself"):
        http.fetch_document(httpserver.url_for("/claim"))


def test_only_http_urls(allow_loopback: None) -> None:
    for url in ("file:///etc/passwd", "ftp://example.com/", "http://user:pw@example.com/"):
        with pytest.raises(http.FetchError):
            http.get(url)
