"""Search with `resolve`: a handle or a URL of another server is looked up there (WebFinger,
then the document), so that the account or post is known here for the local search to find,
as Mastodon's ResolveURLService and ResolveAccountService do."""

from __future__ import annotations

import logging

from accounts.models import Account
from federation import http
from federation.instance_actor import instance_signing_key
from federation.lookup import is_local_uri, local_host
from federation.parse.actor import looks_like_actor
from federation.parse.note import NOTE_TYPES
from federation.parse.values import is_http_uri, type_of
from federation.resolve import ResolveError, resolve_account_url, resolve_handle, split_handle
from federation.services.remote_statuses import fetch_remote_status
from timelines.models import Status

logger = logging.getLogger(__name__)


def _resolve_url(url: str) -> Account | Status | None:
    if is_local_uri(url):
        return None
    try:
        document = http.fetch_document(url, signer=instance_signing_key())
        uri = str(document["id"])
        if looks_like_actor(document):
            return resolve_account_url(uri)
        if type_of(document, NOTE_TYPES) is not None:
            return fetch_remote_status(uri)
    except (http.FetchError, ResolveError) as error:
        logger.info("Could not resolve %s: %s", url, error)
    return None


def resolve_query(query: str) -> Account | Status | None:
    """The remote account or post the query names, fetched if need be; None otherwise."""
    query = query.strip()
    if is_http_uri(query):
        return _resolve_url(query)
    if " " in query or query.count("@") not in (1, 2):
        return None
    try:
        _, domain = split_handle(query)
    except ResolveError:
        return None
    if not domain or domain.lower() == local_host():
        return None
    try:
        return resolve_handle(query)
    except ResolveError as error:
        logger.info("Could not resolve %s: %s", query, error)
        return None
