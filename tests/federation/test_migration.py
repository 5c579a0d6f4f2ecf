"""Moving accounts: aliases, a local account moving out (cooldown, alias verification, the
`Move` its followers' servers receive), a verified or spoofed `Move` from a remote account,
and deletion with its username kept from reuse."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from accounts.models import Account, AccountMigration, Block, Follow, FollowRequest, Mute, User
from accounts.services.deletion import do_delete_own_account
from accounts.services.migration import (
    do_add_alias,
    do_cancel_redirect,
    do_move,
    do_redirect,
    do_remove_alias,
)
from accounts.services.registration import check_username
from federation.render.actor import render_actor
from federation.resolve import resolve_account_url
from tests.conftest import PASSWORD
from tests.federation.conftest import RemoteActor
from timelines.services.statuses import StatusInput, do_create_status

Sent = list[tuple[str, dict[str, Any]]]


@pytest.fixture
def sent(httpserver: HTTPServer) -> Sent:
    received: Sent = []

    def inbox(request: Request) -> Response:
        received.append((request.path, json.loads(request.get_data())))
        return Response(status=202)

    for path in ("/inbox", "/users/bob/inbox"):
        httpserver.expect_request(path, method="POST").respond_with_handler(inbox)
    return received


def test_aliases_are_resolved_stored_and_emitted(alice: User, remote: RemoteActor) -> None:
    other = do_add_alias(account=alice.account, handle=f"bob@{remote.domain}")
    alice.account.refresh_from_db()
    assert alice.account.also_known_as == [remote.uri] and other.uri == remote.uri
    assert render_actor(alice.account)["alsoKnownAs"] == [remote.uri]
    with pytest.raises(ValidationError, match="already listed"):
        do_add_alias(account=alice.account, handle=f"bob@{remote.domain}")
    with pytest.raises(ValidationError, match="No account was found"):
        do_add_alias(account=alice.account, handle=f"nobody@{remote.domain}")
    with pytest.raises(ValidationError, match="itself"):
        do_add_alias(account=alice.account, handle="alice")
    do_remove_alias(account=alice.account, uri=remote.uri)
    alice.account.refresh_from_db()
    assert alice.account.also_known_as == []
    assert "alsoKnownAs" not in render_actor(alice.account)


def test_remote_aliases_and_move_are_stored_from_the_actor(
    make_remote: Callable[..., RemoteActor],
) -> None:
    new = make_remote("newbob", host="127.0.0.1")
    old = make_remote("oldbob", extra={"movedTo": new.uri, "alsoKnownAs": [new.uri]})
    account = resolve_account_url(old.uri)
    assert account.also_known_as == [new.uri]
    assert account.moved_to is not None and account.moved_to.uri == new.uri
    assert account.moved_at is not None


def test_moving_out_needs_the_alias_on_the_new_account(
    alice: User, make_remote: Callable[..., RemoteActor], sent: Sent
) -> None:
    unlisted = make_remote("bob")
    with pytest.raises(ValidationError, match="does not list this account"):
        do_move(user=alice, handle=f"bob@{unlisted.domain}", password=PASSWORD)
    listed = make_remote("carol", extra={"alsoKnownAs": [alice.account.uri]})
    with pytest.raises(ValidationError, match="password"):
        do_move(user=alice, handle=f"carol@{listed.domain}", password="wrong")
    alice.account.refresh_from_db()
    assert alice.account.moved_to is None and not AccountMigration.objects.exists()
    assert sent == []


def test_moving_out_moves_followers_and_stops_posting(
    alice: User, make_user: Callable[..., User], make_remote: Callable[..., RemoteActor], sent: Sent
) -> None:
    follower_here = make_user("carol").account
    remote_follower = resolve_account_url(make_remote("dave").uri)
    Follow.objects.create(account=remote_follower, target_account=alice.account)
    Follow.objects.create(
        account=follower_here, target_account=alice.account, show_reblogs=False, notify=True
    )
    new = make_remote("bob", extra={"alsoKnownAs": [alice.account.uri]})
    target = do_move(user=alice, handle=f"bob@{new.domain}", password=PASSWORD)
    alice.account.refresh_from_db()
    assert alice.account.moved_to_id == target.pk
    move = next(a for _, a in sent if a["type"] == "Move")
    assert move["actor"] == move["object"] == alice.account.uri and move["target"] == new.uri
    assert render_actor(alice.account)["movedTo"] == new.uri
    # The local follower now asks the remote new account, with the same options.
    request = FollowRequest.objects.get(account=follower_here, target_account=target)
    assert (request.show_reblogs, request.notify) == (False, True)
    assert not Follow.objects.filter(account=follower_here, target_account=alice.account).exists()
    assert ("/users/bob/inbox", "Follow") in [(p, a["type"]) for p, a in sent]
    with pytest.raises(ValidationError, match="can no longer post"):
        do_create_status(account=alice.account, data=StatusInput(text="still here?"))
    # Mastodon's cooldown: no second move within 30 days, even after cancelling.
    do_cancel_redirect(account=alice.account)
    with pytest.raises(ValidationError, match="moved recently"):
        do_move(user=alice, handle=f"bob@{new.domain}", password=PASSWORD)
    AccountMigration.objects.update(created_at=timezone.now() - timedelta(days=31))
    do_move(user=alice, handle=f"bob@{new.domain}", password=PASSWORD)
    assert AccountMigration.objects.count() == 2


def test_redirect_points_the_profile_without_moving_followers(
    alice: User, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob")
    carol = make_user("carol").account
    Follow.objects.create(account=carol, target_account=alice.account)
    do_redirect(user=alice, handle="bob", password=PASSWORD)
    alice.account.refresh_from_db()
    assert alice.account.moved_to_id == bob.account.pk
    assert Follow.objects.filter(account=carol, target_account=alice.account).exists()
    assert not AccountMigration.objects.exists()


def test_a_move_between_local_accounts_passes_a_lock(
    alice: User, make_user: Callable[..., User]
) -> None:
    bob = make_user("bob", locked=True)
    carol = make_user("carol").account
    Follow.objects.create(account=carol, target_account=alice.account)
    bob.account.also_known_as = [alice.account.uri]
    bob.account.save()
    do_move(user=alice, handle="bob", password=PASSWORD)
    assert Follow.objects.filter(account=carol, target_account=bob.account).exists()
    assert not Follow.objects.filter(account=carol, target_account=alice.account).exists()


def _move_activity(old: RemoteActor, target_uri: str) -> dict[str, Any]:
    return old.activity("Move", old.uri, target=target_uri)


def test_incoming_move_verified_against_the_new_account(
    alice: User, make_remote: Callable[..., RemoteActor], client: Client
) -> None:
    old = make_remote("oldbob")
    new = make_remote("newbob", extra={"alsoKnownAs": [old.uri]})
    old_account = resolve_account_url(old.uri)
    Follow.objects.create(account=alice.account, target_account=old_account, notify=True)
    assert old.deliver(client, _move_activity(old, new.uri)).status_code == 202
    new_account = Account.objects.get(uri=new.uri)
    old_account.refresh_from_db()
    assert old_account.moved_to_id == new_account.pk
    request = FollowRequest.objects.get(account=alice.account, target_account=new_account)
    assert request.notify
    assert not Follow.objects.filter(account=alice.account, target_account=old_account).exists()


def test_incoming_move_to_an_account_not_naming_the_origin_changes_nothing(
    alice: User, make_remote: Callable[..., RemoteActor], client: Client
) -> None:
    old = make_remote("oldbob")
    stranger = make_remote("stranger")
    old_account = resolve_account_url(old.uri)
    Follow.objects.create(account=alice.account, target_account=old_account)
    assert old.deliver(client, _move_activity(old, stranger.uri)).status_code == 202
    old_account.refresh_from_db()
    assert old_account.moved_to_id is None
    assert Follow.objects.filter(account=alice.account, target_account=old_account).exists()
    assert not FollowRequest.objects.exists()
    assert not Account.objects.filter(uri=stranger.uri).exists()


def test_incoming_move_to_a_local_account(
    alice: User, make_user: Callable[..., User], remote: RemoteActor, client: Client
) -> None:
    carol = make_user("carol", locked=True)
    old_account = resolve_account_url(remote.uri)
    Follow.objects.create(account=alice.account, target_account=old_account)
    move = _move_activity(remote, carol.account.uri)
    # Not yet an alias: refused.
    remote.deliver(client, move)
    assert not Follow.objects.filter(target_account=carol.account).exists()
    carol.account.also_known_as = [remote.uri]
    carol.account.save()
    remote.deliver(client, {**move, "id": move["id"] + "/again"})
    assert Follow.objects.filter(account=alice.account, target_account=carol.account).exists()
    old_account.refresh_from_db()
    assert old_account.moved_to_id == carol.account.pk


def test_a_spoofed_move_of_someone_else_changes_nothing(
    alice: User, make_remote: Callable[..., RemoteActor], client: Client
) -> None:
    victim = make_remote("victim")
    mallory = make_remote("mallory")
    victim_account = resolve_account_url(victim.uri)
    Follow.objects.create(account=alice.account, target_account=victim_account)
    make_remote("trap", extra={"alsoKnownAs": [victim.uri]})
    spoof = mallory.activity("Move", victim.uri, target=mallory.url("/users/trap"))
    mallory.deliver(client, spoof)
    victim_account.refresh_from_db()
    assert victim_account.moved_to_id is None
    assert Follow.objects.filter(account=alice.account, target_account=victim_account).exists()


def test_own_deletion_needs_the_password_and_retires_the_username(
    alice: User, remote: RemoteActor, sent: Sent
) -> None:
    Follow.objects.create(account=resolve_account_url(remote.uri), target_account=alice.account)
    with pytest.raises(ValidationError, match="password"):
        do_delete_own_account(user=alice, password="wrong")
    assert User.objects.filter(pk=alice.pk).exists() and sent == []
    do_delete_own_account(user=alice, password=PASSWORD)
    assert not Account.objects.filter(username="alice", domain__isnull=True).exists()
    assert [a["type"] for _, a in sent] == ["Delete"]
    assert sent[0][1]["object"] == sent[0][1]["actor"]
    with pytest.raises(ValidationError, match="taken"):
        check_username("Alice")


def test_remote_accounts_moved_elsewhere_show_it_in_the_api(
    make_remote: Callable[..., RemoteActor], alice: User, client: Client
) -> None:
    new = make_remote("newbob", host="127.0.0.1")
    old = make_remote("oldbob", extra={"movedTo": new.uri})
    account = resolve_account_url(old.uri)
    response = client.get(f"/api/v1/accounts/{account.pk}")
    moved = response.json()["moved"]
    assert moved["uri"] == new.uri and "moved" not in moved


def test_blocks_and_mutes_of_the_old_account_carry_over(
    alice: User, make_user: Callable[..., User], make_remote: Callable[..., RemoteActor]
) -> None:
    old = make_remote("oldbob")
    new = make_remote("newbob", extra={"alsoKnownAs": [old.uri]})
    old_account = resolve_account_url(old.uri)
    carol = make_user("carol").account
    Block.objects.create(account=alice.account, target_account=old_account)
    Mute.objects.create(account=carol, target_account=old_account, hide_notifications=False)
    assert old.deliver(Client(), _move_activity(old, new.uri)).status_code == 202
    new_account = Account.objects.get(uri=new.uri)
    assert Block.objects.filter(account=alice.account, target_account=new_account).exists()
    mute = Mute.objects.get(account=carol, target_account=new_account)
    assert mute.hide_notifications is False
