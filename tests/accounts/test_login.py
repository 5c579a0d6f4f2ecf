from django.test import Client

from accounts.models import User
from tests.conftest import PASSWORD, link_in_last_email


def test_log_in_with_email_or_username_and_log_out(alice) -> None:
    client = Client()
    assert client.post("/auth/sign_in", {"email": "alice", "password": PASSWORD}).status_code == 302
    assert client.get("/").context["viewer"] == alice.account
    assert client.post("/auth/sign_out").status_code == 302
    assert client.get("/").context["viewer"] is None


def test_wrong_password_and_disabled_user_are_refused(alice) -> None:
    response = Client().post("/auth/sign_in", {"email": "alice@example.com", "password": "nope"})
    assert b"Invalid email address or password" in response.content
    alice.disabled = True
    alice.save()
    response = Client().post("/auth/sign_in", {"email": "alice@example.com", "password": PASSWORD})
    assert b"disabled" in response.content


def test_log_in_is_rate_limited(alice) -> None:
    codes = [
        Client().post("/auth/sign_in", {"email": "alice", "password": "wrong"}).status_code
        for _ in range(26)
    ]
    assert codes[-1] == 429


def test_password_reset_by_email(alice) -> None:
    client = Client()
    response = client.post("/auth/password/new", {"email": "ALICE@example.com"})
    assert response.status_code == 302
    path = link_in_last_email().replace("http://testserver", "")
    bad = client.post(path, {"password": "abc", "password_confirmation": "abc"})
    assert bad.status_code == 200 and bad.context["form"].errors
    new = "a brand new passphrase"
    response = client.post(path, {"password": new, "password_confirmation": new})
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password(new)
    # The link works once.
    assert client.get(path).status_code == 400


def test_password_reset_for_unknown_address_sends_nothing() -> None:
    from django.core import mail

    response = Client().post("/auth/password/new", {"email": "nobody@example.com"})
    assert response.status_code == 302 and not mail.outbox


def test_change_password_and_email(alice, bob, client_for) -> None:
    client = client_for(alice)
    response = client.post(
        "/settings/account",
        {"password-current_password": "wrong", "password-password": "another good passphrase",
         "password-password_confirmation": "another good passphrase"},
    )  # fmt: skip
    assert "current_password" in response.context["password_form"].errors
    response = client.post(
        "/settings/account",
        {"password-current_password": PASSWORD, "password-password": "another good passphrase",
         "password-password_confirmation": "another good passphrase"},
    )  # fmt: skip
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("another good passphrase")
    # Still logged in after the change.
    assert client.get("/settings/account").status_code == 200

    taken = client.post(
        "/settings/account",
        {"email-email": "bob@example.com", "email-current_password": "another good passphrase"},
    )
    assert "email" in taken.context["email_form"].errors
    client.post(
        "/settings/account",
        {"email-email": "new@example.com", "email-current_password": "another good passphrase"},
    )
    alice.refresh_from_db()
    assert alice.email == "alice@example.com" and alice.unconfirmed_email == "new@example.com"
    client.get(link_in_last_email().replace("http://testserver", ""))
    alice.refresh_from_db()
    assert alice.email == "new@example.com"
    assert User.objects.filter(email="new@example.com").count() == 1
