"""POST /api/v1/statuses with polls, media ids, scheduling and the Idempotency-Key header."""

from datetime import UTC, datetime, timedelta

import pytest
import redis
from django.conf import settings

from timelines.models import Poll, ScheduledStatus, Status

POLL_KEYS = {
    "id", "expires_at", "expired", "multiple", "votes_count", "voters_count", "options",
    "emojis", "voted", "own_votes",
}  # fmt: skip


def later(minutes: int) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).isoformat()


def test_a_poll_is_created_and_shown_as_mastodon_shows_it(alice, api_for) -> None:
    api = api_for(alice)
    posted = api.status_post("Tea or coffee?", poll=api.make_poll(["Tea", "Coffee"], 3600))
    poll = posted["poll"]
    assert set(poll) == POLL_KEYS
    assert [o["title"] for o in poll["options"]] == ["Tea", "Coffee"]
    assert [o["votes_count"] for o in poll["options"]] == [0, 0]
    assert poll["multiple"] is False and poll["expired"] is False
    assert poll["votes_count"] == 0 and poll["voters_count"] == 0
    assert poll["voted"] is True and poll["own_votes"] == []  # the author counts as voted
    remaining = poll["expires_at"] - datetime.now(UTC)
    assert timedelta(minutes=59) < remaining <= timedelta(hours=1)
    again = api.status(posted["id"])
    assert again["poll"]["id"] == poll["id"]
    assert Poll.objects.get(status_id=int(posted["id"])).options == ["Tea", "Coffee"]


def test_a_poll_sent_as_a_form_with_bracket_keys(alice, http_for) -> None:
    http = http_for(alice)
    response = http.post(
        "/api/v1/statuses",
        data={
            "status": "Which?",
            "poll[options][]": ["One", "Two", "Three"],
            "poll[expires_in]": "600",
            "poll[multiple]": "true",
            "poll[hide_totals]": "1",
        },
    )
    assert response.status_code == 200, response.text
    poll = response.json()["poll"]
    assert poll["multiple"] is True
    # Hidden totals show as null until the poll ends.
    assert [o["votes_count"] for o in poll["options"]] == [None, None, None]


@pytest.mark.parametrize(
    ("poll", "message"),
    [
        ({"options": ["Only"], "expires_in": 600},
         "Validation failed: Poll options must have more than one item"),
        ({"options": ["a", "b", "c", "d", "e"], "expires_in": 600},
         "Validation failed: Poll options can't contain more than 4 items"),
        ({"options": ["a", "x" * 51], "expires_in": 600},
         "Validation failed: Poll options cannot be longer than 50 characters each"),
        ({"options": ["same", "same"], "expires_in": 600},
         "Validation failed: Poll options contain duplicate items"),
        ({"options": ["a", "b"], "expires_in": 60},
         "Validation failed: Poll expires at is too soon"),
        ({"options": ["a", "b"], "expires_in": 40_000_000},
         "Validation failed: Poll expires at is too far into the future"),
        ({"options": ["a", "b"]}, "Validation failed: Poll expires at can't be blank"),
    ],
)  # fmt: skip
def test_bad_polls_are_refused_and_nothing_is_posted(alice, http_for, poll, message) -> None:
    response = http_for(alice).post("/api/v1/statuses", json={"status": "Q?", "poll": poll})
    assert response.status_code == 422
    assert response.json() == {"error": message}
    assert not Status.objects.exists() and not Poll.objects.exists()


def test_unknown_media_is_refused_as_mastodon_refuses_it(alice, http_for) -> None:
    http = http_for(alice)
    response = http.post("/api/v1/statuses", data={"status": "pic", "media_ids[]": ["1234"]})
    assert response.status_code == 422
    assert response.json() == {"error": "Media 1234 not found or already attached to another post"}
    too_many = http.post("/api/v1/statuses", json={"status": "x", "media_ids": list("12345")})
    assert too_many.json() == {"error": "Cannot attach more than 4 files"}
    with_poll = http.post(
        "/api/v1/statuses",
        json={"status": "x", "media_ids": ["1"], "poll": {"options": ["a", "b"],
                                                          "expires_in": 600}},
    )  # fmt: skip
    assert with_poll.status_code == 422
    assert with_poll.json() == {"error": "Cannot attach more than 4 files"}
    assert not Status.objects.exists()


def test_over_long_text_with_a_poll_is_refused(alice, http_for) -> None:
    response = http_for(alice).post(
        "/api/v1/statuses",
        json={"status": "x" * 501, "poll": {"options": ["a", "b"], "expires_in": 600}},
    )
    assert response.status_code == 422
    assert response.json()["error"] == "Validation failed: Text character limit of 500 exceeded"
    assert not Poll.objects.exists()


def test_scheduling_returns_a_scheduled_status_and_posts_nothing(alice, http_for) -> None:
    http = http_for(alice)
    when = later(30)
    response = http.post(
        "/api/v1/statuses",
        json={"status": "later", "scheduled_at": when, "visibility": "unlisted",
              "poll": {"options": ["a", "b"], "expires_in": 600}},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"id", "scheduled_at", "params", "media_attachments"}
    assert body["media_attachments"] == []
    params = body["params"]
    assert params["text"] == "later" and params["visibility"] == "unlisted"
    assert params["poll"] == {"options": ["a", "b"], "expires_in": "600", "multiple": False,
                              "hide_totals": False}  # fmt: skip
    assert params["scheduled_at"] is None and params["in_reply_to_id"] is None
    assert isinstance(params["application_id"], int)
    assert not Status.objects.exists()
    assert ScheduledStatus.objects.get().params["text"] == "later"


def test_schedule_times_that_are_too_soon_past_or_unreadable(alice, http_for) -> None:
    http = http_for(alice)
    soon = http.post("/api/v1/statuses", json={"status": "x", "scheduled_at": later(2)})
    assert soon.status_code == 422
    assert soon.json() == {"error": "Validation failed: Scheduled at date must be in the future"}
    garbage = http.post("/api/v1/statuses", json={"status": "x", "scheduled_at": "tomorrow"})
    assert garbage.status_code == 422 and garbage.json() == {"error": "Record invalid"}
    assert not Status.objects.exists() and not ScheduledStatus.objects.exists()
    # A time already past posts at once, as Mastodon does.
    past = http.post("/api/v1/statuses", json={"status": "now", "scheduled_at": later(-10)})
    assert past.status_code == 200 and past.json()["content"] == "<p>now</p>"


def test_a_scheduled_post_is_validated_when_scheduled(alice, http_for) -> None:
    response = http_for(alice).post(
        "/api/v1/statuses", json={"status": " ", "scheduled_at": later(30)}
    )
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: Text can't be blank"}
    assert not ScheduledStatus.objects.exists()


def test_the_same_idempotency_key_gives_back_the_same_post(alice, bob, api_for) -> None:
    api = api_for(alice)
    first = api.status_post("only once", idempotency_key="key-1")
    second = api.status_post("only once", idempotency_key="key-1")
    assert first["id"] == second["id"] and second["content"] == "<p>only once</p>"
    assert Status.objects.count() == 1
    other = api.status_post("only once", idempotency_key="key-2")
    assert other["id"] != first["id"]
    # Keys belong to an account: the same key from someone else is a new post.
    theirs = api_for(bob).status_post("only once", idempotency_key="key-1")
    assert theirs["id"] != first["id"]
    assert Status.objects.count() == 3
    client = redis.Redis.from_url(settings.REDIS_URL)
    keys = list(client.scan_iter("*idempotency:status:*"))
    assert len([k for k in keys if not k.endswith(b":lock")]) == 3
    assert all(0 < client.ttl(k) <= 3600 for k in keys)


def test_an_idempotent_schedule_gives_back_the_same_scheduled_status(alice, http_for) -> None:
    http = http_for(alice)
    body = {"status": "later", "scheduled_at": later(30)}
    headers = {"Idempotency-Key": "sched"}
    first = http.post("/api/v1/statuses", json=body, headers=headers).json()
    second = http.post("/api/v1/statuses", json=body, headers=headers).json()
    assert first == second and ScheduledStatus.objects.count() == 1


def test_a_failed_post_does_not_use_up_its_key(alice, http_for) -> None:
    http = http_for(alice)
    headers = {"Idempotency-Key": "retry"}
    refused = http.post("/api/v1/statuses", json={"status": ""}, headers=headers)
    assert refused.status_code == 422
    posted = http.post("/api/v1/statuses", json={"status": "fixed"}, headers=headers)
    assert posted.status_code == 200 and posted.json()["content"] == "<p>fixed</p>"


def test_posting_needs_write_statuses(alice, http_for) -> None:
    response = http_for(alice, "read").post(
        "/api/v1/statuses", json={"status": "x", "poll": {"options": ["a", "b"],
                                                          "expires_in": 600}}
    )  # fmt: skip
    assert response.status_code == 403
    assert response.json() == {"error": "This action is outside the authorized scopes"}
    assert not Status.objects.exists()
