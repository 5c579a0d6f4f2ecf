"""The streams of one user (user, user:notification, direct, list), the token taken from each
of its three places, and what each viewer is kept from seeing: followers-only posts outside
public streams, posts of accounts they block or mute, posts their filters hide."""

import json
from collections.abc import Callable

import pytest

from accounts.models import User
from tests.streaming.conftest import EventStream, Socket
from tests.streaming.test_public_streams import post


def follow(http, token: str, user: User) -> None:
    response = http(token).post(f"/api/v1/accounts/{user.account.pk}/follow")
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("place", ["header", "query", "protocol"])
def test_token_from_each_place(
    place: str, alice: User, bob: User, token_for, open_socket: Callable[..., Socket], http
) -> None:
    token = token_for(alice)
    if place == "header":
        socket = open_socket(
            "?stream=user:notification", additional_headers={"Authorization": f"Bearer {token}"}
        )
    elif place == "query":
        socket = open_socket(f"?stream=user:notification&access_token={token}")
    else:
        socket = open_socket("?stream=user:notification", subprotocols=[token])
        assert socket.connection.subprotocol == token  # echoed back, as browsers require
    post(http, token_for(bob), "hi @alice")
    message = socket.event("notification")
    assert message["stream"] == ["user:notification"]
    notification = json.loads(message["payload"])
    assert notification["type"] == "mention"
    assert notification["account"]["username"] == "bob"
    assert "hi" in notification["status"]["content"]


def test_invalid_token_is_refused(open_socket: Callable[..., Socket]) -> None:
    from websockets.exceptions import InvalidStatus

    with pytest.raises(InvalidStatus):
        open_socket("?stream=public&access_token=wrong")


def test_user_stream_updates_and_followers_only_privacy(
    alice: User, bob: User, make_user, token_for, open_socket: Callable[..., Socket], http
) -> None:
    alice_token, bob_token = token_for(alice), token_for(bob)
    follow(http, bob_token, alice)
    carol_token = token_for(make_user("carol"))
    follower = open_socket(f"?stream=user&access_token={bob_token}")
    stranger = open_socket(f"?stream=public&access_token={carol_token}")
    created = post(http, alice_token, "for my followers", visibility="private")
    message = follower.event("update")
    assert message["stream"] == ["user"]
    assert json.loads(message["payload"])["id"] == created["id"]
    assert stranger.quiet(0.7) == []
    http(bob_token).post("/api/v2/filters", json={"title": "x", "context": ["home"]})
    assert follower.event("filters_changed")["payload"] == ""


def test_blocked_and_muted_authors_are_not_delivered(
    alice: User, bob: User, make_user, token_for, open_socket: Callable[..., Socket], http
) -> None:
    alice_token = token_for(alice)
    blocker_token, muter_token = token_for(bob), token_for(make_user("carol"))
    assert http(blocker_token).post(f"/api/v1/accounts/{alice.account.pk}/block").is_success
    assert http(muter_token).post(f"/api/v1/accounts/{alice.account.pk}/mute").is_success
    blocker = open_socket(f"?stream=public&access_token={blocker_token}")
    muter = open_socket(f"?stream=hashtag&tag=hi&access_token={muter_token}")
    anonymous = open_socket("?stream=public")
    created = post(http, alice_token, "#hi there")
    assert json.loads(anonymous.event("update")["payload"])["id"] == created["id"]
    assert blocker.quiet(0.5) == []
    assert muter.quiet(0.5) == []
    # The blocked author cannot see the blocker's posts either.
    author = open_socket(f"?stream=public&access_token={alice_token}")
    post(http, blocker_token, "not for alice")
    assert anonymous.event("update")
    assert author.quiet(0.5) == []


def test_filters_hide_or_mark_posts(
    alice: User, bob: User, token_for, open_socket: Callable[..., Socket], http
) -> None:
    alice_token, bob_token = token_for(alice), token_for(bob)
    for action, word in (("hide", "spoilers"), ("warn", "politics")):
        created = http(bob_token).post(
            "/api/v2/filters",
            json={"title": word, "context": ["public"], "filter_action": action,
                  "keywords_attributes": [{"keyword": word}]},
        )  # fmt: skip
        assert created.status_code == 200, created.text
    socket = open_socket(f"?stream=public&access_token={bob_token}")
    post(http, alice_token, "big spoilers ahead")
    warned = post(http, alice_token, "some politics")
    status = json.loads(socket.event("update")["payload"])
    assert status["id"] == warned["id"]
    assert status["filtered"][0]["filter"]["title"] == "politics"
    assert status["filtered"][0]["keyword_matches"] == ["politics"]


def test_direct_stream_gets_conversations(
    alice: User, bob: User, token_for, open_sse: Callable[..., EventStream], http
) -> None:
    alice_token = token_for(alice)
    follow(http, alice_token, bob)  # private mentions from strangers are held back by default
    stream = open_sse("direct", token=alice_token)
    assert stream.status == 200
    created = post(http, token_for(bob), "@alice a secret", visibility="direct")
    conversation = json.loads(stream.event("conversation"))
    assert conversation["last_status"]["id"] == created["id"]
    assert [a["username"] for a in conversation["accounts"]] == ["bob"]


def test_list_stream(
    alice: User, bob: User, make_user, token_for, open_socket: Callable[..., Socket], http
) -> None:
    alice_token, bob_token = token_for(alice), token_for(bob)
    follow(http, alice_token, bob)
    created = http(alice_token).post("/api/v1/lists", json={"title": "friends"}).json()
    added = http(alice_token).post(
        f"/api/v1/lists/{created['id']}/accounts", json={"account_ids": [str(bob.account.pk)]}
    )
    assert added.status_code == 200, added.text
    socket = open_socket(f"?access_token={alice_token}")
    socket.send({"type": "subscribe", "stream": "list", "list": created["id"]})
    status = post(http, bob_token, "to my listeners")
    message = socket.event("update")
    assert message["stream"] == ["list", created["id"]]
    assert json.loads(message["payload"])["id"] == status["id"]
    # Someone else's list is not theirs to stream.
    carol = open_socket(f"?access_token={token_for(make_user('carol'))}")
    carol.send({"type": "subscribe", "stream": "list", "list": created["id"]})
    assert carol.next()["status"] == 404


def test_announcement_reactions_reach_user_streams(
    alice: User, bob: User, token_for, open_socket: Callable[..., Socket], http
) -> None:
    from django.utils import timezone

    from moderation.models import Announcement

    announcement = Announcement.objects.create(text="Hello all", published_at=timezone.now())
    socket = open_socket(f"?stream=user&access_token={token_for(bob)}")
    notifications_only = open_socket(f"?stream=user:notification&access_token={token_for(bob)}")
    reacted = http(token_for(alice)).put(f"/api/v1/announcements/{announcement.pk}/reactions/👍")
    assert reacted.status_code == 200, reacted.text
    message = socket.event("announcement.reaction")
    assert message["stream"] == ["user"]
    assert json.loads(message["payload"]) == {
        "name": "👍", "count": 1, "announcement_id": str(announcement.pk),
    }  # fmt: skip
    assert notifications_only.quiet(0.5) == []


def test_edits_reach_the_user_and_list_streams_holding_the_post(
    alice: User, bob: User, make_user, token_for, open_socket: Callable[..., Socket], http
) -> None:
    alice_token, bob_token = token_for(alice), token_for(bob)
    follow(http, alice_token, bob)
    listed = http(alice_token).post("/api/v1/lists", json={"title": "friends"}).json()
    http(alice_token).post(
        f"/api/v1/lists/{listed['id']}/accounts", json={"account_ids": [str(bob.account.pk)]}
    )
    carol_token = token_for(make_user("carol"))
    created = post(http, bob_token, "first words", visibility="private")
    home = open_socket(f"?stream=user&access_token={alice_token}")
    socket = open_socket(f"?access_token={alice_token}")
    socket.send({"type": "subscribe", "stream": "list", "list": listed["id"]})
    own = open_socket(f"?stream=user&access_token={bob_token}")
    stranger = open_socket(f"?stream=user&access_token={carol_token}")
    edited = http(bob_token).put(f"/api/v1/statuses/{created['id']}", json={"status": "better"})
    assert edited.status_code == 200, edited.text

    for stream, expected in ((home, ["user"]), (socket, ["list", listed["id"]]), (own, ["user"])):
        message = stream.event("status.update")
        assert message["stream"] == expected
        payload = json.loads(message["payload"])
        assert payload["id"] == created["id"] and "better" in payload["content"]
    assert stranger.quiet(0.7) == []
