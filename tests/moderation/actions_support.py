"""Helpers for the moderation action tests: posts, bearer tokens and API calls through the
Django test client (the token refusal is ours, so no OAuth round trip is needed here)."""

import secrets
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from accounts.models import Account, OAuthApplication, User
from timelines.models import Status
from timelines.services.statuses import StatusInput, do_create_status


def post(account: Account, text: str = "hello", visibility: str = "public") -> Status:
    return do_create_status(account=account, data=StatusInput(text=text, visibility=visibility))


def bearer(user: User, scope: str = "read write follow push") -> Client:
    app = OAuthApplication.objects.create(
        name="test app",
        client_type=OAuthApplication.CLIENT_CONFIDENTIAL,
        authorization_grant_type=OAuthApplication.GRANT_AUTHORIZATION_CODE,
        redirect_uris="urn:ietf:wg:oauth:2.0:oob",
        scopes=scope,
    )
    token = get_access_token_model().objects.create(
        user=user,
        application=app,
        token=secrets.token_urlsafe(32),
        scope=scope,
        expires=timezone.now() + timedelta(days=1),
    )
    return Client(HTTP_AUTHORIZATION=f"Bearer {token.token}")


def signs_in(user: User, password: str) -> bool:
    """Through the real sign-in page, which refuses suspended and disabled users."""
    response = Client().post("/auth/sign_in", {"email": user.email, "password": password})
    return response.status_code == 302


def public_ids(client: Client | None = None) -> list[str]:
    response = (client or Client()).get("/api/v1/timelines/public")
    assert response.status_code == 200
    return [s["id"] for s in response.json()]


def json_of(response: Any) -> Any:
    assert response.status_code == 200, (response.status_code, response.content[:300])
    return response.json()
