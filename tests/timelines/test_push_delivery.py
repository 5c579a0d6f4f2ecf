"""Notifications pushed to a real push endpoint on loopback, which decrypts every message with
the subscriber's private key and checks the VAPID token against the instance's public key."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from pytest_httpserver import HTTPServer

from accounts.models import User
from accounts.services.follows import do_follow
from moderation.models import InstanceSettings
from tests.federation.conftest import allow_loopback  # noqa: F401
from tests.timelines.push_support import Subscriber, issue_token, vapid_claims
from timelines.models import Notification, WebPushSubscription
from timelines.services.interactions import do_favourite
from timelines.services.push_delivery import PushFailed
from timelines.services.statuses import StatusInput, do_create_status
from timelines.tasks import PUSH_RETRIES, deliver_web_push

pytestmark = pytest.mark.usefixtures("allow_loopback")
ALL_ALERTS = {"mention": True, "favourite": True, "follow": True, "reblog": True}


def instance_key() -> str:
    response = Client().get("/api/v2/instance")
    return str(response.json()["configuration"]["vapid"]["public_key"])


@pytest.fixture
def endpoint(httpserver: HTTPServer) -> Callable[..., str]:
    def make(path: str = "/push/alice", status: int = 201) -> str:
        httpserver.expect_request(path, method="POST").respond_with_data("", status=status)
        return httpserver.url_for(path)

    return make


def subscribe(
    user: User, url: str, *, standard: bool = True, **data: Any
) -> tuple[Subscriber, str]:
    token = issue_token(user)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token.token}")
    subscriber = Subscriber()
    data.setdefault("alerts", ALL_ALERTS)
    subscriber.subscribe(client, url, standard=standard, data=data)
    return subscriber, token.token


def pushes(httpserver: HTTPServer) -> list[Any]:
    return [request for request, _ in httpserver.log]


@pytest.mark.parametrize("standard", [True, False], ids=["aes128gcm", "aesgcm"])
def test_a_favourite_is_pushed_encrypted_and_signed(
    alice: User, bob: User, httpserver: HTTPServer, endpoint: Any, standard: bool
) -> None:
    InstanceSettings.objects.update_or_create(pk=1, defaults={"contact_email": "admin@herd.test"})
    subscriber, token = subscribe(alice, endpoint(), standard=standard)
    status = do_create_status(account=alice.account, data=StatusInput(text="Pushed & <kept>"))
    do_favourite(account=bob.account, status=status)

    [request] = pushes(httpserver)
    assert request.headers["TTL"] == "172800"
    assert request.headers["Urgency"] == "normal"
    assert request.headers["Content-Type"] == "application/octet-stream"
    assert request.headers["Content-Encoding"] == ("aes128gcm" if standard else "aesgcm")
    claims = vapid_claims(request.headers, instance_key())
    assert claims["aud"] == httpserver.url_for("/").rstrip("/")
    assert claims["sub"] == "mailto:admin@herd.test"

    payload = subscriber.decrypt(request.get_data(), request.headers)
    notification = Notification.objects.get(account=alice.account, type="favourite")
    assert payload["access_token"] == token
    assert payload["preferred_locale"] == "en"
    assert str(payload["notification_id"]) == str(notification.pk)
    assert payload["notification_type"] == "favourite"
    assert payload["title"] == "bob favourited your post"
    assert payload["body"] == "Pushed & <kept>"
    assert payload["icon"].startswith("http") and payload["icon"].endswith(".png")


def test_follow_body_is_the_senders_note_and_long_text_is_cut(
    alice: User, bob: User, httpserver: HTTPServer, endpoint: Any
) -> None:
    bob.account.display_name = "Bob B."
    bob.account.note = "<p>" + "word " * 60 + "</p><p>&amp; more</p>"
    bob.account.save()
    subscriber, _ = subscribe(alice, endpoint())
    do_follow(account=bob.account, target=alice.account)

    [request] = pushes(httpserver)
    payload = subscriber.decrypt(request.get_data(), request.headers)
    assert payload["notification_type"] == "follow"
    assert payload["title"] == "Bob B. is now following you"
    assert len(payload["body"]) == 140 and payload["body"].endswith("...")
    assert payload["body"].startswith("word word") and "<p>" not in payload["body"]


def test_vapid_subject_falls_back_to_the_instance_url(
    alice: User, bob: User, httpserver: HTTPServer, endpoint: Any
) -> None:
    subscribe(alice, endpoint(), standard=False)
    do_follow(account=bob.account, target=alice.account)
    [request] = pushes(httpserver)
    assert vapid_claims(request.headers, instance_key())["sub"].startswith("http")


def test_only_the_alerts_asked_for_are_pushed(
    alice: User, bob: User, httpserver: HTTPServer, endpoint: Any
) -> None:
    subscriber, _ = subscribe(alice, endpoint(), alerts={"mention": True})
    status = do_create_status(account=alice.account, data=StatusInput(text="mine"))
    do_favourite(account=bob.account, status=status)
    do_follow(account=bob.account, target=alice.account)
    assert pushes(httpserver) == []

    do_create_status(account=bob.account, data=StatusInput(text="hello @alice"))
    [request] = pushes(httpserver)
    payload = subscriber.decrypt(request.get_data(), request.headers)
    assert payload["notification_type"] == "mention"
    assert payload["title"] == "You were mentioned by bob"
    assert payload["body"] == "hello @alice"


@pytest.mark.parametrize(
    ("policy", "pushed"),
    [("all", True), ("none", False), ("followed", False), ("follower", True)],
)
def test_policy_decides_whose_notifications_are_pushed(
    alice: User, bob: User, httpserver: HTTPServer, endpoint: Any, policy: str, pushed: bool
) -> None:
    subscribe(alice, endpoint(), policy=policy)
    do_follow(account=bob.account, target=alice.account)  # bob follows alice, not the reverse
    assert len(pushes(httpserver)) == (1 if pushed else 0)


def test_followed_policy_admits_people_the_user_follows(
    alice: User, bob: User, httpserver: HTTPServer, endpoint: Any
) -> None:
    subscribe(alice, endpoint(), policy="followed")
    status = do_create_status(account=alice.account, data=StatusInput(text="mine"))
    do_favourite(account=bob.account, status=status)
    assert pushes(httpserver) == []
    do_follow(account=alice.account, target=bob.account)
    other = do_create_status(account=alice.account, data=StatusInput(text="again"))
    do_favourite(account=bob.account, status=other)
    assert len(pushes(httpserver)) == 1


def test_each_subscription_of_the_recipient_gets_its_own_push(
    alice: User, bob: User, httpserver: HTTPServer, endpoint: Any
) -> None:
    phone, _ = subscribe(alice, endpoint("/push/phone"))
    laptop, _ = subscribe(alice, endpoint("/push/laptop"), standard=False)
    subscribe(bob, endpoint("/push/bob"))
    do_follow(account=bob.account, target=alice.account)
    paths = sorted(request.path for request in pushes(httpserver))
    assert paths == ["/push/laptop", "/push/phone"]


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_endpoint_loses_its_subscription(
    alice: User, bob: User, httpserver: HTTPServer, endpoint: Any, status: int
) -> None:
    subscribe(alice, endpoint(status=status))
    do_follow(account=bob.account, target=alice.account)
    assert len(pushes(httpserver)) == 1
    assert not WebPushSubscription.objects.filter(account=alice.account).exists()


@pytest.fixture
def failures_kept_in_tasks() -> Iterator[None]:
    """Eager tasks normally raise into whoever scheduled them; here a task that gives up
    ends as a failed task, as it would in a worker, and its retries run one after another."""
    conf = deliver_web_push.app.conf
    before = conf.task_eager_propagates
    conf.task_eager_propagates = False
    yield
    conf.task_eager_propagates = before


@pytest.mark.usefixtures("failures_kept_in_tasks")
def test_a_failing_endpoint_is_retried_then_given_up(
    alice: User, bob: User, httpserver: HTTPServer, endpoint: Any
) -> None:
    subscribe(alice, endpoint(status=500))
    do_follow(account=bob.account, target=alice.account)
    assert len(pushes(httpserver)) == PUSH_RETRIES + 1
    assert WebPushSubscription.objects.filter(account=alice.account).exists()


@pytest.mark.usefixtures("failures_kept_in_tasks")
def test_a_retry_delivers_once_the_endpoint_recovers(
    alice: User, bob: User, httpserver: HTTPServer, endpoint: Any
) -> None:
    httpserver.expect_oneshot_request("/push/alice", method="POST").respond_with_data(
        "busy", status=503
    )
    subscriber, _ = subscribe(alice, endpoint())
    do_follow(account=bob.account, target=alice.account)
    assert [response.status_code for _, response in httpserver.log] == [503, 201]
    request = pushes(httpserver)[1]
    assert subscriber.decrypt(request.get_data(), request.headers)["notification_type"] == "follow"


def test_revoking_the_token_removes_the_subscription(alice: User, endpoint: Any) -> None:
    token = issue_token(alice)
    Subscriber().subscribe(
        Client(HTTP_AUTHORIZATION=f"Bearer {token.token}"), endpoint(), standard=True, data={}
    )
    assert WebPushSubscription.objects.filter(access_token=token).exists()
    token.revoke()
    assert not WebPushSubscription.objects.filter(account=alice.account).exists()


@pytest.mark.usefixtures("failures_kept_in_tasks")
def test_an_unreachable_endpoint_is_retried_then_given_up(alice: User, bob: User) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    do_follow(account=bob.account, target=alice.account)
    subscribe(alice, f"http://127.0.0.1:{closed_port}/push")
    subscription = WebPushSubscription.objects.get(account=alice.account)
    notification = Notification.objects.get(account=alice.account)
    result = deliver_web_push.apply(args=[subscription.pk, notification.pk])
    assert result.state == "FAILURE" and isinstance(result.result, PushFailed)
    assert WebPushSubscription.objects.filter(pk=subscription.pk).exists()


def test_an_endpoint_that_became_private_is_not_contacted(
    alice: User, bob: User, httpserver: HTTPServer, endpoint: Any, settings: Any
) -> None:
    subscribe(alice, endpoint())
    settings.FEDIVERSE_ALLOWED_PRIVATE_ADDRESSES = []
    do_follow(account=bob.account, target=alice.account)
    assert pushes(httpserver) == []
    assert WebPushSubscription.objects.filter(account=alice.account).exists()
