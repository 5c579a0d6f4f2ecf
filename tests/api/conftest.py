"""The API is tested through HTTP against a live server, with Mastodon.py as the client and
the authorization-code flow with PKCE as a real app runs it."""

import base64
import hashlib
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from mastodon import Mastodon

from accounts.models import User
from tests.conftest import PASSWORD

REDIRECT_URI = "http://127.0.0.1:9/callback"
ALL_SCOPES = ["read", "write", "follow", "push"]


@dataclass
class App:
    client_id: str
    client_secret: str
    base: str


def log_in_browser(base: str, user: User) -> httpx.Client:
    """A cookie-carrying client logged in through the sign-in form, as a person would."""
    client = httpx.Client(base_url=base, follow_redirects=False, timeout=30)
    page = client.get("/auth/sign_in")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text
    response = client.post(
        "/auth/sign_in",
        data={"csrfmiddlewaretoken": token.group(1), "email": user.email, "password": PASSWORD},
    )
    assert response.status_code == 302, response.text
    return client


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    return verifier, challenge.rstrip(b"=").decode()


def authorize(
    browser: httpx.Client,
    app: App,
    *,
    scope: str = "read write follow push",
    challenge: str | None = None,
    redirect_uri: str = REDIRECT_URI,
) -> str:
    """Walk the consent page and return the authorization code."""
    params = {
        "client_id": app.client_id,
        "response_type": "code",
        "redirect_uri": redirect_uri,
        "scope": scope,
        "state": "xyz",
    }
    if challenge:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    page = browser.get("/oauth/authorize", params=params)
    assert page.status_code == 200, page.text
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page.text))
    fields.update(
        {
            name: value
            for name, value in re.findall(r'name="([^"]+)"[^>]*value="([^"]*)"', page.text)
            if name == "csrfmiddlewaretoken"
        }
    )
    fields["allow"] = "Authorize"
    response = browser.post("/oauth/authorize", data=fields)
    assert response.status_code == 302, response.text
    query = parse_qs(urlparse(response.headers["location"]).query)
    assert query["state"] == ["xyz"]
    return query["code"][0]


@pytest.fixture
def base_url(live_server: Any) -> str:
    return live_server.url


@pytest.fixture
def register_app(base_url: str) -> Callable[..., App]:
    def register(scopes: list[str] | None = None, redirect_uris: str = REDIRECT_URI) -> App:
        client_id, client_secret = Mastodon.create_app(
            "Herd test app",
            scopes=scopes or ALL_SCOPES,
            redirect_uris=redirect_uris,
            website="https://app.example",
            api_base_url=base_url,
        )
        return App(client_id, client_secret, base_url)

    return register


def exchange(
    app: App, code: str, verifier: str | None = None, redirect_uri: str = REDIRECT_URI
) -> httpx.Response:
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "client_id": app.client_id,
        "client_secret": app.client_secret,
        "redirect_uri": redirect_uri,
    }
    if verifier:
        data["code_verifier"] = verifier
    return httpx.post(f"{app.base}/oauth/token", data=data, timeout=30)


@pytest.fixture
def token_for(register_app: Callable[..., App]) -> Callable[..., str]:
    """An access token for a user, obtained through the full authorization-code flow."""

    def make(user: User, scope: str = "read write follow push", app: App | None = None) -> str:
        app = app or register_app(scope.split())
        verifier, challenge = pkce_pair()
        browser = log_in_browser(app.base, user)
        code = authorize(browser, app, scope=scope, challenge=challenge)
        response = exchange(app, code, verifier)
        assert response.status_code == 200, response.text
        return response.json()["access_token"]

    return make


@pytest.fixture
def api_for(base_url: str, token_for: Callable[..., str]) -> Callable[..., Mastodon]:
    """A Mastodon.py client logged in as the user."""

    def make(user: User, scope: str = "read write follow push") -> Mastodon:
        return Mastodon(
            access_token=token_for(user, scope),
            api_base_url=base_url,
            version_check_mode="none",
            ratelimit_method="throw",
        )

    return make


@pytest.fixture
def http_for(base_url: str, token_for: Callable[..., str]) -> Callable[..., httpx.Client]:
    """A raw HTTP client with a user's bearer token, for checking exact wire behaviour."""

    def make(user: User, scope: str = "read write follow push") -> httpx.Client:
        headers = {"Authorization": f"Bearer {token_for(user, scope)}"}
        return httpx.Client(base_url=base_url, headers=headers, timeout=30)

    return make
