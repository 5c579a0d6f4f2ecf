"""GET /api/v1/polls/:id, POST /api/v1/polls/:id/votes, and the task that closes polls."""

from datetime import timedelta

import httpx
import pytest
from django.utils import timezone

from accounts.services.follows import do_follow
from timelines.models import Notification, Poll, PollVote, Status, Visibility
from timelines.services.polls import PollInput, do_vote
from timelines.services.statuses import StatusInput, do_create_status
from timelines.tasks import close_expired_polls


def poll_post(user, *options: str, multiple=False, hide_totals=False, **extra) -> Poll:
    data = StatusInput(
        text="poll", poll=PollInput(options or ("a", "b"), 600, multiple, hide_totals), **extra
    )
    return do_create_status(account=user.account, data=data).poll


def expire(poll: Poll) -> None:
    Poll.objects.filter(pk=poll.pk).update(expires_at=timezone.now() - timedelta(seconds=1))


def test_get_a_poll_anonymously_and_as_a_user(alice, bob, base_url, api_for) -> None:
    poll = poll_post(alice, "yes", "no")
    anonymous = httpx.get(f"{base_url}/api/v1/polls/{poll.pk}").json()
    assert anonymous["id"] == str(poll.pk)
    assert "voted" not in anonymous and "own_votes" not in anonymous
    assert [o["title"] for o in anonymous["options"]] == ["yes", "no"]
    seen = api_for(bob).poll(poll.pk)
    assert seen["voted"] is False and seen["own_votes"] == []


def test_voting_counts_and_shows_own_votes(alice, bob, make_user, api_for) -> None:
    poll = poll_post(alice, "yes", "no")
    voted = api_for(bob).poll_vote(poll.pk, [1])
    assert voted["voted"] is True and voted["own_votes"] == [1]
    assert voted["votes_count"] == 1 and voted["voters_count"] == 1
    assert [o["votes_count"] for o in voted["options"]] == [0, 1]
    again = api_for(make_user("carol")).poll_vote(poll.pk, [1])
    assert [o["votes_count"] for o in again["options"]] == [0, 2]
    # The post shows the same poll to the voter.
    status = api_for(bob).status(poll.status_id)
    assert status["poll"]["own_votes"] == [1] and status["poll"]["votes_count"] == 2


def test_a_multiple_choice_poll_takes_several_choices(alice, bob, http_for) -> None:
    poll = poll_post(alice, "a", "b", "c", multiple=True)
    http = http_for(bob)
    response = http.post(f"/api/v1/polls/{poll.pk}/votes", data={"choices[]": ["0", "2"]})
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["own_votes"] == [0, 2] and body["votes_count"] == 2 and body["voters_count"] == 1
    more = http.post(f"/api/v1/polls/{poll.pk}/votes", json={"choices": [1]}).json()
    assert more["own_votes"] == [0, 1, 2] and more["voters_count"] == 1
    repeat = http.post(f"/api/v1/polls/{poll.pk}/votes", json={"choices": [1]})
    assert repeat.status_code == 422
    assert repeat.json() == {"error": "Validation failed: You have already voted on this poll"}


@pytest.mark.parametrize(
    ("choices", "message"),
    [
        ([5], "Validation failed: The chosen vote option does not exist"),
        (["x"], "Validation failed: The chosen vote option does not exist"),
        ([0, 1], "Validation failed: You have already voted on this poll"),
    ],
)
def test_bad_votes_are_refused(alice, bob, http_for, choices, message) -> None:
    poll = poll_post(alice)
    response = http_for(bob).post(f"/api/v1/polls/{poll.pk}/votes", json={"choices": choices})
    assert response.status_code == 422 and response.json() == {"error": message}
    assert not PollVote.objects.exists()
    assert Poll.objects.get(pk=poll.pk).votes_count == 0


def test_one_vote_on_a_single_choice_poll_and_none_on_ones_own(alice, bob, http_for) -> None:
    poll = poll_post(alice)
    http = http_for(bob)
    assert http.post(f"/api/v1/polls/{poll.pk}/votes", json={"choices": [0]}).status_code == 200
    second = http.post(f"/api/v1/polls/{poll.pk}/votes", json={"choices": [1]})
    assert second.json() == {"error": "Validation failed: You have already voted on this poll"}
    own = http_for(alice).post(f"/api/v1/polls/{poll.pk}/votes", json={"choices": [0]})
    assert own.status_code == 422
    assert own.json() == {"error": "Validation failed: You cannot vote in your own polls"}
    assert PollVote.objects.count() == 1


def test_missing_choices_and_expired_polls(alice, bob, http_for) -> None:
    poll = poll_post(alice)
    http = http_for(bob)
    missing = http.post(f"/api/v1/polls/{poll.pk}/votes", json={})
    assert missing.status_code == 400
    assert missing.json() == {"error": "param is missing or the value is empty: choices"}
    expire(poll)
    late = http.post(f"/api/v1/polls/{poll.pk}/votes", json={"choices": [0]})
    assert late.status_code == 422
    assert late.json() == {"error": "Validation failed: The poll has already ended"}
    assert not PollVote.objects.exists()


def test_hidden_totals_show_once_the_poll_ends(alice, bob, http_for) -> None:
    poll = poll_post(alice, hide_totals=True)
    http = http_for(bob)
    body = http.post(f"/api/v1/polls/{poll.pk}/votes", json={"choices": [0]}).json()
    assert [o["votes_count"] for o in body["options"]] == [None, None]
    assert body["votes_count"] == 1
    expire(poll)
    ended = http.get(f"/api/v1/polls/{poll.pk}").json()
    assert ended["expired"] is True
    assert [o["votes_count"] for o in ended["options"]] == [1, 0]


def test_invisible_and_unknown_polls_answer_as_missing(alice, bob, http_for) -> None:
    hidden = poll_post(alice, visibility=Visibility.PRIVATE)
    http = http_for(bob)
    for poll_id in (hidden.pk, 12345, "nope"):
        assert http.get(f"/api/v1/polls/{poll_id}").status_code == 404
        voted = http.post(f"/api/v1/polls/{poll_id}/votes", json={"choices": [0]})
        assert voted.status_code == 404 and voted.json() == {"error": "Record not found"}
    assert not PollVote.objects.exists()
    do_follow(account=bob.account, target=alice.account)
    assert http.get(f"/api/v1/polls/{hidden.pk}").status_code == 200


def test_scopes_for_polls(alice, bob, http_for) -> None:
    poll = poll_post(alice)
    reader = http_for(bob, "read:statuses")
    assert reader.get(f"/api/v1/polls/{poll.pk}").status_code == 200
    refused = reader.post(f"/api/v1/polls/{poll.pk}/votes", json={"choices": [0]})
    assert refused.status_code == 403
    assert refused.json() == {"error": "This action is outside the authorized scopes"}
    assert http_for(bob, "read:accounts").get(f"/api/v1/polls/{poll.pk}").status_code == 403
    writer = http_for(bob, "write:statuses")
    assert writer.post(f"/api/v1/polls/{poll.pk}/votes", json={"choices": [0]}).status_code == 200


def test_closing_an_ended_poll_tells_the_voters_and_the_author(alice, bob, make_user) -> None:
    carol = make_user("carol")
    poll = poll_post(alice)
    running = poll_post(alice)
    do_vote(account=bob.account, poll=poll, choices=[0])
    do_vote(account=carol.account, poll=running, choices=[1])
    expire(poll)
    assert close_expired_polls() == 1
    told = Notification.objects.filter(type="poll").order_by("account__username")
    assert [(n.account.username, n.from_account.username, n.status_id) for n in told] == [
        ("alice", "alice", poll.status_id),
        ("bob", "alice", poll.status_id),
    ]
    assert close_expired_polls() == 0  # each poll is announced once
    assert Notification.objects.filter(type="poll").count() == 2
    assert Poll.objects.get(pk=poll.pk).closed and not Poll.objects.get(pk=running.pk).closed


def test_deleting_a_post_deletes_its_poll(alice, http_for) -> None:
    poll = poll_post(alice)
    response = http_for(alice).delete(f"/api/v1/statuses/{poll.status_id}")
    assert response.status_code == 200
    assert response.json()["poll"]["id"] == str(poll.pk)  # kept for delete and redraft
    assert not Poll.objects.exists() and not Status.objects.exists()
