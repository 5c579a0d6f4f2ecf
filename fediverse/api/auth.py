"""Bearer tokens, as Doorkeeper reads them for Mastodon: from the Authorization header or the
access_token parameter. A token that does not exist is refused outright (401)."""

import hashlib
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone
from oauth2_provider.models import get_access_token_model
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request


class InvalidToken(AuthenticationFailed):
    default_detail = "The access token is invalid"


def token_from_request(request: Request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip() or None
    return request.query_params.get("access_token") or None


def find_token(raw: str) -> Any:
    checksum = hashlib.sha256(raw.encode()).hexdigest()
    token = (
        get_access_token_model()
        .objects.select_related("user__account", "application")
        .filter(token_checksum=checksum)
        .first()
    )
    if token is None or (token.expires is not None and token.expires < timezone.now()):
        return None
    return token


class BearerTokenAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        raw = token_from_request(request)
        if raw is None:
            return None
        token = find_token(raw)
        if token is None:
            raise InvalidToken()
        return (token.user or AnonymousUser(), token)

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="Doorkeeper", error="invalid_token"'
