"""Sign-up protection: blocked email providers and networks, from the web page and from
POST /api/v1/accounts, and the approval queue for the softer listings. The test client
always comes from 127.0.0.1."""

import secrets
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from accounts.models import OAuthApplication, Role, User
from moderation.models import AuditLog, EmailDomainBlock, IpBlock
from moderation.services.sign_up_protection import do_block_email_domain, do_save_ip_block
from tests.conftest import PASSWORD

MakeUser = Callable[..., User]


def web_sign_up(email: str = "carol@example.com") -> int:
    response = Client().post(
        "/auth/sign_up",
        {
            "username": "carol",
            "email": email,
            "password": PASSWORD,
            "password_confirmation": PASSWORD,
            "agreement": "on",
        },
    )
    return response.status_code


def api_sign_up(email: str = "newbie@example.com") -> tuple[int, dict]:
    app = OAuthApplication.objects.create(
        name="signup",
        client_type=OAuthApplication.CLIENT_CONFIDENTIAL,
        authorization_grant_type=OAuthApplication.GRANT_CLIENT_CREDENTIALS,
        redirect_uris="urn:ietf:wg:oauth:2.0:oob",
        scopes="read write",
    )
    token = get_access_token_model().objects.create(
        user=None,
        application=app,
        token=secrets.token_urlsafe(32),
        scope="read write",
        expires=timezone.now() + timedelta(days=1),
    )
    response = Client(HTTP_AUTHORIZATION=f"Bearer {token.token}").post(
        "/api/v1/accounts",
        {
            "username": "newbie",
            "email": email,
            "password": PASSWORD,
            "agreement": "true",
            "locale": "en",
        },
    )
    return response.status_code, response.json()


def ip_block(ip: str, severity: str, **fields: object) -> IpBlock:
    return do_save_ip_block(actor=None, block=IpBlock(**fields), ip=ip, severity=severity)


def test_blocked_email_provider_is_refused_everywhere() -> None:
    do_block_email_domain(actor=None, domain="spam.example")
    assert web_sign_up("carol@mail.spam.example") == 200
    assert not User.objects.filter(email="carol@mail.spam.example").exists()
    status, body = api_sign_up("newbie@spam.example")
    assert status == 422 and "email" in body.get("details", {})
    assert not User.objects.exists()
    assert web_sign_up("carol@fine.example") == 200
    assert User.objects.filter(email="carol@fine.example").exists()


def test_listed_provider_with_approval_goes_to_the_queue() -> None:
    do_block_email_domain(actor=None, domain="iffy.example", allow_with_approval=True)
    web_sign_up("carol@iffy.example")
    assert User.objects.get(email="carol@iffy.example").approved is False


def test_blocked_network_is_refused_on_the_web_and_the_api() -> None:
    ip_block("127.0.0.0/8", "sign_up_block", comment="abuse")
    assert web_sign_up() == 403
    status, _ = api_sign_up()
    assert status == 403
    assert not User.objects.exists()
    assert AuditLog.objects.get().reason == "abuse"


def test_expired_ip_block_no_longer_applies() -> None:
    ip_block("127.0.0.1", "sign_up_block", expires_at=timezone.now() - timedelta(minutes=1))
    assert web_sign_up() == 200 and User.objects.exists()


def test_network_needing_approval_queues_sign_ups() -> None:
    ip_block("127.0.0.1/32", "sign_up_requires_approval")
    status, _ = api_sign_up()
    assert status == 200
    assert User.objects.get(email="newbie@example.com").approved is False
    # An unrelated network does not touch the decision.
    ip_block("10.0.0.0/8", "sign_up_block")
    web_sign_up()
    assert User.objects.get(email="carol@example.com").approved is False


def test_bad_block_input_is_refused() -> None:
    for ip, severity in (("not an ip", "sign_up_block"), ("10.0.0.0/8", "no_such")):
        with pytest.raises(ValidationError):
            ip_block(ip, severity)
    ip_block("10.0.0.0/8", "sign_up_block")
    with pytest.raises(ValidationError):
        ip_block("10.1.2.3/8", "sign_up_requires_approval")  # the same network
    with pytest.raises(ValidationError):
        do_block_email_domain(actor=None, domain="not a domain")
    assert IpBlock.objects.count() == 1 and not EmailDomainBlock.objects.exists()


def test_only_admins_manage_sign_up_blocks(
    make_user: MakeUser, client_for: Callable[[User], Client]
) -> None:
    moderator, admin = make_user("warden", role=Role.MODERATOR), make_user("chief", role=Role.ADMIN)
    form = {"ip": "192.0.2.0/24", "severity": "sign_up_block", "comment": ""}
    assert client_for(moderator).post("/admin/moderation/ipblock/add/", form).status_code == 403
    assert client_for(admin).post("/admin/moderation/ipblock/add/", form).status_code == 302
    email = {"domain": "Spam.Example"}
    assert (
        client_for(moderator).post("/admin/moderation/emaildomainblock/add/", email).status_code
        == 403
    )
    client_for(admin).post("/admin/moderation/emaildomainblock/add/", email)
    assert EmailDomainBlock.objects.get().domain == "spam.example"
    bad = client_for(admin).post("/admin/moderation/ipblock/add/", {**form, "ip": "nope"})
    assert bad.status_code == 200 and IpBlock.objects.count() == 1
