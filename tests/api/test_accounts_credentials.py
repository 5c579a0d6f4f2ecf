"""Updating one's profile and signing up through an app."""

import io

import httpx
from django.core import mail
from mastodon import Mastodon
from PIL import Image

from accounts.models import Account, FollowRequest, User
from moderation.models import InstanceSettings, Invite, RegistrationMode
from tests.api.accounts_support import SCOPE_ERROR, on_live_server
from tests.conftest import PASSWORD


def png(color: str = "red", size: tuple[int, int] = (40, 40)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def test_update_credentials_through_mastodon_py(alice, api_for) -> None:
    api = api_for(alice)
    me = api.account_update_credentials(
        display_name="Alice A.",
        note="Hello #world",
        fields=[("Site", "https://alice.example"), ("Pronouns", "she/her")],
        locked=True,
        bot=True,
        discoverable=False,
        hide_collections=True,
        indexable=True,
        default_privacy="unlisted",
        default_sensitive=True,
        default_language="fr",
    )
    assert me["display_name"] == "Alice A." and me["locked"] and me["bot"]
    assert 'href="' in me["note"] and me["source"]["note"] == "Hello #world"
    assert [f["name"] for f in me["fields"]] == ["Site", "Pronouns"]
    assert not me["discoverable"] and me["hide_collections"] and me["indexable"]
    assert me["source"]["privacy"] == "unlisted" and me["source"]["sensitive"]
    assert me["source"]["language"] == "fr" and me["role"]["id"] == "-99"
    again = api.account_verify_credentials()
    assert (
        again["display_name"] == "Alice A." and again["source"]["fields"][1]["value"] == "she/her"
    )
    # Only what is sent changes.
    partial = api.account_update_credentials(display_name="Just Alice")
    assert partial["locked"] and partial["source"]["note"] == "Hello #world"
    assert len(partial["fields"]) == 2 and partial["source"]["privacy"] == "unlisted"


def test_update_credentials_as_a_form_with_images(alice, http_for) -> None:
    client = http_for(alice)
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        data={
            "fields_attributes[0][name]": "Home",
            "fields_attributes[0][value]": "here",
            "fields_attributes[1][name]": "",
            "fields_attributes[1][value]": "",
            "source[privacy]": "private",
            "bot": "0",
        },
        files={"avatar": ("me.png", png("red"), "image/png"),
               "header": ("h.png", png("blue", (120, 40)), "image/png")},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["fields"] == [{"name": "Home", "value": "here", "verified_at": None}]
    assert body["source"]["privacy"] == "private" and not body["bot"]
    assert body["avatar"].endswith(".png") and "/avatars/" in body["avatar"]
    assert body["header"] != body["avatar"] and body["avatar_static"] == body["avatar"]
    assert httpx.get(on_live_server(body["avatar"], str(client.base_url))).status_code == 200


def test_bad_input_changes_nothing(alice, http_for) -> None:
    client = http_for(alice)
    cases = [
        {"display_name": "x" * 31},
        {"note": "n" * 501},
        {"fields_attributes": [{"name": f"f{n}", "value": "v"} for n in range(5)]},
        {"source": {"privacy": "direct"}},
        {"source": {"language": "not a language"}},
        {"display_name": "Fine", "source": {"privacy": "everyone"}},
    ]
    for case in cases:
        response = client.patch("/api/v1/accounts/update_credentials", json=case)
        assert response.status_code == 422, case
        assert response.json()["error"].startswith("Validation failed: "), case
    bad_image = client.patch(
        "/api/v1/accounts/update_credentials",
        files={"avatar": ("me.png", b"not an image", "image/png")},
    )
    assert bad_image.status_code == 422
    account = Account.objects.get(pk=alice.account.pk)
    user = User.objects.get(pk=alice.pk)
    assert account.display_name == "" and account.fields == [] and not account.avatar
    assert user.default_privacy == "public" and user.default_language == ""


def test_unlocking_accepts_pending_requests(make_user, bob, http_for) -> None:
    carol = make_user("carol", locked=True)
    FollowRequest.objects.create(account=bob.account, target_account=carol.account)
    client = http_for(carol)
    me = client.patch("/api/v1/accounts/update_credentials", json={"locked": False}).json()
    assert not me["locked"] and me["followers_count"] == 1
    assert me["source"]["follow_requests_count"] == 0


def test_update_credentials_needs_write_accounts(alice, http_for) -> None:
    response = http_for(alice, scope="read write:statuses").patch(
        "/api/v1/accounts/update_credentials", json={"display_name": "Nope"}
    )
    assert response.status_code == 403 and response.json() == SCOPE_ERROR
    assert Account.objects.get(pk=alice.account.pk).display_name == ""


def app_token(base_url: str, scopes: str = "read write follow push") -> str:
    app = httpx.post(
        f"{base_url}/api/v1/apps",
        data={"client_name": "Signup", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob",
              "scopes": scopes},
    ).json()  # fmt: skip
    token = httpx.post(
        f"{base_url}/oauth/token",
        data={"grant_type": "client_credentials", "client_id": app["client_id"],
              "client_secret": app["client_secret"], "scope": scopes},
    )  # fmt: skip
    return token.json()["access_token"]


def sign_up(base_url: str, token: str, **fields: str) -> httpx.Response:
    data = {"username": "newbie", "email": "newbie@example.com", "password": PASSWORD,
            "agreement": "true", "locale": "en"}  # fmt: skip
    data.update(fields)
    return httpx.post(
        f"{base_url}/api/v1/accounts", data=data, headers={"Authorization": f"Bearer {token}"}
    )


def test_sign_up_with_mastodon_py(base_url) -> None:
    client_id, client_secret = Mastodon.create_app(
        "Signup", scopes=["read", "write"], api_base_url=base_url
    )
    api = Mastodon(client_id=client_id, client_secret=client_secret, api_base_url=base_url)
    token = api.create_account(
        "newbie", PASSWORD, "newbie@example.com", agreement=True, scopes=["read", "write"]
    )
    assert token
    user = User.objects.get(account__username="newbie")
    assert user.approved and not user.confirmed and user.locale == "en"
    assert mail.outbox and mail.outbox[-1].to == ["newbie@example.com"]
    # The token belongs to the new user, who must confirm the address before using it.
    refused = httpx.get(
        f"{base_url}/api/v1/accounts/verify_credentials",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert refused.status_code == 403
    assert refused.json() == {"error": "Your login is missing a confirmed e-mail address"}


def test_sign_up_answers_a_token_entity(base_url) -> None:
    response = sign_up(base_url, app_token(base_url, "read write"), reason="hi")
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"access_token", "token_type", "scope", "created_at"}
    assert body["token_type"] == "Bearer" and body["scope"] == "read write"
    assert isinstance(body["created_at"], int)


def test_sign_up_validation_errors_have_details(alice, base_url) -> None:
    response = sign_up(
        base_url,
        app_token(base_url),
        username="alice",
        email="not-an-email",
        password="short",
        agreement="false",
        locale="xx",
    )
    assert response.status_code == 422
    body = response.json()
    assert body["error"].startswith("Validation failed: Username has already been taken")
    assert body["details"]["username"] == [
        {"error": "ERR_TAKEN", "description": "has already been taken"}
    ]
    assert body["details"]["email"][0]["error"] == "ERR_INVALID"
    assert body["details"]["password"][0]["error"] == "ERR_TOO_SHORT"
    assert body["details"]["agreement"] == [
        {"error": "ERR_ACCEPTED", "description": "must be accepted"}
    ]
    assert body["details"]["locale"][0]["error"] == "ERR_INCLUSION"
    reserved = sign_up(base_url, app_token(base_url), username="admin").json()
    assert reserved["details"]["username"][0]["error"] == "ERR_RESERVED"
    assert User.objects.count() == 1


def test_sign_up_follows_the_registration_mode(base_url) -> None:
    settings = InstanceSettings.current()
    settings.registrations_mode = RegistrationMode.APPROVED
    settings.require_sign_up_reason = True
    settings.save()
    token = app_token(base_url)
    no_reason = sign_up(base_url, token)
    assert no_reason.status_code == 422
    assert no_reason.json()["details"]["reason"][0]["error"] == "ERR_BLANK"
    assert sign_up(base_url, token, reason="I like herds").status_code == 200
    pending = User.objects.get(account__username="newbie")
    assert not pending.approved and pending.sign_up_reason == "I like herds"
    settings.registrations_mode = RegistrationMode.NONE
    settings.save()
    closed = sign_up(base_url, token, username="late", email="late@example.com")
    assert closed.status_code == 403 and closed.json() == {"error": "This action is not allowed"}
    invite = Invite.objects.create()
    invited = sign_up(
        base_url, token, username="guest", email="guest@example.com", invite_code=invite.code
    )
    assert invited.status_code == 200 and User.objects.get(account__username="guest").approved
    assert not User.objects.filter(account__username="late").exists()


def test_sign_up_needs_write_accounts(base_url) -> None:
    response = sign_up(base_url, app_token(base_url, "read"))
    assert response.status_code == 403 and response.json() == SCOPE_ERROR
    anonymous = httpx.post(f"{base_url}/api/v1/accounts", data={"username": "x"})
    assert anonymous.status_code == 401
    assert not User.objects.exists()
