"""Every local action reaches the remote server it concerns, with the activity Mastodon
sends, whichever service performed it; private posts reach only the hosts entitled."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from accounts.models import Account, Follow, FollowRequest, User
from accounts.services.blocks import do_block, do_unblock
from accounts.services.domain_blocks import do_block_domain
from accounts.services.follows import do_follow, do_unfollow
from accounts.services.profile import do_update_profile
from federation.render.context import PUBLIC
from federation.resolve import resolve_account_url
from moderation.services.registrations import do_delete_local_account
from tests.federation.conftest import RemoteActor
from timelines.models import Mention, Status
from timelines.services.interactions import (
    do_favourite,
    do_reblog,
    do_unfavourite,
    do_unreblog,
)
from timelines.services.pins import do_pin, do_unpin
from timelines.services.statuses import StatusInput, do_create_status, do_delete_status

Sent = list[tuple[str, dict[str, Any]]]


@pytest.fixture
def sent(httpserver: HTTPServer) -> Sent:
    """(inbox path, activity) for every POST this server makes to the remote server."""
    received: Sent = []

    def inbox(request: Request) -> Response:
        received.append((request.path, json.loads(request.get_data())))
        return Response(status=202)

    httpserver.expect_request("/inbox", method="POST").respond_with_handler(inbox)
    for name in ("bob", "carol"):
        httpserver.expect_request(f"/users/{name}/inbox", method="POST").respond_with_handler(inbox)
    return received


def kinds(sent: Sent) -> list[str]:
    return [a["type"] if a["type"] != "Undo" else "Undo " + a["object"]["type"] for _, a in sent]


def post(user: User, text: str, visibility: str = "public") -> Status:
    return do_create_status(
        account=user.account, data=StatusInput(text=text, visibility=visibility)
    )


def test_follow_of_a_remote_account_waits_for_accept(
    alice: User, remote: RemoteActor, sent: Sent
) -> None:
    bob = resolve_account_url(remote.uri)
    row = do_follow(account=alice.account, target=bob)
    assert isinstance(row, FollowRequest) and not Follow.objects.exists()
    assert kinds(sent) == ["Follow"] and sent[0][0] == "/users/bob/inbox"
    follow = sent[0][1]
    assert (follow["actor"], follow["object"]) == (alice.account.uri, bob.uri)
    accept = remote.activity("Accept", {**follow, "@context": None})
    assert remote.deliver(Client(), accept).status_code == 202
    assert Follow.objects.filter(account=alice.account, target_account=bob).exists()
    do_unfollow(account=alice.account, target=bob)
    assert kinds(sent) == ["Follow", "Undo Follow"]
    assert sent[1][1]["object"]["id"] == follow["id"]


def test_posts_edits_and_deletes_go_to_followers(
    alice: User, remote: RemoteActor, sent: Sent
) -> None:
    Follow.objects.create(account=resolve_account_url(remote.uri), target_account=alice.account)
    status = post(alice, "Hello #herd")
    from timelines.services.edits import EditInput, do_edit_status

    do_edit_status(account=alice.account, status=status, data=EditInput(text="Hello again"))
    do_delete_status(account=alice.account, status=status)
    assert kinds(sent) == ["Create", "Update", "Delete"]
    assert {path for path, _ in sent} == {"/inbox"}
    create, update, delete = (a for _, a in sent)
    assert create["object"]["tag"][0]["name"] == "#herd"
    assert update["object"]["content"] == "<p>Hello again</p>" and "updated" in update["object"]
    assert delete["object"] == {"id": status.uri, "type": "Tombstone", "atomUri": status.uri}


def test_followers_only_and_direct_posts_reach_only_entitled_hosts(
    alice: User, make_remote: Callable[..., RemoteActor], sent: Sent, httpserver: HTTPServer
) -> None:
    carol = resolve_account_url(make_remote("carol", host="127.0.0.1").uri)
    bob = resolve_account_url(make_remote("bob").uri)
    Follow.objects.create(account=bob, target_account=alice.account)
    post(alice, "For followers", "private")
    assert [(p, a["type"]) for p, a in sent] == [("/inbox", "Create")]
    assert httpserver.log[-1][0].host.startswith("localhost")
    sent.clear()
    # Mentions with a port do not parse from text; the row is what delivery reads.
    with transaction.atomic():
        direct = post(alice, "just you", "direct")
        Mention.objects.create(status=direct, account=carol)
    assert len(sent) == 1
    assert httpserver.log[-1][0].host.startswith("127.0.0.1")
    assert sent[0][1]["object"]["to"] == [carol.uri] and sent[0][1]["object"]["cc"] == []


def test_interactions_with_remote_posts(alice: User, remote: RemoteActor, sent: Sent) -> None:
    bob = resolve_account_url(remote.uri)
    status = Status.objects.create(
        account=bob,
        uri=remote.url("/notes/1"),
        local=False,
        content="<p>Hi</p>",
        visibility="public",
    )
    do_favourite(account=alice.account, status=status)
    do_unfavourite(account=alice.account, status=status)
    do_reblog(account=alice.account, status=status)
    do_unreblog(account=alice.account, status=status)
    assert kinds(sent) == ["Like", "Undo Like", "Announce", "Undo Announce"]
    assert sent[0][1]["object"] == status.uri and sent[2][1]["object"] == status.uri


def test_blocks_profile_pins_and_account_deletion(
    alice: User, remote: RemoteActor, sent: Sent
) -> None:
    bob = resolve_account_url(remote.uri)
    Follow.objects.create(account=bob, target_account=alice.account)
    do_update_profile(
        account=alice.account,
        display_name="Alice A.",
        note="Hi",
        fields=[],
        locked=False,
        bot=False,
    )
    status = post(alice, "Pinned")
    do_pin(account=alice.account, status=status)
    do_unpin(account=alice.account, status=status)
    do_block(account=alice.account, target=bob)
    do_unblock(account=alice.account, target=bob)
    Follow.objects.create(account=bob, target_account=alice.account)
    do_delete_local_account(actor=None, user=alice)
    assert kinds(sent) == [
        "Update",
        "Create",
        "Add",
        "Remove",
        "Reject",
        "Block",
        "Undo Block",
        "Delete",
    ]
    assert sent[0][1]["object"]["name"] == "Alice A."
    assert sent[-1][1]["object"] == sent[-1][1]["actor"]
    assert not Account.objects.filter(username="alice", domain__isnull=True).exists()
    assert PUBLIC in sent[-1][1]["to"]


def test_blocking_a_domain_ends_follows_both_ways_and_tells_it(
    alice: User, make_remote: Callable[..., RemoteActor], sent: Sent
) -> None:
    bob = resolve_account_url(make_remote("bob").uri)
    carol = resolve_account_url(make_remote("carol").uri)
    Follow.objects.create(account=alice.account, target_account=bob, uri=alice.account.uri + "#f1")
    Follow.objects.create(account=carol, target_account=alice.account, uri=carol.uri + "#f2")
    FollowRequest.objects.create(account=bob, target_account=alice.account, uri=bob.uri + "#f3")

    do_block_domain(account=alice.account, domain=str(bob.domain))

    assert not Follow.objects.exists() and not FollowRequest.objects.exists()
    assert sorted(kinds(sent)) == ["Reject", "Reject", "Undo Follow"]
    by_kind = {a["type"]: a for _, a in sent if a["type"] == "Undo"}
    assert by_kind["Undo"]["object"]["id"] == alice.account.uri + "#f1"
    rejected = {a["object"]["id"] for _, a in sent if a["type"] == "Reject"}
    assert rejected == {carol.uri + "#f2", bob.uri + "#f3"}
