"""Public keys of the actors that sign requests: remote keys are fetched once and cached in
PostgreSQL (RemoteKey); when a signature fails against a cached key, the key is fetched again,
at most once a minute, since the actor may have rotated it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from accounts.models import Account
from federation import http
from federation.instance_actor import instance_signing_key
from federation.lookup import account_by_uri, is_local_uri
from federation.models import RemoteKey, uri_digest
from federation.parse import ParseError, parse_actor
from federation.parse.actor import looks_like_actor
from federation.parse.values import host_of, id_of, is_http_uri
from federation.resolve import ResolveError, account_from_actor

REFETCH_INTERVAL = timedelta(minutes=1)


class KeyUnavailable(Exception):
    """The key cannot be found or fetched, or does not belong to who it claims."""


@dataclass(frozen=True)
class KnownKey:
    key_id: str
    account: Account
    pem: str
    fetched_at: datetime | None = None


def _local_key(key_id: str) -> KnownKey | None:
    account = account_by_uri(key_id.split("#", 1)[0])
    if account is None or not account.local or not account.public_key:
        return None
    return KnownKey(key_id, account, account.public_key)


def _cached(key_id: str) -> KnownKey | None:
    row = RemoteKey.objects.filter(key_digest=uri_digest(key_id)).select_related("account").first()
    if row is None:
        return None
    return KnownKey(row.key_id, row.account, row.public_key_pem, row.fetched_at)


def _actor_document(key_id: str) -> dict[str, Any]:
    """The document of the actor owning the key: the key id's document itself (Mastodon's
    `#main-key` ids), or the actor its `owner` names (a separate key document)."""
    signer = instance_signing_key()
    document = http.fetch_document(key_id.split("#", 1)[0], signer=signer)
    if looks_like_actor(document):
        return document
    owner = id_of(document.get("owner"))
    if not is_http_uri(owner) or host_of(owner or "") != host_of(key_id):
        raise KeyUnavailable(f"{key_id} names no owner on its own host.")
    return http.fetch_document(str(owner), signer=signer)


def fetch_key(key_id: str) -> KnownKey:
    try:
        actor = parse_actor(_actor_document(key_id))
    except (http.FetchError, ParseError) as error:
        raise KeyUnavailable(f"{key_id} cannot be fetched: {error}") from error
    key = actor.key(key_id)
    if key is None or key.owner != actor.id or host_of(actor.id) != host_of(key_id):
        raise KeyUnavailable(f"{actor.id} does not hold the key {key_id}.")
    try:
        account_from_actor(actor)
    except ResolveError as error:
        raise KeyUnavailable(str(error)) from error
    # account_from_actor cached the actor's keys; read this one back with its date.
    cached = _cached(key_id)
    if cached is None:
        raise KeyUnavailable(f"{key_id} could not be stored.")
    return cached


def public_key_for(key_id: str) -> KnownKey:
    if not is_http_uri(key_id):
        raise KeyUnavailable(f"{key_id!r} is not an http(s) key id.")
    if is_local_uri(key_id):
        local = _local_key(key_id)
        if local is None:
            raise KeyUnavailable(f"There is no local key {key_id}.")
        return local
    return _cached(key_id) or fetch_key(key_id)


def refetched_key(known: KnownKey) -> KnownKey | None:
    """A fresh copy of a remote key that just failed to verify, unless it is itself fresh."""
    if known.account.local or known.fetched_at is None:
        return None
    if known.fetched_at > timezone.now() - REFETCH_INTERVAL:
        return None
    try:
        return fetch_key(known.key_id)
    except KeyUnavailable:
        return None
