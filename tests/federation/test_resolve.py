"""Finding remote accounts by handle and by id, with signed fetches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from accounts.models import Account, User
from federation.resolve import ResolveError, resolve_account_url, resolve_handle
from tests.federation.conftest import RemoteActor


def test_resolve_by_handle_uses_webfinger_then_a_signed_fetch(
    remote: RemoteActor, httpserver: Any
) -> None:
    account = resolve_handle(f"@bob@{remote.domain}")
    assert (account.uri, account.domain, account.username) == (remote.uri, remote.domain, "bob")
    paths = [request.path for request, _ in httpserver.log]
    assert paths[:2] == ["/.well-known/webfinger", "/users/bob"]
    actor_fetch = httpserver.log[1][0]
    assert 'keyId="http://testserver/actor#main-key"' in actor_fetch.headers["Signature"]
    # Known and fresh: no more requests.
    assert resolve_handle(f"bob@{remote.domain}") == account
    assert len(httpserver.log) == 2


def test_resolve_by_url_and_refresh(remote: RemoteActor, httpserver: Any) -> None:
    account = resolve_account_url(remote.uri)
    assert account.inbox_url == remote.uri + "/inbox"
    assert resolve_account_url(remote.uri) == account
    refreshed = resolve_account_url(remote.uri, refresh=True)
    assert refreshed.pk == account.pk
    assert Account.objects.filter(domain=remote.domain).count() == 1


def test_local_handles_and_urls_resolve_without_network(alice: User, httpserver: Any) -> None:
    assert resolve_handle("alice") == alice.account
    assert resolve_handle("alice@testserver") == alice.account
    assert resolve_account_url("http://testserver/users/alice") == alice.account
    assert httpserver.log == []


def test_unresolvable(
    httpserver: Any, allow_loopback: None, make_remote: Callable[..., RemoteActor]
) -> None:
    port = httpserver.port
    for handle in (f"nobody@localhost:{port}", "not a handle", "@"):
        with pytest.raises(ResolveError):
            resolve_handle(handle)
    with pytest.raises(ResolveError):
        resolve_account_url(f"http://localhost:{port}/users/nobody")
    # A document that is not an actor.
    httpserver.expect_request("/notes/1").respond_with_json(
        {"id": f"http://localhost:{port}/notes/1", "type": "Note"},
        content_type="application/activity+json",
    )
    with pytest.raises(ResolveError):
        resolve_account_url(f"http://localhost:{port}/notes/1")
    assert not Account.objects.exclude(domain__isnull=True).exists()


def test_remote_documents_cannot_claim_local_accounts(
    httpserver: Any, allow_loopback: None
) -> None:
    port = httpserver.port
    httpserver.expect_request("/users/x").respond_with_json(
        {"id": "http://testserver/users/x", "type": "Person", "preferredUsername": "x",
         "inbox": "http://testserver/users/x/inbox"},
        content_type="application/activity+json",
    )  # fmt: skip
    with pytest.raises(ResolveError):
        resolve_account_url(f"http://localhost:{port}/users/x")
    assert not Account.objects.filter(username="x").exists()
