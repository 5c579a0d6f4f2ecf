"""The admin API's blocks: domains, allowed domains, email providers and networks. Admins
only: moderators are refused even with the admin scopes."""

from collections.abc import Callable

import pytest
from django.test import Client

from accounts.models import Account, Role, User
from moderation.models import DomainAllow, DomainBlock, EmailDomainBlock, IpBlock
from tests.api.accounts_support import remote_account
from tests.moderation.actions_support import bearer

MakeUser = Callable[..., User]
ADMIN_SCOPES = "read write admin:read admin:write"


@pytest.fixture
def admin(make_user: MakeUser) -> User:
    return make_user("chief", role=Role.ADMIN)


def test_domain_block_lifecycle(admin: User) -> None:
    troll = remote_account("troll", "bad.example")
    client = bearer(admin, ADMIN_SCOPES)
    created = client.post(
        "/api/v1/admin/domain_blocks", {"domain": "bad.example", "severity": "silence"}
    ).json()
    assert created["severity"] == "silence" and created["public_comment"] is None
    assert Account.objects.get(pk=troll.pk).silenced_at is not None
    again = client.post("/api/v1/admin/domain_blocks", {"domain": "BAD.example"})
    assert again.status_code == 422 and again.json()["existing_domain_block"]["id"] == created["id"]

    url = f"/api/v1/admin/domain_blocks/{created['id']}"
    changed = client.put(
        url, {"severity": "suspend", "public_comment": "spam"}, content_type="application/json"
    ).json()
    assert changed["severity"] == "suspend" and changed["public_comment"] == "spam"
    troll.refresh_from_db()
    assert troll.suspended_at is not None and troll.silenced_at is None
    assert [b["domain"] for b in client.get("/api/v1/admin/domain_blocks").json()] == [
        "bad.example"
    ]
    assert client.delete(url).status_code == 200
    assert not DomainBlock.objects.exists()
    assert Account.objects.get(pk=troll.pk).suspended_at is None


def test_allows_email_and_ip_blocks(admin: User) -> None:
    client = bearer(admin, ADMIN_SCOPES)
    allow = client.post("/api/v1/admin/domain_allows", {"domain": "friends.example"}).json()
    assert client.get(f"/api/v1/admin/domain_allows/{allow['id']}").json()["domain"] == (
        "friends.example"
    )
    email = client.post("/api/v1/admin/email_domain_blocks", {"domain": "spam.example"}).json()
    assert email["domain"] == "spam.example" and email["history"] == []
    ip = client.post(
        "/api/v1/admin/ip_blocks",
        {
            "ip": "192.0.2.0/24",
            "severity": "sign_up_block",
            "comment": "bots",
            "expires_in": "3600",
        },
    )
    assert ip.status_code == 200 and ip.json()["expires_at"] is not None
    put = client.put(
        f"/api/v1/admin/ip_blocks/{ip.json()['id']}",
        {"severity": "sign_up_requires_approval"},
        content_type="application/json",
    )
    assert (
        put.json()["severity"] == "sign_up_requires_approval" and put.json()["ip"] == "192.0.2.0/24"
    )
    for kind, pk in (
        ("domain_allows", allow["id"]),
        ("email_domain_blocks", email["id"]),
        ("ip_blocks", ip.json()["id"]),
    ):
        assert client.delete(f"/api/v1/admin/{kind}/{pk}").status_code == 200
    assert not (
        DomainAllow.objects.exists()
        or EmailDomainBlock.objects.exists()
        or IpBlock.objects.exists()
    )


def test_bad_block_input(admin: User) -> None:
    client = bearer(admin, ADMIN_SCOPES)
    assert client.post("/api/v1/admin/domain_blocks", {}).status_code == 422
    assert (
        client.post(
            "/api/v1/admin/domain_blocks", {"domain": "x.example", "severity": "nuke"}
        ).status_code
        == 422
    )
    assert (
        client.post(
            "/api/v1/admin/ip_blocks", {"ip": "nope", "severity": "sign_up_block"}
        ).status_code
        == 422
    )
    assert (
        client.post(
            "/api/v1/admin/ip_blocks",
            {"ip": "10.0.0.1", "severity": "sign_up_block", "expires_in": "soon"},
        ).status_code
        == 422
    )
    assert client.post("/api/v1/admin/email_domain_blocks", {"domain": ""}).status_code == 422
    assert client.get("/api/v1/admin/domain_blocks/42").status_code == 404
    assert not (DomainBlock.objects.exists() or IpBlock.objects.exists())


def test_moderators_and_users_cannot_manage_blocks(make_user: MakeUser, alice: User) -> None:
    moderator = make_user("warden", role=Role.MODERATOR)
    for user in (moderator, alice):
        client = bearer(user, ADMIN_SCOPES)
        for kind in ("domain_blocks", "domain_allows", "email_domain_blocks", "ip_blocks"):
            assert client.get(f"/api/v1/admin/{kind}").status_code == 403
        assert (
            client.post("/api/v1/admin/domain_blocks", {"domain": "bad.example"}).status_code == 403
        )
    assert Client().get("/api/v1/admin/domain_blocks").status_code == 401
    admin = make_user("chief", role=Role.ADMIN)
    assert bearer(admin, "read write").get("/api/v1/admin/domain_blocks").status_code == 403
    assert not DomainBlock.objects.exists()
