"""Outbound delivery against real HTTP servers on loopback that accept, fail, hang, answer
garbage or redirect in a loop: signatures verify, retries follow the schedule kept in
PostgreSQL, nothing waits past the timeout, and a delivery survives a worker that dies."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from accounts.models import Account, Follow, User
from federation import delivery
from federation.models import Delivery, OutgoingActivity, UnavailableDomain
from federation.resolve import resolve_account_url
from federation.signatures import RequestParts, read_signature
from federation.tasks import deliver_due
from tests.federation.conftest import RemoteActor
from timelines.services.statuses import StatusInput, do_create_status


def follower(remote: RemoteActor, local: User) -> Account:
    account = resolve_account_url(remote.uri)
    Follow.objects.create(account=account, target_account=local.account)
    return account


def verified(request: Request, public_key: str) -> bool:
    parts = RequestParts("POST", request.url, dict(request.headers.items()), request.get_data())
    signature = read_signature(parts)
    assert signature is not None
    signature.check(parts)
    return signature.verify(parts, public_key)


def post(user: User, text: str = "Hello fediverse") -> None:
    do_create_status(account=user.account, data=StatusInput(text=text))


def make_due() -> None:
    Delivery.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_a_post_reaches_the_shared_inbox_signed(
    alice: User, remote: RemoteActor, httpserver: HTTPServer
) -> None:
    received: list[dict[str, Any]] = []
    key = alice.account.public_key

    def inbox(request: Request) -> Response:
        assert verified(request, key)
        assert "digest" in request.headers.get("Signature", "")
        received.append(json.loads(request.get_data()))
        return Response(status=202)

    httpserver.expect_request("/inbox", method="POST").respond_with_handler(inbox)
    follower(remote, alice)
    post(alice)
    assert [(a["type"], a["object"]["content"]) for a in received] == [
        ("Create", "<p>Hello fediverse</p>")
    ]
    assert not Delivery.objects.exists() and not OutgoingActivity.objects.exists()


def test_failures_follow_the_backoff_schedule_then_give_up(
    alice: User, remote: RemoteActor, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/inbox", method="POST").respond_with_data("down", status=503)
    follower(remote, alice)
    post(alice)
    waits = []
    for _ in range(delivery.MAX_ATTEMPTS - 1):
        row = Delivery.objects.get()
        waits.append(row.next_attempt_at - timezone.now())
        assert row.last_status == 503
        make_due()
        assert deliver_due() == 1
    assert not Delivery.objects.exists()
    # Each wait is the schedule's, give or take the time the test itself took.
    for wait, expected in zip(waits, delivery.BACKOFF, strict=True):
        assert expected - timedelta(seconds=5) < wait <= expected
    assert sum(delivery.BACKOFF, timedelta()) > timedelta(days=1, hours=18)
    posts = [r for r, _ in httpserver.log if r.method == "POST"]
    assert len(posts) == delivery.MAX_ATTEMPTS


@pytest.mark.parametrize(
    ("status", "kept"),
    [(404, False), (410, False), (422, False), (408, True), (429, True), (500, True)],
)
def test_only_some_client_errors_are_retried(
    alice: User, remote: RemoteActor, httpserver: HTTPServer, status: int, kept: bool
) -> None:
    httpserver.expect_request("/inbox", method="POST").respond_with_data("no", status=status)
    follower(remote, alice)
    post(alice)
    assert Delivery.objects.exists() is kept
    # A refusal still shows the server is up; only retried failures count against it.
    assert UnavailableDomain.objects.exists() is kept


def test_a_refused_signature_is_retried_once_with_rfc9421(
    alice: User, remote: RemoteActor, httpserver: HTTPServer
) -> None:
    key = alice.account.public_key

    def inbox(request: Request) -> Response:
        if "Signature-Input" not in request.headers:
            return Response("unknown signature", status=401)
        assert verified(request, key)
        assert request.headers["Content-Digest"].startswith("sha-256=")
        return Response(status=202)

    httpserver.expect_request("/inbox", method="POST").respond_with_handler(inbox)
    follower(remote, alice)
    post(alice)
    assert not Delivery.objects.exists()
    posts = [r for r, _ in httpserver.log if r.method == "POST"]
    assert ["Signature-Input" in r.headers for r in posts] == [False, True]


def test_a_redirect_loop_is_a_failure_not_a_chase(
    alice: User, remote: RemoteActor, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/inbox", method="POST").respond_with_data(
        "", status=302, headers={"Location": remote.url("/inbox")}
    )
    follower(remote, alice)
    post(alice)
    row = Delivery.objects.get()
    assert (row.attempts, row.last_status) == (1, 302)
    assert len([r for r, _ in httpserver.log if r.method == "POST"]) == 1


def test_a_hanging_inbox_never_blocks_past_the_timeout(
    alice: User, remote: RemoteActor, httpserver: HTTPServer, settings: Any
) -> None:
    settings.FEDERATION_DELIVERY_TIMEOUT = 1.0

    def hang(request: Request) -> Response:
        time.sleep(3)
        return Response(status=202)

    httpserver.expect_request("/inbox", method="POST").respond_with_handler(hang)
    follower(remote, alice)
    started = time.monotonic()
    post(alice)
    elapsed = time.monotonic() - started
    row = Delivery.objects.get()
    assert row.attempts == 1 and "in time" in row.last_error
    assert elapsed < 2.8  # one POST of at most a second, not the three the server takes


@pytest.fixture
def garbage_server() -> Iterator[int]:
    """A TCP server on loopback that answers every connection with bytes that are not HTTP."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            with connection:
                connection.recv(65536)
                connection.sendall(b"\x00\xffNOT HTTP AT ALL\r\n\r\n\x17garbage")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join(timeout=2)
    listener.close()


def test_garbage_answers_are_failures_retried_later(
    alice: User, remote: RemoteActor, garbage_server: int
) -> None:
    account = follower(remote, alice)
    account.shared_inbox_url = f"http://127.0.0.1:{garbage_server}/inbox"
    account.save()
    post(alice)
    row = Delivery.objects.get()
    assert row.attempts == 1 and row.last_status is None and row.last_error
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=30)


def test_a_worker_killed_mid_delivery_loses_nothing(
    alice: User, remote: RemoteActor, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/inbox", method="POST").respond_with_data("", status=202)
    follower(remote, alice)
    with pytest.MonkeyPatch.context() as patch:
        # The worker dies between claiming the row and posting (the first attempt).
        def die(delivery_id: int) -> str:
            delivery._claim(delivery_id)
            raise SystemExit("worker killed")

        patch.setattr("federation.tasks.attempt", die)
        with pytest.raises(SystemExit):
            post(alice)
    row = Delivery.objects.get()
    assert row.attempts == 1 and row.next_attempt_at > timezone.now()
    assert deliver_due() == 0  # leased: not handed out twice while it might still run
    make_due()  # the lease runs out
    assert deliver_due() == 1
    assert not Delivery.objects.exists()
    assert len([r for r, _ in httpserver.log if r.method == "POST"]) == 1


def test_a_domain_failing_on_separate_days_is_skipped_until_it_speaks(
    alice: User, remote: RemoteActor, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/inbox", method="POST").respond_with_data("", status=500)
    follower(remote, alice)
    today = timezone.now().date()
    past_days = [(today - timedelta(days=n)).isoformat() for n in range(1, 7)]
    UnavailableDomain.objects.create(domain=remote.domain, failure_days=past_days)
    post(alice)
    state = UnavailableDomain.objects.get()
    assert state.unavailable_since is not None and len(state.failure_days) == 7
    Delivery.objects.all().delete()
    post(alice, "Nobody there")
    assert not Delivery.objects.exists()
    # A signed request from the domain clears it.
    from django.test import Client

    activity = remote.activity("Like", "http://testserver/users/alice/statuses/1")
    remote.deliver(Client(), activity)
    assert not UnavailableDomain.objects.exists()


def test_one_failure_day_is_not_enough(
    alice: User, remote: RemoteActor, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/inbox", method="POST").respond_with_data("", status=500)
    follower(remote, alice)
    post(alice, "one")
    post(alice, "two")
    state = UnavailableDomain.objects.get()
    assert state.unavailable_since is None and len(state.failure_days) == 1
    assert Delivery.objects.count() == 2


def test_the_admin_panel_shows_each_domains_state(
    make_user: Any, client_for: Any, remote: RemoteActor, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/inbox", method="POST").respond_with_data("", status=500)
    alice = make_user("alice")
    follower(remote, alice)
    post(alice)
    UnavailableDomain.objects.create(
        domain="gone.example", failure_days=["2024-01-01"], unavailable_since=timezone.now()
    )
    admin = client_for(make_user("root", role="admin"))
    page = admin.get("/admin/federation/unavailabledomain/").content.decode()
    assert remote.domain in page and "failing" in page
    assert "gone.example" in page and "unavailable since" in page
    queue = admin.get("/admin/federation/delivery/").content.decode()
    assert remote.url("/inbox") in queue
    # Marking a domain available again clears its failures.
    row = UnavailableDomain.objects.get(domain="gone.example")
    response = admin.post(
        "/admin/federation/unavailabledomain/",
        {"action": "mark_available", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    assert not UnavailableDomain.objects.filter(domain="gone.example").exists()


def test_a_worker_process_killed_during_the_post_loses_nothing(
    alice: User, remote: RemoteActor, httpserver: HTTPServer
) -> None:
    """A real process, killed with SIGKILL while its POST is in flight."""
    from django.db import connection

    from federation.instance_actor import signing_key_for

    posted = threading.Event()
    calls: list[int] = []

    def inbox(request: Request) -> Response:
        calls.append(1)
        if len(calls) == 1:
            posted.set()
            time.sleep(2)  # the worker dies while waiting for this answer
        return Response(status=202)

    httpserver.expect_request("/inbox", method="POST").respond_with_handler(inbox)
    follower(remote, alice)
    [delivery_id] = delivery.store_activity(
        {"type": "Create"}, signing_key_for(alice.account), [remote.url("/inbox")]
    )
    database = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/"
        f"{database['NAME']}",
        "FEDIVERSE_ALLOWED_PRIVATE_ADDRESSES": "127.0.0.0/8",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import django, sys; django.setup(); "
            "from federation.delivery import attempt; attempt(int(sys.argv[1]))",
            str(delivery_id),
        ],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )
    try:
        assert posted.wait(timeout=30)
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    row = Delivery.objects.get()
    assert row.attempts == 1 and row.next_attempt_at > timezone.now()
    make_due()  # the lease runs out
    assert deliver_due() == 1
    assert not Delivery.objects.exists() and len(calls) == 2
