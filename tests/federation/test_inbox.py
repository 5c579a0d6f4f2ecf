"""The inbox end to end: signed deliveries from a fake remote server on loopback, and every
way a delivery can be refused, each leaving no trace."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import Account, Follow, FollowRequest, User
from federation.models import ProcessedActivity, RemoteKey
from federation.render.context import PUBLIC
from federation.signatures import cavage
from tests.federation.conftest import RemoteActor
from timelines.models import Notification, Status
from timelines.selectors import public_timeline

AP = "application/activity+json"


def trace() -> dict[str, int]:
    """Rows an accepted activity would leave behind."""
    return {
        "follows": Follow.objects.count(),
        "requests": FollowRequest.objects.count(),
        "statuses": Status.objects.count(),
        "notifications": Notification.objects.count(),
        "processed": ProcessedActivity.objects.count(),
    }


def note(remote: RemoteActor, suffix: str = "1", **extra: Any) -> dict[str, Any]:
    return {
        "id": remote.url(f"/notes/{suffix}"),
        "type": "Note",
        "attributedTo": remote.uri,
        "content": '<p>Hello <a href="http://testserver/@alice">@alice</a> '
        "#Herd<script>alert(1)</script></p>",
        "to": [PUBLIC],
        "cc": [remote.uri + "/followers"],
        "published": "2024-05-01T12:00:00Z",
        "tag": [
            {"type": "Mention", "href": "http://testserver/users/alice", "name": "@alice"},
            {"type": "Hashtag", "href": remote.url("/tags/herd"), "name": "#Herd"},
        ],
        **extra,
    }


def follow_alice(remote: RemoteActor, client: Client, suffix: str = "1") -> Any:
    activity = remote.activity("Follow", "http://testserver/users/alice", suffix)
    return remote.deliver(client, activity)


def test_signed_follow_is_stored_and_notified(alice: User, remote: RemoteActor) -> None:
    response = follow_alice(remote, Client())
    assert response.status_code == 202
    bob = Account.objects.get(uri=remote.uri)
    assert (bob.username, bob.domain) == ("bob", remote.domain)
    assert bob.inbox_url == remote.uri + "/inbox"
    assert bob.shared_inbox_url == remote.url("/inbox")
    assert bob.followers_url == remote.uri + "/followers"
    assert bob.public_key == remote.public_pem.strip()
    assert bob.display_name == "Bob" and "<script>" not in bob.note
    assert bob.fields == [{"name": "Site", "value": "<b>x</b>"}]
    follow = Follow.objects.get(account=bob, target_account=alice.account)
    assert follow.uri == remote.url("/activities/follow/1")
    notification = Notification.objects.get(account=alice.account)
    assert (notification.type, notification.from_account_id) == ("follow", bob.pk)


def test_locked_accounts_get_a_request(make_user: Callable[..., User], remote: RemoteActor) -> None:
    make_user("alice", locked=True)
    assert follow_alice(remote, Client()).status_code == 202
    assert FollowRequest.objects.get().uri == remote.url("/activities/follow/1")
    assert not Follow.objects.exists()
    assert Notification.objects.get().type == "follow_request"


def test_rfc9421_signatures_are_accepted(alice: User, remote: RemoteActor) -> None:
    activity = remote.activity("Follow", "http://testserver/users/alice")
    response = remote.deliver(Client(), activity, path="/users/alice/inbox", scheme="rfc9421")
    assert response.status_code == 202
    assert Follow.objects.filter(target_account=alice.account).exists()


def test_created_note_reaches_the_federated_timeline(alice: User, remote: RemoteActor) -> None:
    follow_alice(remote, Client())
    bob = Account.objects.get(uri=remote.uri)
    Follow.objects.create(account=alice.account, target_account=bob)
    response = remote.deliver(Client(), remote.activity("Create", note(remote)))
    assert response.status_code == 202
    status = Status.objects.get(uri=remote.url("/notes/1"))
    assert not status.local and status.account == bob and status.visibility == "public"
    assert "<script>" not in status.content and "Hello" in status.content
    assert [t.name for t in status.tags.all()] == ["Herd"]
    assert list(status.mentions.values_list("account_id", flat=True)) == [alice.account.pk]
    assert Notification.objects.filter(account=alice.account, type="mention").exists()
    assert list(public_timeline(None, local=False)) == [status]
    # Delivered twice, it changes nothing.
    before = trace()
    assert remote.deliver(Client(), remote.activity("Create", note(remote))).status_code == 202
    assert trace() == before


@pytest.mark.parametrize(
    ("to", "cc", "visibility"),
    [([PUBLIC], [], "public"), (["FOLLOWERS"], [PUBLIC], "unlisted"),
     (["FOLLOWERS"], [], "private"), (["http://testserver/users/alice"], [], "direct")],
)  # fmt: skip
def test_visibility_from_the_audience(
    alice: User, remote: RemoteActor, to: list[str], cc: list[str], visibility: str
) -> None:
    followers = remote.uri + "/followers"
    addressed = [followers if t == "FOLLOWERS" else t for t in to]
    remote.deliver(Client(), remote.activity("Create", note(remote, to=addressed, cc=cc)))
    assert Status.objects.get().visibility == visibility


def test_direct_post_to_a_personal_inbox_reaches_its_owner(
    alice: User, remote: RemoteActor
) -> None:
    private = note(remote, to=["http://testserver/users/alice"], cc=[], tag=[])
    activity = remote.activity("Create", private)
    assert remote.deliver(Client(), activity, path="/users/alice/inbox").status_code == 202
    status = Status.objects.get()
    assert status.visibility == "direct"
    assert status.mentions.get().account == alice.account
    assert Status.objects.visible_to(alice.account).filter(pk=status.pk).exists()


def test_unsolicited_posts_are_dropped(alice: User, remote: RemoteActor) -> None:
    unrelated = note(remote, tag=[], content="<p>spam</p>")
    assert remote.deliver(Client(), remote.activity("Create", unrelated)).status_code == 202
    assert not Status.objects.exists()


def test_delete_removes_the_post_and_wins_when_early(alice: User, remote: RemoteActor) -> None:
    client = Client()
    remote.deliver(client, remote.activity("Create", note(remote)))
    deleted = {"id": remote.url("/notes/1"), "type": "Tombstone"}
    remote.deliver(client, remote.activity("Delete", deleted))
    assert not Status.objects.exists()
    early = {"id": remote.url("/notes/2"), "type": "Tombstone"}
    remote.deliver(client, remote.activity("Delete", early, "2"))
    remote.deliver(client, remote.activity("Create", note(remote, "2"), "2"))
    assert not Status.objects.exists()


def test_undo_follow_and_undo_before_follow(alice: User, remote: RemoteActor) -> None:
    client = Client()
    follow = remote.activity("Follow", "http://testserver/users/alice")
    remote.deliver(client, follow)
    remote.deliver(client, remote.activity("Undo", follow))
    assert not Follow.objects.exists()
    late = remote.activity("Follow", "http://testserver/users/alice", "2")
    remote.deliver(client, remote.activity("Undo", late, "2"))
    remote.deliver(client, late)
    assert not Follow.objects.exists()


def test_accept_and_reject_answer_our_requests(alice: User, remote: RemoteActor) -> None:
    client = Client()
    follow_alice(remote, client)  # makes bob known
    bob = Account.objects.get(uri=remote.uri)
    ours = {"id": "http://testserver/follows/1", "type": "Follow",
            "actor": "http://testserver/users/alice", "object": remote.uri}  # fmt: skip
    FollowRequest.objects.create(account=alice.account, target_account=bob, uri=ours["id"])
    remote.deliver(client, remote.activity("Accept", ours))
    assert Follow.objects.filter(account=alice.account, target_account=bob).exists()
    remote.deliver(client, remote.activity("Reject", ours["id"], "2"))
    assert not Follow.objects.filter(account=alice.account, target_account=bob).exists()


def test_update_and_delete_of_the_actor(alice: User, remote: RemoteActor) -> None:
    client = Client()
    follow_alice(remote, client)
    changed = {**remote.document(), "name": "Robert", "manuallyApprovesFollowers": True}
    changed.pop("@context")
    remote.deliver(client, remote.activity("Update", changed))
    bob = Account.objects.get(uri=remote.uri)
    assert (bob.display_name, bob.locked) == ("Robert", True)
    remote.deliver(client, remote.activity("Delete", remote.uri, "2"))
    assert not Account.objects.filter(uri=remote.uri).exists()
    assert not Follow.objects.exists()


def test_personal_inbox_of_nobody_is_missing(remote: RemoteActor) -> None:
    activity = remote.activity("Follow", "http://testserver/users/nobody")
    assert remote.deliver(Client(), activity, path="/users/nobody/inbox").status_code == 404


# Refusals. Each must answer with the right status and leave nothing behind.


def test_unsigned_is_refused(alice: User) -> None:
    body = json.dumps({"type": "Follow"})
    assert Client().post("/inbox", body, content_type=AP).status_code == 401
    assert trace() == dict.fromkeys(trace(), 0)


def test_actor_must_be_the_signer(
    alice: User, remote: RemoteActor, make_remote: Callable[..., RemoteActor]
) -> None:
    mallory = make_remote("mallory")
    spoofed = remote.activity("Follow", "http://testserver/users/alice")
    response = mallory.deliver(Client(), spoofed)
    assert response.status_code == 401
    assert trace() == dict.fromkeys(trace(), 0)
    assert not Account.objects.filter(uri=remote.uri).exists()


def test_objects_must_live_on_the_actors_host(
    alice: User, remote: RemoteActor, make_remote: Callable[..., RemoteActor]
) -> None:
    follow_alice(remote, Client())
    before = trace()
    elsewhere = make_remote("eve", host="127.0.0.1")
    # A note on bob's host, claimed by eve on another host.
    forged = note(remote, "9", attributedTo=elsewhere.uri)
    assert elsewhere.deliver(Client(), elsewhere.activity("Create", forged)).status_code == 202
    # A note on eve's host attributed to bob, who is followed here.
    forged = note(elsewhere, "9", attributedTo=remote.uri)
    elsewhere.deliver(Client(), elsewhere.activity("Create", forged, "2"))
    # Deleting and undoing what belongs to another actor.
    bob_follow = remote.activity("Follow", "http://testserver/users/alice")
    elsewhere.deliver(Client(), elsewhere.activity("Undo", bob_follow, "3"))
    elsewhere.deliver(Client(), elsewhere.activity("Delete", remote.uri, "4"))
    assert trace() == before
    assert Follow.objects.filter(account__uri=remote.uri).exists()


def test_a_key_served_under_another_id_is_not_trusted(
    alice: User, httpserver: Any, make_remote: Callable[..., RemoteActor]
) -> None:
    victim = make_remote("victim")
    impostor = RemoteActor(httpserver, "impostor")
    # The impostor's key id answers with the victim's document, which names its own id.
    httpserver.expect_request("/users/impostor").respond_with_json(
        {**victim.document(), "id": victim.uri}, content_type=AP
    )
    activity = impostor.activity("Follow", "http://testserver/users/alice")
    assert impostor.deliver(Client(), activity).status_code == 401
    assert trace() == dict.fromkeys(trace(), 0)
    assert not RemoteKey.objects.filter(key_id=impostor.key_id).exists()


def test_replayed_old_date_is_refused(alice: User, remote: RemoteActor) -> None:
    old = timezone.now() - timedelta(hours=2)
    activity = json.dumps(remote.activity("Follow", "http://testserver/users/alice")).encode()
    headers = {"Host": "testserver", "Content-Type": AP, "Date": cavage.http_date(old)}
    from federation.signatures import RequestParts

    parts = RequestParts("POST", "http://testserver/inbox", headers, activity)
    signed = {**headers, **cavage.sign(parts, remote.signing_key)}
    signed.pop("Content-Type")
    response = Client().generic("POST", "/inbox", activity, content_type=AP, headers=signed)
    assert response.status_code == 401
    assert trace() == dict.fromkeys(trace(), 0)
    assert not Account.objects.filter(uri=remote.uri).exists()


def test_wrong_digest_is_refused(alice: User, remote: RemoteActor) -> None:
    activity = remote.activity("Follow", "http://testserver/users/alice")
    response = remote.deliver(Client(), activity, Digest="SHA-256=" + "A" * 43 + "=")
    assert response.status_code == 401
    assert trace() == dict.fromkeys(trace(), 0)


def test_unknown_key_is_refused(alice: User, httpserver: Any, allow_loopback: None) -> None:
    ghost = RemoteActor(httpserver, "ghost")  # nothing served for it
    activity = ghost.activity("Follow", "http://testserver/users/alice")
    assert ghost.deliver(Client(), activity).status_code == 401
    assert trace() == dict.fromkeys(trace(), 0)


def test_oversize_body_is_refused_before_anything_else(
    alice: User, remote: RemoteActor, httpserver: Any
) -> None:
    activity = remote.activity("Create", note(remote, content="x" * (1024 * 1024)))
    response = remote.deliver(Client(), activity)
    assert response.status_code == 413
    assert trace() == dict.fromkeys(trace(), 0)
    assert httpserver.log == []  # not even the key was fetched


@pytest.mark.parametrize(
    "body", [b"{not json", b"[1, 2, 3]", b'{"a": ' * 100 + b"1" + b"}" * 100, b"\xff\xfe"]
)
def test_malformed_or_deep_json_is_refused(alice: User, remote: RemoteActor, body: bytes) -> None:
    assert remote.deliver(Client(), body).status_code == 400
    assert trace() == dict.fromkeys(trace(), 0)


def test_rotated_key_is_fetched_again_once(
    alice: User, remote: RemoteActor, httpserver: Any
) -> None:
    follow_alice(remote, Client())
    # The cached key is older than a minute and no longer the actor's.
    RemoteKey.objects.update(
        public_key_pem=RemoteActor(httpserver, "other").public_pem,
        fetched_at=timezone.now() - timedelta(minutes=5),
    )
    fetches = len(httpserver.log)
    follow = remote.activity("Follow", "http://testserver/users/alice", "2")
    assert remote.deliver(Client(), follow).status_code == 202
    assert RemoteKey.objects.get().public_key_pem == remote.public_pem.strip()
    assert len(httpserver.log) > fetches
