"""WebFinger, host-meta and NodeInfo, checked against the shapes Mastodon serves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from accounts.models import User
from federation.instance_actor import get_instance_actor
from moderation.models import InstanceSettings, RegistrationMode
from timelines.services.statuses import StatusInput, do_create_status


def webfinger(resource: str | None) -> object:
    query = {} if resource is None else {"resource": resource}
    return Client().get("/.well-known/webfinger", query, HTTP_ORIGIN="https://app.example")


def test_webfinger_answers_every_resource_form(alice: User) -> None:
    forms = [
        "acct:alice@testserver",
        "alice@testserver",
        "acct:ALICE@TestServer",
        "http://testserver/@alice",
        "http://testserver/users/alice",
    ]
    for resource in forms:
        response = webfinger(resource)
        assert response.status_code == 200, resource  # type: ignore[attr-defined]
        assert response["Content-Type"] == "application/jrd+json"  # type: ignore[index]
        assert response["Access-Control-Allow-Origin"] == "*"  # type: ignore[index]
        jrd = response.json()  # type: ignore[attr-defined]
        assert jrd["subject"] == "acct:alice@testserver"
        assert jrd["aliases"] == ["http://testserver/@alice", "http://testserver/users/alice"]
    assert jrd["links"] == [
        {
            "rel": "http://webfinger.net/rel/profile-page",
            "type": "text/html",
            "href": "http://testserver/@alice",
        },
        {
            "rel": "self",
            "type": "application/activity+json",
            "href": "http://testserver/users/alice",
        },
        {
            "rel": "http://ostatus.org/schema/1.0/subscribe",
            "template": "http://testserver/authorize_interaction?uri={uri}",
        },
    ]


def test_webfinger_statuses(alice: User) -> None:
    for resource in (None, "", "alice", "acct:alice", "acct:@", "a@b@c"):
        assert webfinger(resource).status_code == 400, resource  # type: ignore[attr-defined]
    for resource in (
        "acct:nobody@testserver",
        "alice@elsewhere.example",
        "https://elsewhere.example/users/alice",
        "http://testserver/users/nobody",
    ):
        assert webfinger(resource).status_code == 404, resource  # type: ignore[attr-defined]
    alice.account.suspended_at = timezone.now()
    alice.account.save()
    assert webfinger("acct:alice@testserver").status_code == 410  # type: ignore[attr-defined]


def test_webfinger_finds_the_instance_actor() -> None:
    actor = get_instance_actor()
    jrd = webfinger("http://testserver/actor").json()  # type: ignore[attr-defined]
    assert jrd["subject"] == f"acct:{actor.username}@testserver"
    self_link = next(link for link in jrd["links"] if link["rel"] == "self")
    assert self_link["href"] == "http://testserver/actor"


def test_host_meta_xrd_and_json() -> None:
    template = "http://testserver/.well-known/webfinger?resource={uri}"
    xrd = Client().get("/.well-known/host-meta")
    assert xrd["Content-Type"].startswith("application/xrd+xml")
    assert f'<Link rel="lrdd" template="{template}"/>' in xrd.content.decode()
    for response in (
        Client().get("/.well-known/host-meta.json"),
        Client().get("/.well-known/host-meta", HTTP_ACCEPT="application/json"),
    ):
        assert response.json() == {"links": [{"rel": "lrdd", "template": template}]}


def test_nodeinfo_discovery_and_documents(make_user: Callable[..., User]) -> None:
    links = Client().get("/.well-known/nodeinfo").json()["links"]
    assert [link["rel"] for link in links] == [
        "http://nodeinfo.diaspora.software/ns/schema/2.0",
        "http://nodeinfo.diaspora.software/ns/schema/2.1",
    ]
    poster, _idle, away = make_user("poster"), make_user("idle"), make_user("away")
    do_create_status(account=poster.account, data=StatusInput(text="hello"))
    away.last_active_at = timezone.now() - timedelta(days=100)
    away.save()
    for version in ("2.0", "2.1"):
        response = Client().get(f"/nodeinfo/{version}")
        assert response["Content-Type"] == (
            f'application/json; profile="http://nodeinfo.diaspora.software/ns/schema/{version}#"'
        )
        document = response.json()
        assert document["version"] == version
        assert document["software"]["name"] == "herd"
        assert document["software"]["version"] == "0.1.0"
        assert document["protocols"] == ["activitypub"]
        assert document["usage"] == {
            "users": {"total": 3, "activeMonth": 1, "activeHalfyear": 2},
            "localPosts": 1,
        }
        assert document["openRegistrations"] is True
        assert document["metadata"]["nodeName"] == "Herd"
    instance = InstanceSettings.current()
    instance.registrations_mode = RegistrationMode.NONE
    instance.save()
    assert Client().get("/nodeinfo/2.0").json()["openRegistrations"] is False
    instance.registrations_mode = RegistrationMode.APPROVED
    instance.save()
    assert Client().get("/nodeinfo/2.1").json()["openRegistrations"] is True
