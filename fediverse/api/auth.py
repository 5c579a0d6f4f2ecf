"""Bearer tokens, as Doorkeeper reads them for Mastodon: from the Authorization header or the
access_token parameter. A token that does not exist is refused outright (401)."""

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models import Model
from django.utils import timezone
from oauth2_provider.models import get_access_token_model
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from accounts.models import Account, OAuthApplication, User
from fediverse import prepared


class InvalidToken(AuthenticationFailed):
    default_detail = "The access token is invalid"


def token_from_request(request: Request) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip() or None
    return request.query_params.get("access_token") or None


def find_token(raw: str) -> Any:
    checksum = hashlib.sha256(raw.encode()).hexdigest()
    token = _token_by_checksum(checksum)
    if token is None or (token.expires is not None and token.expires < timezone.now()):
        return None
    return token


@dataclass(frozen=True)
class _Part:
    model: type[Model]
    names: list[str]
    converters: list[list[Any]]


@lru_cache(maxsize=1)
def _token_sql() -> tuple[prepared.Statement, tuple[_Part, ...]]:
    """Every API request looks its token up with its user, account and application: the
    query is written once per process, as the ORM would compile it again at each request
    (about a third of a home timeline request's time went there)."""
    token_model = get_access_token_model()
    models = (
        (token_model, "t", None),
        (User, "u", '"u"."id" = "t"."user_id"'),
        (Account, "a", '"a"."id" = "u"."account_id"'),
        (OAuthApplication, "ap", '"ap"."id" = "t"."application_id"'),
    )
    columns, joins, parts = [], [], []
    for model, alias, on in models:
        fields = model._meta.concrete_fields
        columns += [f'"{alias}"."{f.column}"' for f in fields]
        table = f'"{model._meta.db_table}" "{alias}"'
        joins.append(table if on is None else f"LEFT JOIN {table} ON {on}")
        converters = [f.get_db_converters(connection) for f in fields]  # type: ignore[union-attr]
        parts.append(_Part(model, [f.attname for f in fields], converters))
    where = '"t"."token_checksum" = %(checksum)s'
    sql = f"SELECT {', '.join(columns)} FROM {' '.join(joins)} WHERE {where}"
    return prepared.Statement("herd_token", sql, (("checksum", "text"),)), tuple(parts)


def _token_by_checksum(checksum: str) -> Any:
    statement, parts = _token_sql()
    rows = prepared.fetch_all(statement, {"checksum": checksum})
    if not rows:
        return None
    row = rows[0]
    loaded: list[Model | None] = []
    offset = 0
    for part in parts:
        values = list(row[offset : offset + len(part.names)])
        offset += len(part.names)
        if values[0] is None:  # no such row: a token without a user
            loaded.append(None)
            continue
        for index, converters in enumerate(part.converters):
            for converter in converters:
                values[index] = converter(values[index], None, connection)
        loaded.append(part.model.from_db(connection.alias, part.names, values))
    token, user, account, application = loaded
    if user is not None:
        user.account = account  # type: ignore[attr-defined]
    token.user = user  # type: ignore[union-attr]
    token.application = application  # type: ignore[union-attr]
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
