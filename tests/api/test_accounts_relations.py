"""Follow, block, mute, note and endorse through the API, and what each changes elsewhere."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Block, Follow, FollowRequest, Mute
from tests.api.accounts_support import NOT_FOUND, SCOPE_ERROR
from timelines.models import Notification, NotificationType
from timelines.services.interactions import do_reblog
from timelines.services.statuses import StatusInput, do_create_status

RELATIONSHIP_KEYS = {
    "id", "following", "showing_reblogs", "notifying", "languages", "followed_by", "blocking",
    "blocked_by", "muting", "muting_notifications", "requested", "requested_by",
    "domain_blocking", "endorsed", "note",
}  # fmt: skip


def post(account, text, **extra):
    return do_create_status(account=account, data=StatusInput(text=text, **extra))


def test_follow_with_options_then_change_them_and_unfollow(alice, bob, http_for) -> None:
    client = http_for(alice)
    response = client.post(
        f"/api/v1/accounts/{bob.account.pk}/follow", data={"reblogs": "false", "notify": "1"}
    )
    assert response.status_code == 200, response.text
    rel = response.json()
    assert set(rel) == RELATIONSHIP_KEYS and rel["id"] == str(bob.account.pk)
    assert rel["following"] and not rel["showing_reblogs"] and rel["notifying"]
    assert not rel["requested"] and rel["note"] == "" and rel["languages"] is None
    assert (
        Notification.objects.filter(
            account=bob.account, from_account=alice.account, type=NotificationType.FOLLOW
        ).count()
        == 1
    )
    # Following again changes only the options sent, and notifies nobody twice.
    again = client.post(f"/api/v1/accounts/{bob.account.pk}/follow", json={"reblogs": True})
    assert again.json()["showing_reblogs"] and again.json()["notifying"]
    assert Notification.objects.filter(account=bob.account).count() == 1
    gone = client.post(f"/api/v1/accounts/{bob.account.pk}/unfollow").json()
    assert not gone["following"] and not Follow.objects.exists()


def test_locked_account_gets_a_request_it_can_authorize(alice, make_user, http_for) -> None:
    carol = make_user("carol", locked=True)
    rel = http_for(alice).post(f"/api/v1/accounts/{carol.account.pk}/follow").json()
    assert rel["requested"] and not rel["following"]
    carol_client = http_for(carol)
    listed = carol_client.get("/api/v1/follow_requests")
    assert [a["id"] for a in listed.json()] == [str(alice.account.pk)]
    answer = carol_client.post(f"/api/v1/follow_requests/{alice.account.pk}/authorize")
    assert answer.status_code == 200
    assert answer.json()["followed_by"] and not answer.json()["requested_by"]
    assert Follow.objects.filter(account=alice.account, target_account=carol.account).exists()
    assert Notification.objects.filter(
        account=carol.account, from_account=alice.account, type=NotificationType.FOLLOW
    ).exists()
    again = carol_client.post(f"/api/v1/follow_requests/{alice.account.pk}/authorize")
    assert again.status_code == 404 and again.json() == NOT_FOUND


def test_rejecting_a_request_removes_it(alice, make_user, http_for) -> None:
    carol = make_user("carol", locked=True)
    http_for(alice).post(f"/api/v1/accounts/{carol.account.pk}/follow")
    rel = http_for(carol).post(f"/api/v1/follow_requests/{alice.account.pk}/reject").json()
    assert not rel["requested_by"] and not rel["followed_by"]
    assert not FollowRequest.objects.exists() and not Follow.objects.exists()


@pytest.mark.parametrize("target", ["self", "unknown", "letters", "suspended", "pending"])
def test_follow_of_missing_or_invisible_accounts_is_404(alice, make_user, http_for, target) -> None:
    ids = {
        "self": lambda: alice.account.pk,
        "unknown": lambda: 123456789,
        "letters": lambda: "abc",
        "suspended": lambda: _suspended(make_user("sam")).pk,
        "pending": lambda: make_user("penny", approved=False).account.pk,
    }
    response = http_for(alice).post(f"/api/v1/accounts/{ids[target]()}/follow")
    assert response.status_code == 404 and response.json() == NOT_FOUND
    assert not Follow.objects.exists() and not FollowRequest.objects.exists()


def _suspended(user):
    user.account.suspended_at = timezone.now()
    user.account.save()
    return user.account


def test_follow_across_a_block_is_not_allowed(alice, bob, http_for) -> None:
    Block.objects.create(account=bob.account, target_account=alice.account)
    response = http_for(alice).post(f"/api/v1/accounts/{bob.account.pk}/follow")
    assert response.status_code == 403
    assert response.json() == {"error": "This action is not allowed"}
    assert not Follow.objects.exists()


def test_block_cuts_follows_and_requests_both_ways(alice, bob, make_user, api_for) -> None:
    Follow.objects.create(account=alice.account, target_account=bob.account)
    Follow.objects.create(account=bob.account, target_account=alice.account)
    post(bob.account, "hello @alice")
    assert Notification.objects.filter(account=alice.account).exists()
    api = api_for(alice)
    rel = api.account_block(bob.account.pk)
    assert rel["blocking"] and not rel["following"] and not rel["followed_by"]
    assert not Follow.objects.exists()
    assert not Notification.objects.filter(account=alice.account).exists()
    assert [a["id"] for a in api.blocks()] == [str(bob.account.pk)]
    bob_view = api_for(bob).account_relationships(alice.account.pk)[0]
    assert bob_view["blocked_by"] and not bob_view["blocking"]
    # A pending request from the blocked side disappears too.
    carol = make_user("carol", locked=True)
    FollowRequest.objects.create(account=bob.account, target_account=carol.account)
    api_for(carol).account_block(bob.account.pk)
    assert not FollowRequest.objects.exists()
    assert not api.account_unblock(bob.account.pk)["blocking"]
    assert not Block.objects.filter(account=alice.account).exists()


def test_mute_with_duration_and_without_notifications(alice, bob, api_for, http_for) -> None:
    client = http_for(alice)
    rel = client.post(
        f"/api/v1/accounts/{bob.account.pk}/mute", data={"notifications": "false", "duration": 60}
    ).json()
    assert rel["muting"] and not rel["muting_notifications"]
    muted = client.get("/api/v1/mutes").json()
    assert [a["id"] for a in muted] == [str(bob.account.pk)]
    expires = Mute.objects.get().expires_at
    assert expires is not None
    assert timedelta(seconds=50) < expires - timezone.now() <= timedelta(seconds=60)
    assert muted[0]["mute_expires_at"].endswith("Z")
    # Mentions still notify when notifications are not muted.
    post(bob.account, "hi @alice")
    assert Notification.objects.filter(account=alice.account).count() == 1
    # Once the time is up the mute no longer counts anywhere.
    Mute.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert not client.get(f"/api/v1/accounts/relationships?id[]={bob.account.pk}").json()[0][
        "muting"
    ]
    assert client.get("/api/v1/mutes").json() == []
    rel = client.post(f"/api/v1/accounts/{bob.account.pk}/mute").json()
    assert rel["muting"] and rel["muting_notifications"]
    assert Mute.objects.get().expires_at is None
    assert not Notification.objects.filter(account=alice.account).exists()
    post(bob.account, "hello again @alice")
    assert not Notification.objects.filter(account=alice.account).exists()
    assert not client.post(f"/api/v1/accounts/{bob.account.pk}/unmute").json()["muting"]


def test_muted_accounts_leave_home_and_public_timelines(alice, bob, make_user, api_for) -> None:
    carol = make_user("carol")
    Follow.objects.create(account=alice.account, target_account=bob.account)
    Follow.objects.create(account=alice.account, target_account=carol.account)
    from_bob = post(bob.account, "from bob")
    from_carol = post(carol.account, "from carol")
    reply = post(carol.account, "@bob answered", in_reply_to_id=from_bob.pk)
    own_reply = post(alice.account, "@bob mine", in_reply_to_id=from_bob.pk)
    api = api_for(alice)
    api.account_mute(bob.account.pk)
    home = {int(s["id"]) for s in api.timeline_home()}
    assert from_bob.pk not in home and reply.pk not in home
    assert {from_carol.pk, own_reply.pk} <= home
    public = {int(s["id"]) for s in api.timeline_public()}
    assert from_bob.pk not in public and from_carol.pk in public
    api.account_unmute(bob.account.pk)
    assert from_bob.pk in {int(s["id"]) for s in api.timeline_home()}


def test_note_is_set_replaced_and_cleared(alice, bob, http_for) -> None:
    client = http_for(alice)
    url = f"/api/v1/accounts/{bob.account.pk}/note"
    assert client.post(url, data={"comment": "met at the fair"}).json()["note"] == (
        "met at the fair"
    )
    too_long = client.post(url, json={"comment": "x" * 2001})
    assert too_long.status_code == 422
    assert too_long.json()["error"].startswith("Validation failed")
    assert client.post(url, json={"comment": "again"}).json()["note"] == "again"
    assert client.post(url, json={"comment": ""}).json()["note"] == ""
    bob_side = http_for(bob).get(f"/api/v1/accounts/relationships?id={alice.account.pk}")
    assert bob_side.json()[0]["note"] == ""


def test_endorsement_needs_a_follow_and_ends_with_it(alice, bob, api_for, http_for) -> None:
    client = http_for(alice)
    refused = client.post(f"/api/v1/accounts/{bob.account.pk}/pin")
    assert refused.status_code == 422
    assert "following" in refused.json()["error"]
    client.post(f"/api/v1/accounts/{bob.account.pk}/follow")
    assert client.post(f"/api/v1/accounts/{bob.account.pk}/pin").json()["endorsed"]
    assert client.post(f"/api/v1/accounts/{bob.account.pk}/pin").json()["endorsed"]
    assert [a["id"] for a in client.get("/api/v1/endorsements").json()] == [str(bob.account.pk)]
    assert not client.post(f"/api/v1/accounts/{bob.account.pk}/unpin").json()["endorsed"]
    client.post(f"/api/v1/accounts/{bob.account.pk}/endorse")
    client.post(f"/api/v1/accounts/{bob.account.pk}/unfollow")
    assert client.get("/api/v1/endorsements").json() == []


def test_remove_from_followers(alice, bob, http_for) -> None:
    Follow.objects.create(account=bob.account, target_account=alice.account)
    rel = http_for(alice).post(f"/api/v1/accounts/{bob.account.pk}/remove_from_followers")
    assert rel.status_code == 200 and not rel.json()["followed_by"]
    assert not Follow.objects.exists()


def test_relationships_keep_the_order_asked_and_skip_suspended(
    alice, bob, make_user, http_for
) -> None:
    carol = make_user("carol")
    sam = _suspended(make_user("sam"))
    Follow.objects.create(account=alice.account, target_account=carol.account)
    client = http_for(alice)
    ids = [carol.account.pk, 999, bob.account.pk, sam.pk]
    query = "&".join(f"id[]={pk}" for pk in ids)
    rels = client.get(f"/api/v1/accounts/relationships?{query}").json()
    assert [r["id"] for r in rels] == [str(carol.account.pk), str(bob.account.pk)]
    assert rels[0]["following"] and not rels[1]["following"]
    with_suspended = client.get(f"/api/v1/accounts/relationships?{query}&with_suspended=true")
    assert [r["id"] for r in with_suspended.json()][-1] == str(sam.pk)
    assert client.get("/api/v1/accounts/relationships").json() == []


def test_familiar_followers(alice, bob, make_user, api_for) -> None:
    carol, dave = make_user("carol"), make_user("dave")
    for follower in (bob, carol):
        Follow.objects.create(account=follower.account, target_account=dave.account)
    Follow.objects.create(account=alice.account, target_account=bob.account)
    result = api_for(alice).account_familiar_followers([dave.account.pk, carol.account.pk])
    assert [r["id"] for r in result] == [str(dave.account.pk), str(carol.account.pk)]
    assert [a["username"] for a in result[0]["accounts"]] == ["bob"]
    assert result[1]["accounts"] == []
    bob.account.hide_collections = True
    bob.account.save()
    assert api_for(alice).account_familiar_followers(dave.account.pk)[0]["accounts"] == []


def test_relationship_actions_need_their_scopes(alice, bob, http_for) -> None:
    reader = http_for(alice, scope="read")
    for action in ("follow", "block", "mute", "note", "pin"):
        response = reader.post(f"/api/v1/accounts/{bob.account.pk}/{action}")
        assert response.status_code == 403 and response.json() == SCOPE_ERROR
    blocks_only = http_for(alice, scope="write:blocks")
    assert blocks_only.post(f"/api/v1/accounts/{bob.account.pk}/follow").status_code == 403
    assert blocks_only.post(f"/api/v1/accounts/{bob.account.pk}/block").status_code == 200
    assert blocks_only.get("/api/v1/blocks").status_code == 403
    follow_scope = http_for(alice, scope="follow")
    assert follow_scope.get("/api/v1/blocks").status_code == 200
    assert follow_scope.post(f"/api/v1/accounts/{bob.account.pk}/unblock").status_code == 200
    assert not Follow.objects.exists() and not Block.objects.exists()
    assert reader.get(f"/api/v1/accounts/relationships?id[]={bob.account.pk}").status_code == 200


def test_boosts_of_blocked_accounts_leave_home(alice, bob, make_user, api_for) -> None:
    carol = make_user("carol")
    Follow.objects.create(account=alice.account, target_account=carol.account)
    from_bob = post(bob.account, "from bob")
    boost = do_reblog(account=carol.account, status=from_bob)
    own = post(carol.account, "just carol")
    api = api_for(alice)
    assert {boost.pk, own.pk} <= {int(s["id"]) for s in api.timeline_home()}
    api.account_block(bob.account.pk)
    home = {int(s["id"]) for s in api.timeline_home()}
    assert own.pk in home and boost.pk not in home
