"""Inbound Like, Announce, Block, Flag, Add/Remove, Update and their Undo, as signed
deliveries from a fake remote actor on loopback; and the answers this server sends back."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from accounts.models import Account, Block, Follow, FollowRequest, User
from federation.render.context import PUBLIC
from moderation.models import Report
from tests.federation.conftest import AP_JSON, RemoteActor
from timelines.models import Favourite, Notification, Status, StatusPin
from timelines.services.statuses import StatusInput, do_create_status

ALICE = "http://testserver/users/alice"


@pytest.fixture
def outbox(httpserver: HTTPServer) -> list[dict[str, Any]]:
    """What this server posts to the remote server's inboxes."""
    received: list[dict[str, Any]] = []

    def inbox(request: Request) -> Response:
        received.append(json.loads(request.get_data()))
        return Response(status=202)

    for path in ("/inbox", "/users/bob/inbox"):
        httpserver.expect_request(path, method="POST").respond_with_handler(inbox)
    return received


def alice_post(alice: User, text: str = "Hello") -> Status:
    return do_create_status(account=alice.account, data=StatusInput(text=text))


def send(remote: RemoteActor, kind: str, obj: Any, suffix: str = "1", **extra: Any) -> None:
    response = remote.deliver(Client(), remote.activity(kind, obj, suffix, **extra))
    assert response.status_code == 202


def test_like_and_its_undo(alice: User, remote: RemoteActor) -> None:
    status = alice_post(alice)
    send(remote, "Like", status.uri)
    favourite = Favourite.objects.get(status=status)
    assert favourite.uri == remote.url("/activities/like/1")
    assert Notification.objects.filter(account=alice.account, type="favourite").exists()
    like = remote.activity("Like", status.uri)
    send(remote, "Undo", like, "2")
    assert not Favourite.objects.exists()


def test_announce_fetches_nothing_for_known_posts_and_undo_removes_it(
    alice: User, remote: RemoteActor
) -> None:
    status = alice_post(alice)
    send(remote, "Announce", status.uri, to=[PUBLIC])
    reblog = Status.objects.get(reblog=status)
    assert not reblog.local and reblog.uri == remote.url("/activities/announce/1")
    assert Notification.objects.filter(account=alice.account, type="reblog").exists()
    send(remote, "Undo", reblog.uri, "2")
    assert not Status.objects.filter(reblog=status).exists()


def test_announce_of_an_unknown_post_fetches_it(
    alice: User, remote: RemoteActor, httpserver: HTTPServer
) -> None:
    note = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": remote.url("/notes/9"),
        "type": "Note",
        "attributedTo": remote.uri,
        "content": "<p>Boost me</p>",
        "to": [PUBLIC],
    }
    httpserver.expect_request("/notes/9").respond_with_json(note, content_type=AP_JSON)
    send(remote, "Announce", note["id"], to=[PUBLIC])
    original = Status.objects.get(uri=note["id"])
    assert "Boost me" in original.content
    assert Status.objects.filter(reblog=original).exists()


def test_block_removes_follows_and_undo_lifts_it(
    alice: User, remote: RemoteActor, outbox: list[dict[str, Any]]
) -> None:
    send(remote, "Follow", ALICE)
    bob = Account.objects.get(uri=remote.uri)
    assert Follow.objects.filter(account=bob).exists()
    assert [a["type"] for a in outbox] == ["Accept"]  # alice is not locked
    send(remote, "Block", ALICE, "2")
    assert Block.objects.filter(account=bob, target_account=alice.account).exists()
    assert not Follow.objects.filter(account=bob).exists()
    assert [a["type"] for a in outbox] == ["Accept"]  # nothing sent back for their own block
    send(remote, "Undo", remote.activity("Block", ALICE, "2"), "3")
    assert not Block.objects.exists()


def test_flag_lands_in_the_moderation_queue(alice: User, remote: RemoteActor) -> None:
    status = alice_post(alice)
    send(remote, "Flag", [ALICE, status.uri], content="Spam")
    report = Report.objects.get()
    assert report.target_account == alice.account and report.status_ids == [status.pk]
    assert report.comment == "Spam" and report.account.uri == remote.uri


def test_update_edits_a_remote_post_and_keeps_revisions(alice: User, remote: RemoteActor) -> None:
    note = {
        "id": remote.url("/notes/1"),
        "type": "Note",
        "attributedTo": remote.uri,
        "content": f'<p>Hi <a href="{ALICE}">@alice</a></p>',
        "to": [PUBLIC],
        "tag": [{"type": "Mention", "href": ALICE, "name": "@alice"}],
    }
    send(remote, "Create", note)
    edited = {**note, "content": "<p>Hi again</p>", "updated": "2024-05-01T13:00:00Z"}
    send(remote, "Update", edited, "2")
    status = Status.objects.get(uri=note["id"])
    assert "Hi again" in status.content and status.edited_at is not None
    assert status.edits.count() == 2


def test_someone_elses_note_cannot_be_updated(alice: User, remote: RemoteActor) -> None:
    note = {
        "id": remote.url("/notes/1"),
        "type": "Note",
        "attributedTo": remote.uri,
        "content": f'<p><a href="{ALICE}">@alice</a></p>',
        "to": [PUBLIC],
        "tag": [{"type": "Mention", "href": ALICE, "name": "@alice"}],
    }
    send(remote, "Create", note)
    forged = {**note, "attributedTo": remote.url("/users/mallory"), "content": "<p>X</p>"}
    send(remote, "Update", forged, "2")
    assert "X" not in Status.objects.get(uri=note["id"]).content


def test_articles_are_converted_and_questions_become_polls(
    alice: User, remote: RemoteActor
) -> None:
    mention = [{"type": "Mention", "href": ALICE, "name": "@alice"}]
    article = {
        "id": remote.url("/articles/1"),
        "type": "Article",
        "attributedTo": remote.uri,
        "name": "A long read",
        "content": "<p>Body</p>",
        "url": remote.url("/a/1"),
        "to": [PUBLIC],
        "tag": mention,
    }
    send(remote, "Create", article)
    status = Status.objects.get(uri=article["id"])
    assert "A long read" in status.content and remote.url("/a/1") in status.content
    question = {
        "id": remote.url("/questions/1"),
        "type": "Question",
        "attributedTo": remote.uri,
        "content": "<p>Tea or coffee?</p>",
        "to": [PUBLIC],
        "tag": mention,
        "endTime": "2099-01-01T00:00:00Z",
        "oneOf": [
            {"type": "Note", "name": "Tea", "replies": {"totalItems": 3}},
            {"type": "Note", "name": "Coffee", "replies": {"totalItems": 1}},
        ],
    }
    send(remote, "Create", question, "2")
    poll = Status.objects.get(uri=question["id"]).poll
    assert (poll.options, poll.tallies, poll.multiple) == (["Tea", "Coffee"], [3, 1], False)


def test_create_with_only_an_id_and_reply_parents_are_fetched(
    alice: User, remote: RemoteActor, httpserver: HTTPServer
) -> None:
    parent = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": remote.url("/notes/p"),
        "type": "Note",
        "attributedTo": remote.uri,
        "content": "<p>Parent</p>",
        "to": [PUBLIC],
    }
    reply = {
        **parent,
        "id": remote.url("/notes/r"),
        "content": "<p>Reply</p>",
        "inReplyTo": parent["id"],
        "tag": [{"type": "Mention", "href": ALICE}],
    }
    httpserver.expect_request("/notes/p").respond_with_json(parent, content_type=AP_JSON)
    httpserver.expect_request("/notes/r").respond_with_json(reply, content_type=AP_JSON)
    send(remote, "Create", reply["id"])
    status = Status.objects.get(uri=reply["id"])
    assert status.in_reply_to is not None and status.in_reply_to.uri == parent["id"]


def test_remote_reply_notifies_the_local_author(alice: User, remote: RemoteActor) -> None:
    status = alice_post(alice)
    reply = {
        "id": remote.url("/notes/1"),
        "type": "Note",
        "attributedTo": remote.uri,
        "content": "<p>Nice</p>",
        "to": [PUBLIC],
        "inReplyTo": status.uri,
    }
    send(remote, "Create", reply)
    assert Notification.objects.filter(account=alice.account, type="mention").exists()


def test_featured_add_and_remove(alice: User, remote: RemoteActor) -> None:
    note = {
        "id": remote.url("/notes/1"),
        "type": "Note",
        "attributedTo": remote.uri,
        "content": "<p>Pin me</p>",
        "to": [PUBLIC],
        "tag": [{"type": "Mention", "href": ALICE, "name": "@alice"}],
    }
    send(remote, "Create", note)
    featured = remote.uri + "/collections/featured"
    send(remote, "Add", note["id"], "2", target=featured)
    assert StatusPin.objects.filter(status__uri=note["id"]).exists()
    send(remote, "Remove", note["id"], "3", target=featured)
    assert not StatusPin.objects.exists()


def test_locked_accounts_accept_by_hand_and_the_answer_is_sent(
    make_user: Any, remote: RemoteActor, outbox: list[dict[str, Any]]
) -> None:
    from accounts.services.follows import do_authorize_follow_request

    make_user("alice", locked=True)
    send(remote, "Follow", ALICE)
    assert outbox == []
    do_authorize_follow_request(request=FollowRequest.objects.get())
    assert [(a["type"], a["object"]["id"]) for a in outbox] == [
        ("Accept", remote.url("/activities/follow/1"))
    ]


def test_votes_on_local_polls_are_counted_and_votes_on_remote_polls_sent(
    alice: User, remote: RemoteActor, outbox: list[dict[str, Any]]
) -> None:
    from timelines.services.polls import do_vote, poll_input

    status = do_create_status(
        account=alice.account,
        data=StatusInput(
            text="Tea?",
            poll=poll_input(
                options=["Yes", "No"], expires_in=3600, multiple=False, hide_totals=False
            ),
        ),
    )
    vote = {
        "id": remote.url("/votes/1"),
        "type": "Note",
        "attributedTo": remote.uri,
        "name": "No",
        "inReplyTo": status.uri,
        "to": [ALICE],
    }
    send(remote, "Create", vote)
    status.poll.refresh_from_db()
    assert status.poll.tallies == [0, 1]
    question = {
        "id": remote.url("/questions/1"),
        "type": "Question",
        "attributedTo": remote.uri,
        "content": "<p>Which?</p>",
        "to": [PUBLIC],
        "endTime": "2099-01-01T00:00:00Z",
        "tag": [{"type": "Mention", "href": ALICE, "name": "@alice"}],
        "oneOf": [{"type": "Note", "name": "A"}, {"type": "Note", "name": "B"}],
    }
    send(remote, "Create", question, "2")
    poll = Status.objects.get(uri=question["id"]).poll
    do_vote(account=alice.account, poll=poll, choices=[1])
    sent = [a for a in outbox if a["type"] == "Create"]
    assert [(a["object"]["name"], a["object"]["inReplyTo"]) for a in sent] == [
        ("B", question["id"])
    ]
