import pytest
from django.core import mail
from django.test import Client

from accounts.models import Account, User
from moderation.models import InstanceSettings, RegistrationMode
from tests.conftest import PASSWORD, link_in_last_email


def sign_up(client: Client, **overrides: str):
    data = {
        "username": "carol",
        "email": "carol@example.com",
        "password": PASSWORD,
        "password_confirmation": PASSWORD,
        "agreement": "on",
    }
    data.update(overrides)
    return client.post("/auth/sign_up", {k: v for k, v in data.items() if v is not None})


def set_mode(mode: str, **extra: object) -> None:
    settings = InstanceSettings.current()
    settings.registrations_mode = mode
    for key, value in extra.items():
        setattr(settings, key, value)
    settings.save()


def test_sign_up_confirm_and_log_in() -> None:
    client = Client()
    response = sign_up(client)
    assert response.status_code == 200
    assert b"Check your inbox" in response.content
    user = User.objects.get(email="carol@example.com")
    assert user.account.username == "carol" and not user.confirmed
    assert "BEGIN PUBLIC KEY" in user.account.public_key
    assert "BEGIN PRIVATE KEY" in user.account.private_key
    assert user.account.uri == "http://testserver/users/carol"

    # Unconfirmed users cannot log in yet.
    response = client.post("/auth/sign_in", {"email": "carol@example.com", "password": PASSWORD})
    assert b"Confirm your email address first" in response.content

    link = link_in_last_email()
    response = client.get(link.replace("http://testserver", ""))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.confirmed

    response = client.post("/auth/sign_in", {"email": "CAROL@example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["viewer"] == user.account


def test_confirmation_link_tampered_is_refused() -> None:
    sign_up(Client())
    link = link_in_last_email().replace("http://testserver", "")
    response = Client().get(link[:-3] + "abc")
    assert response.status_code == 400
    assert not User.objects.get().confirmed


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"username": "ALICE"}, "username", "taken"),
        ({"username": "admin"}, "username", "reserved"),
        ({"username": "bad name!"}, "username", "Only letters"),
        ({"username": "x" * 31}, "username", "at most 30"),
        ({"username": ""}, "username", "required"),
        ({"email": "Alice@Example.com"}, "email", "already in use"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"password": "password", "password_confirmation": "password"}, "password", "common"),
        ({"password": "short1", "password_confirmation": "short1"}, "password", "too short"),
        ({"password_confirmation": "something else"}, "password_confirmation", "do not match"),
        ({"agreement": None}, "agreement", "agree to the server rules"),
    ],
)
def test_bad_sign_ups_store_nothing(alice, overrides, field, message) -> None:
    response = sign_up(Client(), **overrides)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message.lower() in " ".join(errors[field]).lower()
    assert User.objects.count() == 1 and Account.objects.count() == 1
    assert not mail.outbox


def test_closed_registrations_accept_nothing() -> None:
    set_mode(RegistrationMode.NONE)
    page = Client().get("/auth/sign_up")
    assert b"Registrations are closed" in page.content
    assert b'name="username"' not in page.content
    response = sign_up(Client())
    assert response.status_code == 403
    assert not User.objects.exists()


def test_approval_mode_queues_the_applicant_and_shows_the_reason_field() -> None:
    set_mode(RegistrationMode.APPROVED, require_sign_up_reason=True)
    client = Client()
    assert b'name="reason"' in client.get("/auth/sign_up").content
    response = sign_up(client)
    assert "reason" in response.context["form"].errors
    sign_up(client, reason="I run a local bakery")
    user = User.objects.get()
    assert not user.approved and user.sign_up_reason == "I run a local bakery"
    client.get(link_in_last_email().replace("http://testserver", ""))
    response = client.post("/auth/sign_in", {"email": "carol@example.com", "password": PASSWORD})
    assert b"waiting for a moderator" in response.content


def test_invite_link_works_while_closed_and_counts_uses(alice) -> None:
    from moderation.services.invites import do_create_invite

    set_mode(RegistrationMode.NONE)
    invite = do_create_invite(user=alice, max_uses=1, expires_in=None, autofollow=True)
    client = Client()
    page = client.get(f"/invite/{invite.code}")
    assert b'name="username"' in page.content
    data = {"username": "carol", "email": "carol@example.com", "password": PASSWORD,
            "password_confirmation": PASSWORD, "agreement": "on"}  # fmt: skip
    response = client.post(f"/invite/{invite.code}", data)
    assert response.status_code == 200
    user = User.objects.get(email="carol@example.com")
    assert user.approved and user.invite == invite
    assert user.account.following_set.filter(target_account=alice.account).exists()
    invite.refresh_from_db()
    assert invite.uses == 1
    # Used up: the same link now refuses.
    response = Client().post(f"/invite/{invite.code}", {**data, "username": "dave",
                                                         "email": "dave@example.com"})  # fmt: skip
    assert response.status_code == 403
    assert not User.objects.filter(email="dave@example.com").exists()


def test_sign_up_needs_csrf_token() -> None:
    client = Client(enforce_csrf_checks=True)
    response = sign_up(client)
    assert response.status_code == 403
    assert not User.objects.exists()


def test_sign_up_is_rate_limited_per_ip(settings) -> None:
    from django.core.cache import cache

    cache.clear()
    statuses = [
        sign_up(Client(), username=f"user{i}", email=f"u{i}@example.com").status_code
        for i in range(27)
    ]
    assert statuses[:25] == [200] * 25
    assert statuses[25:] == [429, 429]
    assert User.objects.count() == 25
