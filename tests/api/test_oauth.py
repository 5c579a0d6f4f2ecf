import httpx
import pytest
from mastodon import Mastodon

from tests.api.conftest import REDIRECT_URI, authorize, exchange, log_in_browser, pkce_pair


def test_register_app_with_every_redirect_form(base_url) -> None:
    for redirect in (
        "urn:ietf:wg:oauth:2.0:oob",
        "icecubesapp://callback",
        "oauth2redirect://com.keylesspalace.tusky/",
    ):
        response = httpx.post(
            f"{base_url}/api/v1/apps",
            json={"client_name": "App", "redirect_uris": redirect, "scopes": "read write"},
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["redirect_uri"] == redirect and body["redirect_uris"] == [redirect]
        assert body["scopes"] == ["read", "write"] and body["client_secret"]
        assert body["vapid_key"] and body["client_secret_expires_at"] == 0
    both = httpx.post(
        f"{base_url}/api/v1/apps",
        data={"client_name": "App", "redirect_uris": "https://a.example/cb\nmyapp://cb"},
    ).json()
    assert both["redirect_uris"] == ["https://a.example/cb", "myapp://cb"]
    assert both["scopes"] == ["read"]


@pytest.mark.parametrize(
    "uri", ["javascript:alert(1)", "data:text/html,x", "vbscript:x", "", "nope"]
)
def test_dangerous_or_relative_redirects_are_refused(base_url, uri) -> None:
    response = httpx.post(
        f"{base_url}/api/v1/apps", data={"client_name": "App", "redirect_uris": uri}
    )
    assert response.status_code == 422
    assert response.json()["error"].startswith("Validation failed")


def test_unknown_scope_is_refused(base_url) -> None:
    response = httpx.post(
        f"{base_url}/api/v1/apps",
        data={"client_name": "App", "redirect_uris": REDIRECT_URI, "scopes": "read everything"},
    )
    assert response.status_code == 422


def test_authorization_code_flow_with_pkce(alice, register_app, base_url) -> None:
    app = register_app()
    verifier, challenge = pkce_pair()
    code = authorize(log_in_browser(base_url, alice), app, scope="read write", challenge=challenge)
    wrong = exchange(app, code, "not-the-verifier-" + "x" * 40)
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    code = authorize(log_in_browser(base_url, alice), app, scope="read write", challenge=challenge)
    response = exchange(app, code, verifier)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "scope", "created_at"}
    assert body["token_type"] == "Bearer" and body["scope"] == "read write"
    api = Mastodon(access_token=body["access_token"], api_base_url=base_url)
    me = api.account_verify_credentials()
    assert me["username"] == "alice" and me["source"]["privacy"] == "public"
    assert api.app_verify_credentials()["name"] == "Herd test app"


def test_redirect_uri_must_match_exactly(alice, register_app, base_url) -> None:
    app = register_app()
    browser = log_in_browser(base_url, alice)
    page = browser.get(
        "/oauth/authorize",
        params={
            "client_id": app.client_id,
            "response_type": "code",
            "redirect_uri": "http://127.0.0.1:9/elsewhere",
            "scope": "read",
        },
    )
    assert page.status_code == 400 or "error" in page.text.lower()
    assert "code=" not in page.headers.get("location", "")


def test_scope_must_be_subset_of_the_apps(alice, register_app, base_url) -> None:
    app = register_app(["read"])
    page = log_in_browser(base_url, alice).get(
        "/oauth/authorize",
        params={
            "client_id": app.client_id,
            "response_type": "code",
            "redirect_uri": REDIRECT_URI,
            "scope": "read write",
        },
    )
    assert page.status_code == 302 and "error=invalid_scope" in page.headers["location"]


def test_plain_pkce_is_refused(alice, register_app, base_url) -> None:
    app = register_app()
    page = log_in_browser(base_url, alice).get(
        "/oauth/authorize",
        params={
            "client_id": app.client_id,
            "response_type": "code",
            "redirect_uri": REDIRECT_URI,
            "scope": "read",
            "code_challenge": "x" * 43,
            "code_challenge_method": "plain",
        },
    )
    assert page.status_code == 400


def test_anonymous_authorize_asks_to_log_in_first(register_app, base_url) -> None:
    app = register_app()
    page = httpx.get(
        f"{base_url}/oauth/authorize",
        params={"client_id": app.client_id, "response_type": "code", "redirect_uri": REDIRECT_URI},
    )
    assert page.status_code == 302 and page.headers["location"].startswith("/auth/sign_in?next=")


def test_out_of_band_shows_the_code(alice, register_app, base_url) -> None:
    app = register_app(redirect_uris="urn:ietf:wg:oauth:2.0:oob")
    browser = log_in_browser(base_url, alice)
    page = browser.get(
        "/oauth/authorize",
        params={
            "client_id": app.client_id,
            "response_type": "code",
            "redirect_uri": "urn:ietf:wg:oauth:2.0:oob",
            "scope": "read",
        },
    )
    import re

    fields = dict(re.findall(r'name="([^"]+)" value="([^"]*)"', page.text))
    fields["allow"] = "Authorize"
    shown = browser.post("/oauth/authorize", data=fields)
    assert shown.status_code == 200
    code = re.search(r'value="([^"]+)" id="authorization-code"', shown.text)
    assert code, shown.text
    value = code.group(1)
    token = exchange(app, value, redirect_uri="urn:ietf:wg:oauth:2.0:oob")
    assert token.status_code == 200


def test_client_credentials_and_json_token_requests(register_app, base_url) -> None:
    app = register_app()
    response = httpx.post(
        f"{base_url}/oauth/token",
        json={
            "grant_type": "client_credentials",
            "client_id": app.client_id,
            "client_secret": app.client_secret,
            "scope": "read",
        },
    )
    assert response.status_code == 200, response.text
    token = response.json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert (
        httpx.get(f"{base_url}/api/v1/apps/verify_credentials", headers=headers).status_code == 200
    )
    me = httpx.get(f"{base_url}/api/v1/accounts/verify_credentials", headers=headers)
    assert me.status_code == 422
    assert me.json() == {"error": "This method requires an authenticated user"}
    basic = httpx.post(
        f"{base_url}/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(app.client_id, app.client_secret),
    )
    assert basic.status_code == 200


def test_revoked_token_stops_at_once(alice, token_for, register_app, base_url) -> None:
    app = register_app()
    token = token_for(alice, app=app)
    headers = {"Authorization": f"Bearer {token}"}
    assert (
        httpx.get(f"{base_url}/api/v1/accounts/verify_credentials", headers=headers).status_code
        == 200
    )
    revoked = httpx.post(
        f"{base_url}/oauth/revoke",
        data={"token": token, "client_id": app.client_id, "client_secret": app.client_secret},
    )
    assert revoked.status_code == 200 and revoked.json() == {}
    after = httpx.get(f"{base_url}/api/v1/accounts/verify_credentials", headers=headers)
    assert after.status_code == 401 and after.json() == {"error": "The access token is invalid"}


def test_disabled_account_token_stops_working(alice, http_for) -> None:
    client = http_for(alice)
    assert client.get("/api/v1/accounts/verify_credentials").status_code == 200
    alice.disabled = True
    alice.save()
    response = client.get("/api/v1/accounts/verify_credentials")
    assert response.status_code == 403
    assert response.json() == {"error": "Your login is currently disabled"}


def test_missing_scope_is_403(alice, http_for) -> None:
    client = http_for(alice, scope="read")
    response = client.post("/api/v1/statuses", data={"status": "hi"})
    assert response.status_code == 403
    assert response.json() == {"error": "This action is outside the authorized scopes"}


def test_metadata_and_userinfo(alice, http_for, base_url) -> None:
    meta = httpx.get(f"{base_url}/.well-known/oauth-authorization-server").json()
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert meta["token_endpoint"].endswith("/oauth/token")
    info = http_for(alice, scope="profile").get("/oauth/userinfo").json()
    assert info["preferred_username"] == "alice" and info["sub"].endswith("/users/alice")


def test_authorized_apps_page_revokes(alice, token_for, register_app, base_url) -> None:
    app = register_app()
    token = token_for(alice, app=app)
    browser = log_in_browser(base_url, alice)
    page = browser.get("/oauth/authorized_applications")
    assert "Herd test app" in page.text
    import re

    action = re.search(r'action="(/oauth/authorized_applications/\d+/revoke)"', page.text)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert action and csrf, page.text
    browser.post(action.group(1), data={"csrfmiddlewaretoken": csrf.group(1)})
    response = httpx.get(
        f"{base_url}/api/v1/accounts/verify_credentials",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 401


def test_force_login_asks_again(alice, register_app, base_url) -> None:
    app = register_app()
    browser = log_in_browser(base_url, alice)
    page = browser.get(
        "/oauth/authorize",
        params={
            "client_id": app.client_id,
            "response_type": "code",
            "redirect_uri": REDIRECT_URI,
            "force_login": "true",
        },
    )
    assert page.status_code == 302
    assert page.headers["location"].startswith("/auth/sign_in?next=")
    assert "force_login" not in page.headers["location"]
    assert browser.get("/settings/profile").status_code == 302  # logged out
