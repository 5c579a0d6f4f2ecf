"""Interop with an independent ActivityPub implementation: apkit (with its apsig signatures
and apmodel vocabulary) plays the remote server. Its actor document, key and activities are
built with its models, it signs with its own HTTP Signatures code, and it checks what this
server delivers with its own inbox verifier (which fetches our actor itself).

This server runs as Django's live server (so apkit's clients reach it over real HTTP), with
Celery eager: a request that causes a delivery waits for it. The remote side is
pytest-httpserver on loopback serving apkit-made documents and recording its inbox."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

import apmodel
import pytest
from apkit.client import models as apkit_models
from apkit.client._common import validate_webfinger_result
from apkit.client.sync.client import ActivityPubClient
from apkit.config import AppConfig
from apkit.helper.inbox import InboxVerifier
from apkit.types import ActorKey
from apmodel.extra.security import CryptographicKey
from apmodel.vocab.actor import ActorEndpoints, Person
from apmodel.vocab.mention import Mention
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from accounts.models import Account, Follow, User
from timelines.models import Notification, NotificationType, Status
from timelines.services.statuses import StatusInput, do_create_status

AP_JSON = "application/activity+json"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
# apkit's default also adds an LD signature, whose JSON-LD contexts it fetches from the web.
DRAFT = ("draft-cavage",)


@cache
def remote_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class ApkitRemote:
    """A remote server whose documents and signatures all come from apkit."""

    server: HTTPServer
    username: str = "kit"

    @property
    def domain(self) -> str:
        return f"localhost:{self.server.port}"

    def url(self, path: str) -> str:
        return f"http://{self.domain}{path}"

    @property
    def uri(self) -> str:
        return self.url(f"/users/{self.username}")

    @property
    def key(self) -> ActorKey:
        return ActorKey(key_id=f"{self.uri}#main-key", private_key=remote_private_key())

    def person(self) -> Person:
        public_pem = (
            remote_private_key()
            .public_key()
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode()
        )
        return Person(
            id=self.uri,
            preferred_username=self.username,
            name="Kit",
            url=self.url(f"/@{self.username}"),
            inbox=self.uri + "/inbox",
            outbox=self.uri + "/outbox",
            followers=self.uri + "/followers",
            following=self.uri + "/following",
            endpoints=ActorEndpoints(shared_inbox=self.url("/inbox")),
            public_key=CryptographicKey(
                id=self.key.key_id, owner=self.uri, public_key_pem=public_pem
            ),
        )

    def serve(self) -> ApkitRemote:
        self.server.expect_request(f"/users/{self.username}").respond_with_json(
            apmodel.to_dict(self.person()), content_type=AP_JSON
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
        for inbox in ("/inbox", f"/users/{self.username}/inbox"):
            self.server.expect_request(inbox, method="POST").respond_with_response(
                Response(status=202)
            )
        return self

    def send(
        self, inbox_url: str, activity: apmodel.Activity, sign_with: tuple[str, ...] = DRAFT
    ) -> int:
        """POST an activity to one of our inboxes, signed by apkit."""
        with ActivityPubClient() as client:
            response = client.post(
                inbox_url,
                headers={"Content-Type": AP_JSON},
                body=activity,
                signatures=[self.key],
                sign_with=list(sign_with),
            )
            return int(response.status)

    def inbox_requests(self) -> list[Request]:
        return [request for request, _ in self.server.log if request.method == "POST"]

    def verify(self, request: Request) -> bool:
        """apkit's own inbox verifier: fetches the signer's actor from us and checks."""
        verifier = InboxVerifier(AppConfig())
        url = self.url(request.path)
        # apkit's server hands the verifier ASGI headers, whose names are lower case.
        headers = {name.lower(): value for name, value in request.headers.items()}
        return asyncio.run(verifier.verify(request.get_data(), url, "POST", headers))


@pytest.fixture
def ours(settings: Any, live_server: Any) -> str:
    """This server at the live server's address, allowed to reach loopback."""
    settings.FEDIVERSE_DOMAIN = live_server.url.removeprefix("http://")
    settings.FEDIVERSE_ALLOWED_PRIVATE_ADDRESSES = ["127.0.0.0/8", "::1/128"]
    return str(live_server.url)


@pytest.fixture
def kit(httpserver: HTTPServer, ours: str) -> ApkitRemote:
    return ApkitRemote(httpserver).serve()


def follow(kit: ApkitRemote, ours: str, user: User) -> apmodel.Follow:
    activity = apmodel.Follow(
        id=kit.url("/activities/follow/1"),
        actor=kit.uri,
        object=f"{ours}/users/{user.account.username}",
    )
    assert kit.send(f"{ours}/users/{user.account.username}/inbox", activity) == 202
    return activity


def test_apkit_resolves_our_actor(
    ours: str, kit: ApkitRemote, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    domain = ours.removeprefix("http://")
    resource = apkit_models.Resource(username="alice", host=domain)
    with ActivityPubClient() as client:
        # apkit builds https:// WebFinger URLs; the live server speaks plain HTTP.
        answer = client.get(
            f"{ours}/.well-known/webfinger?resource={resource}",
            headers={"Accept": "application/jrd+json"},
        )
        assert answer.ok
        result = apkit_models.WebfingerResult.from_dict(answer.json())
        validate_webfinger_result(result, resource)
        link = result.get(AP_JSON)
        assert isinstance(link, apkit_models.Link) and link.href == alice.account.uri
        actor = client.actor.fetch(link.href)
    assert isinstance(actor, Person)
    assert actor.id == alice.account.uri
    assert actor.preferred_username == "alice"
    assert actor.inbox == f"{ours}/users/alice/inbox"
    key = actor.get_key(f"{alice.account.uri}#main-key")
    assert isinstance(key, CryptographicKey)
    assert isinstance(key.public_key, rsa.RSAPublicKey)
    ours_public = serialization.load_pem_public_key(alice.account.public_key.encode())
    assert key.public_key.public_numbers() == ours_public.public_numbers()  # type: ignore[union-attr]


def test_apkit_follow_is_accepted_and_accept_verifies(
    ours: str, kit: ApkitRemote, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    activity = follow(kit, ours, alice)
    remote = Account.objects.get(uri=kit.uri)
    assert Follow.objects.filter(account=remote, target_account=alice.account).exists()
    deliveries = kit.inbox_requests()
    assert len(deliveries) == 1
    assert kit.verify(deliveries[0])
    accept = apmodel.load(json.loads(deliveries[0].get_data()))
    assert isinstance(accept, apmodel.Activity) and accept.type == "Accept"
    assert accept.actor == alice.account.uri
    followed = accept.object
    followed_id = followed if isinstance(followed, str) else getattr(followed, "id", None)
    assert followed_id == activity.id


def test_local_post_reaches_apkit_and_verifies(
    ours: str, kit: ApkitRemote, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    follow(kit, ours, alice)
    kit.server.clear_log()
    status = do_create_status(account=alice.account, data=StatusInput(text="Hello apkit"))
    deliveries = kit.inbox_requests()
    assert len(deliveries) == 1
    assert kit.verify(deliveries[0])
    create = apmodel.load(json.loads(deliveries[0].get_data()))
    assert isinstance(create, apmodel.Create)
    note = create.object
    assert isinstance(note, apmodel.Note)
    assert note.id == status.uri
    assert note.attributed_to == alice.account.uri
    assert "Hello apkit" in str(note.content)


def test_tampered_delivery_fails_apkit_verification(
    ours: str, kit: ApkitRemote, make_user: Callable[..., User]
) -> None:
    """The verifier really checks: the same delivery with its body changed is refused."""
    alice = make_user("alice")
    follow(kit, ours, alice)
    request = kit.inbox_requests()[0]
    body = json.loads(request.get_data())
    body["actor"] = kit.uri
    tampered = Request.from_values(
        path=request.path,
        method="POST",
        headers=dict(request.headers.items()),
        data=json.dumps(body).encode(),
    )
    assert not kit.verify(tampered)


def mention_of(kit: ApkitRemote, ours: str, user: User) -> apmodel.Create:
    user_uri = user.account.uri
    note = apmodel.Note(
        id=kit.url("/notes/1"),
        attributed_to=kit.uri,
        content=f'<p><a href="{ours}/@alice">@alice</a> hello from apkit</p>',
        to=[PUBLIC],
        cc=[user_uri],
        tag=[Mention(href=user_uri, name=f"@alice@{ours.removeprefix('http://')}")],
        published="2026-01-01T00:00:00Z",
    )
    return apmodel.Create(
        id=kit.url("/activities/create/1"), actor=kit.uri, object=note, to=[PUBLIC], cc=[user_uri]
    )


def test_apkit_mention_is_accepted_and_notifies(
    ours: str, kit: ApkitRemote, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    assert kit.send(f"{ours}/inbox", mention_of(kit, ours, alice)) == 202
    status = Status.objects.get(uri=kit.url("/notes/1"))
    assert status.account.uri == kit.uri
    assert "hello from apkit" in status.content
    notification = Notification.objects.get(account=alice.account)
    assert notification.type == NotificationType.MENTION
    assert notification.status_id == status.id


def test_apkit_rfc9421_signature_without_body_digest_is_refused(
    ours: str, kit: ApkitRemote, make_user: Callable[..., User]
) -> None:
    """apsig's RFC 9421 signer covers @path and @authority but neither @target-uri nor
    content-digest (its body is unauthenticated); like Mastodon we require both: refused
    with 401, nothing stored."""
    alice = make_user("alice")
    assert kit.send(f"{ours}/inbox", mention_of(kit, ours, alice), ("rfc9421",)) == 401
    assert not Status.objects.filter(uri=kit.url("/notes/1")).exists()
    assert not Notification.objects.exists()
