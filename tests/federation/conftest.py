"""A fake remote server for federation tests: a real HTTP server on loopback
(pytest-httpserver) that serves an actor with a real RSA key and WebFinger, and signs what it
delivers to this server's inboxes with that key."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import pytest
from django.test import Client
from pytest_httpserver import HTTPServer

from accounts.services.keys import generate_key_pair
from federation.signatures import RequestParts, SigningKey, cavage, rfc9421

AP_JSON = "application/activity+json"
LOOPBACK = ["127.0.0.0/8", "::1/128"]


@cache
def remote_key_pair(name: str) -> tuple[str, str]:
    """RSA keys are slow to make; one pair per name for the whole session."""
    return generate_key_pair()


@pytest.fixture
def allow_loopback(settings: Any) -> None:
    settings.FEDIVERSE_ALLOWED_PRIVATE_ADDRESSES = LOOPBACK


@dataclass
class RemoteActor:
    server: HTTPServer
    username: str = "bob"
    locked: bool = False
    # The same server answers as "localhost" and "127.0.0.1": two hosts, two origins.
    host: str = "localhost"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def private_pem(self) -> str:
        return remote_key_pair(self.username)[0]

    @property
    def public_pem(self) -> str:
        return remote_key_pair(self.username)[1]

    @property
    def domain(self) -> str:
        return f"{self.host}:{self.server.port}"

    def url(self, path: str) -> str:
        return f"http://{self.domain}{path}"

    @property
    def uri(self) -> str:
        return self.url(f"/users/{self.username}")

    @property
    def key_id(self) -> str:
        return f"{self.uri}#main-key"

    @property
    def signing_key(self) -> SigningKey:
        return SigningKey(self.key_id, self.private_pem)

    def document(self) -> dict[str, Any]:
        return {
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": self.uri,
            "type": "Person",
            "preferredUsername": self.username,
            "name": self.username.title(),
            "summary": "<p>Remote <script>alert(1)</script>person</p>",
            "url": self.url(f"/@{self.username}"),
            "inbox": self.uri + "/inbox",
            "outbox": self.uri + "/outbox",
            "followers": self.uri + "/followers",
            "following": self.uri + "/following",
            "endpoints": {"sharedInbox": self.url("/inbox")},
            "manuallyApprovesFollowers": self.locked,
            "attachment": [{"type": "PropertyValue", "name": "Site", "value": "<b>x</b>"}],
            "publicKey": {"id": self.key_id, "owner": self.uri, "publicKeyPem": self.public_pem},
            **self.extra,
        }

    def serve(self) -> RemoteActor:
        self.server.expect_request(f"/users/{self.username}").respond_with_json(
            self.document(), content_type=AP_JSON
        )
        self.server.expect_request(
            "/.well-known/webfinger", query_string=f"resource=acct:{self.username}@{self.domain}"
        ).respond_with_json(
            {
                "subject": f"acct:{self.username}@{self.domain}",
                "links": [{"rel": "self", "type": AP_JSON, "href": self.uri}],
            },
            content_type="application/jrd+json",
        )
        return self

    def activity(self, kind: str, obj: Any, suffix: str = "1", **extra: Any) -> dict[str, Any]:
        return {
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": self.url(f"/activities/{kind.lower()}/{suffix}"),
            "type": kind,
            "actor": self.uri,
            "object": obj,
            **extra,
        }

    def signed_headers(
        self, path: str, body: bytes, *, scheme: str = "cavage", **overrides: str
    ) -> dict[str, str]:
        base = {"Host": "testserver", "Content-Type": AP_JSON}
        parts = RequestParts("POST", f"http://testserver{path}", base, body)
        sign = cavage.sign if scheme == "cavage" else rfc9421.sign
        return {**base, **sign(parts, self.signing_key), **overrides}

    def deliver(
        self,
        client: Client,
        activity: dict[str, Any] | bytes,
        *,
        path: str = "/inbox",
        scheme: str = "cavage",
        **overrides: str,
    ) -> Any:
        body = activity if isinstance(activity, bytes) else json.dumps(activity).encode()
        headers = self.signed_headers(path, body, scheme=scheme, **overrides)
        content_type = headers.pop("Content-Type")
        return client.generic("POST", path, body, content_type=content_type, headers=headers)


@pytest.fixture
def remote(httpserver: HTTPServer, allow_loopback: None) -> RemoteActor:
    return RemoteActor(httpserver).serve()


@pytest.fixture
def make_remote(httpserver: HTTPServer, allow_loopback: None) -> Callable[..., RemoteActor]:
    def make(username: str, **options: Any) -> RemoteActor:
        return RemoteActor(httpserver, username, **options).serve()

    return make
