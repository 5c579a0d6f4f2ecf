"""/api/v1/push/subscription through HTTP: Mastodon.py's push calls, the WebPushSubscription
entity, one subscription per token, scopes, and input that is refused with nothing stored."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest
from mastodon import Mastodon
from mastodon.errors import MastodonNotFoundError
from pytest_httpserver import HTTPServer

from accounts.models import User
from tests.federation.conftest import allow_loopback  # noqa: F401
from tests.timelines.push_support import Subscriber, b64url
from timelines.models import WebPushSubscription

ALERTS = (
    "mention", "status", "reblog", "follow", "follow_request", "favourite", "poll", "update",
    "admin.sign_up", "admin.report",
)  # fmt: skip
NOT_FOUND = {"error": "Record not found"}
PATH = "/api/v1/push/subscription"


def published_key(base_url: str) -> str:
    instance = httpx.get(f"{base_url}/api/v2/instance").json()
    return str(instance["configuration"]["vapid"]["public_key"])


@pytest.mark.usefixtures("allow_loopback")
def test_round_trip_with_mastodon_py(
    alice: User, api_for: Any, base_url: str, httpserver: HTTPServer
) -> None:
    api: Mastodon = api_for(alice)
    private, public = api.push_subscription_generate_keys()
    endpoint = httpserver.url_for("/push/alice")
    created = api.push_subscription_set(
        endpoint, public, mention_events=True, favourite_events=True, policy="followed"
    )
    assert created.endpoint == endpoint
    assert set(ALERTS) <= set(created.alerts)
    assert created.alerts.mention is True and created.alerts.favourite is True
    assert created.alerts.follow is False and created.alerts["admin.sign_up"] is False
    assert created.policy == "followed" and created.standard is False
    assert created.server_key == published_key(base_url)
    assert isinstance(created.id, str)

    fetched = api.push_subscription()
    assert fetched.id == created.id and fetched.alerts == created.alerts

    updated = api.push_subscription_update(follow_events=True, reblog_events=True)
    assert updated.id == created.id
    assert updated.alerts.follow is True and updated.alerts.reblog is True
    assert updated.alerts.mention is False  # the alerts are replaced, as on Mastodon
    assert updated.policy == "all"
    stored = WebPushSubscription.objects.get()
    assert stored.key_auth and stored.endpoint == endpoint and stored.account == alice.account

    api.push_subscription_delete()
    with pytest.raises(MastodonNotFoundError):
        api.push_subscription()
    assert not WebPushSubscription.objects.exists()


@pytest.mark.usefixtures("allow_loopback")
def test_json_and_form_bodies_with_every_field(
    alice: User, http_for: Any, httpserver: HTTPServer
) -> None:
    client = http_for(alice)
    subscriber = Subscriber()
    endpoint = httpserver.url_for("/push/standard")
    body = {
        "subscription": {"endpoint": endpoint, "standard": True, "keys": subscriber.keys()},
        "data": {"alerts": {"admin.sign_up": True, "poll": "1"}, "policy": "follower"},
    }
    created = client.post(PATH, json=body).json()
    assert set(created) == {"id", "endpoint", "standard", "alerts", "policy", "server_key"}
    assert set(created["alerts"]) == set(ALERTS)
    assert created["standard"] is True and created["policy"] == "follower"
    assert created["alerts"]["admin.sign_up"] is True and created["alerts"]["poll"] is True
    assert created["alerts"]["mention"] is False

    standard_base64 = {
        "p256dh": base64.b64encode(subscriber.public_bytes).decode(),
        "auth": base64.b64encode(subscriber.auth).decode(),
    }
    form = {
        "subscription[endpoint]": endpoint + "/2",
        "subscription[keys][p256dh]": standard_base64["p256dh"],
        "subscription[keys][auth]": standard_base64["auth"],
        "data[alerts][update]": "true",
        "data[alerts][admin.report]": "true",
        "data[policy]": "none",
    }
    replaced = client.post(PATH, data=form).json()
    assert replaced["id"] != created["id"] and replaced["endpoint"] == endpoint + "/2"
    assert replaced["standard"] is False and replaced["policy"] == "none"
    assert replaced["alerts"]["update"] is True and replaced["alerts"]["admin.report"] is True
    assert WebPushSubscription.objects.count() == 1

    changed = client.put(PATH, json={"data": {"alerts": {"mention": True}}}).json()
    assert changed["alerts"]["mention"] is True and changed["alerts"]["update"] is False
    assert changed["endpoint"] == endpoint + "/2" and changed["policy"] == "all"


@pytest.mark.usefixtures("allow_loopback")
def test_one_subscription_per_token(alice: User, http_for: Any, httpserver: HTTPServer) -> None:
    phone, laptop = http_for(alice), http_for(alice)
    for client, path in ((phone, "/push/phone"), (laptop, "/push/laptop")):
        keys = Subscriber().keys()
        body = {"subscription": {"endpoint": httpserver.url_for(path), "keys": keys}}
        assert client.post(PATH, json=body).status_code == 200
    assert phone.get(PATH).json()["endpoint"].endswith("/push/phone")
    assert laptop.get(PATH).json()["endpoint"].endswith("/push/laptop")
    assert phone.delete(PATH).json() == {}
    assert phone.get(PATH).status_code == 404
    assert laptop.get(PATH).status_code == 200


def test_without_a_subscription(alice: User, http_for: Any) -> None:
    client = http_for(alice)
    for method in ("GET", "PUT"):
        response = client.request(method, PATH, json={"data": {"alerts": {"mention": True}}})
        assert response.status_code == 404 and response.json() == NOT_FOUND
    deleted = client.delete(PATH)
    assert deleted.status_code == 200 and deleted.json() == {}


def test_push_scope_is_required(alice: User, http_for: Any) -> None:
    client = http_for(alice, "read write follow")
    body = {"subscription": {"endpoint": "http://127.0.0.1:9/x", "keys": Subscriber().keys()}}
    for response in (client.get(PATH), client.post(PATH, json=body), client.delete(PATH)):
        assert response.status_code == 403
        assert response.json() == {"error": "This action is outside the authorized scopes"}
    assert httpx.get(str(client.base_url) + PATH).status_code == 401
    assert not WebPushSubscription.objects.exists()


def _body(endpoint: str, p256dh: str, auth: str, **data: Any) -> dict[str, Any]:
    keys = {"p256dh": p256dh, "auth": auth}
    return {"subscription": {"endpoint": endpoint, "keys": keys}, "data": data}


def test_bad_input_is_refused_and_nothing_is_stored(alice: User, http_for: Any) -> None:
    client = http_for(alice)
    good = Subscriber().keys()
    not_on_curve = b64url(b"\x04" + b"\x01" * 64)
    cases = {
        "Endpoint is invalid": [
            _body("not a url", **good),
            _body("ftp://push.example/x", **good),
            _body("http://127.0.0.1:9/private", **good),
            _body("http://10.1.2.3/private", **good),
            _body("http://[::1]:9/private", **good),
            _body("http://localhost:9/private", **good),
            _body("https://user:pw@127.0.0.2/x", **good),
        ],
        "Key p256dh is invalid": [
            _body("http://127.0.0.1:9/x", "not*base64", good["auth"]),
            _body("http://127.0.0.1:9/x", b64url(b"short"), good["auth"]),
            _body("http://127.0.0.1:9/x", not_on_curve, good["auth"]),
        ],
        "Key auth is invalid": [
            _body("http://127.0.0.1:9/x", good["p256dh"], b64url(b"fifteen bytes!!")),
            _body("http://127.0.0.1:9/x", good["p256dh"], "%%%"),
        ],
        "Endpoint can't be blank": [_body("", **good)],
        "Key p256dh can't be blank": [{"subscription": {"endpoint": "http://127.0.0.1:9/"}}],
    }
    for message, bodies in cases.items():
        for body in bodies:
            response = client.post(PATH, json=body)
            assert response.status_code == 422, body
            assert message in response.json()["error"], (body, response.json())
            assert response.json()["error"].startswith("Validation failed: ")
    missing = client.post(PATH, json={"data": {"policy": "all"}})
    assert missing.status_code == 400
    assert missing.json() == {"error": "param is missing or the value is empty: subscription"}
    assert not WebPushSubscription.objects.exists()


@pytest.mark.usefixtures("allow_loopback")
def test_unknown_policy_is_refused(alice: User, http_for: Any, httpserver: HTTPServer) -> None:
    client = http_for(alice)
    body = _body(httpserver.url_for("/push"), **Subscriber().keys(), policy="friends")
    refused = client.post(PATH, json=body)
    assert refused.status_code == 422
    assert refused.json() == {"error": "Validation failed: Policy is not included in the list"}
    assert not WebPushSubscription.objects.exists()
    body["data"]["policy"] = "followed"
    assert client.post(PATH, json=body).status_code == 200
    kept = client.put(PATH, json={"data": {"policy": "everyone"}})
    assert kept.status_code == 422
    assert WebPushSubscription.objects.get().policy == "followed"


@pytest.mark.usefixtures("allow_loopback")
def test_revoking_the_token_ends_the_subscription(
    alice: User, token_for: Any, register_app: Any, base_url: str, httpserver: HTTPServer
) -> None:
    app = register_app()
    token = token_for(alice, app=app)
    headers = {"Authorization": f"Bearer {token}"}
    body = {"subscription": {"endpoint": httpserver.url_for("/p"), "keys": Subscriber().keys()}}
    assert httpx.post(base_url + PATH, json=body, headers=headers).status_code == 200
    assert WebPushSubscription.objects.count() == 1
    revoked = httpx.post(
        f"{base_url}/oauth/revoke",
        data={"token": token, "client_id": app.client_id, "client_secret": app.client_secret},
    )
    assert revoked.status_code == 200
    assert not WebPushSubscription.objects.exists()


def test_vapid_key_is_published_alike_everywhere(alice: User, base_url: str) -> None:
    key = published_key(base_url)
    raw = base64.urlsafe_b64decode(key + "=" * (-len(key) % 4))
    assert len(raw) == 65 and raw[0] == 4
    registered = httpx.post(
        f"{base_url}/api/v1/apps",
        data={"client_name": "Push", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"},
    ).json()
    assert registered["vapid_key"] == key
    assert published_key(base_url) == key
