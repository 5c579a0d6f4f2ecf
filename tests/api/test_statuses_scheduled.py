"""Scheduled statuses: list, show, reschedule, cancel, limits, and publishing on time."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlparse

from django.utils import timezone

from timelines.models import Poll, ScheduledStatus, Status, Visibility
from timelines.services.polls import PollInput
from timelines.services.scheduled import do_schedule_status
from timelines.services.statuses import StatusInput, do_create_status
from timelines.tasks import publish_scheduled_statuses


def schedule(user, text: str = "later", minutes: int = 30, **options) -> ScheduledStatus:
    return do_schedule_status(
        account=user.account,
        data=StatusInput(text=text, **options),
        scheduled_at=timezone.now() + timedelta(minutes=minutes),
    )


def make_due(item: ScheduledStatus) -> None:
    past = timezone.now() - timedelta(seconds=1)
    ScheduledStatus.objects.filter(pk=item.pk).update(scheduled_at=past)


def test_schedule_list_show_and_cancel_with_mastodon_py(alice, api_for) -> None:
    api = api_for(alice)
    when = datetime.now(UTC) + timedelta(hours=2)
    made = api.status_post("see you later", scheduled_at=when)
    assert made["params"]["text"] == "see you later"
    assert abs(made["scheduled_at"] - when) < timedelta(seconds=1)
    listed = api.scheduled_statuses()
    assert [item["id"] for item in listed] == [made["id"]]
    shown = api.scheduled_status(made["id"])
    assert shown["params"]["visibility"] == "public"
    moved = api.scheduled_status_update(made["id"], when + timedelta(hours=1))
    assert abs(moved["scheduled_at"] - (when + timedelta(hours=1))) < timedelta(seconds=1)
    api.scheduled_status_delete(made["id"])
    assert not ScheduledStatus.objects.exists()


def test_the_list_is_paged_newest_first(alice, http_for) -> None:
    items = [schedule(alice, f"post {index}", minutes=30 + index) for index in range(3)]
    http = http_for(alice)
    first = http.get("/api/v1/scheduled_statuses", params={"limit": 2})
    assert [s["id"] for s in first.json()] == [str(items[2].pk), str(items[1].pk)]
    query = parse_qs(urlparse(first.links["next"]["url"]).query)
    assert query["max_id"] == [str(items[1].pk)]
    rest = http.get("/api/v1/scheduled_statuses", params={"limit": 2, "max_id": items[1].pk})
    assert [s["id"] for s in rest.json()] == [str(items[0].pk)]


def test_rescheduling_too_soon_is_refused(alice, http_for) -> None:
    item = schedule(alice)
    http = http_for(alice)
    soon = (datetime.now(UTC) + timedelta(minutes=1)).isoformat()
    response = http.put(f"/api/v1/scheduled_statuses/{item.pk}", data={"scheduled_at": soon})
    assert response.status_code == 422
    message = "Validation failed: Scheduled at date must be in the future"
    assert response.json() == {"error": message}
    assert ScheduledStatus.objects.get(pk=item.pk).scheduled_at == item.scheduled_at


def test_others_scheduled_statuses_answer_as_missing(alice, bob, http_for) -> None:
    theirs = schedule(bob)
    http = http_for(alice)
    for method in ("get", "delete"):
        response = getattr(http, method)(f"/api/v1/scheduled_statuses/{theirs.pk}")
        assert response.status_code == 404 and response.json() == {"error": "Record not found"}
    assert http.put(f"/api/v1/scheduled_statuses/{theirs.pk}").status_code == 404
    assert http.get("/api/v1/scheduled_statuses/abc").status_code == 404
    assert http.get("/api/v1/scheduled_statuses").json() == []
    assert ScheduledStatus.objects.filter(pk=theirs.pk).exists()


def test_cancelling_answers_an_empty_object(alice, http_for) -> None:
    item = schedule(alice)
    response = http_for(alice).delete(f"/api/v1/scheduled_statuses/{item.pk}")
    assert response.status_code == 200 and response.json() == {}
    assert not ScheduledStatus.objects.exists()


def test_scopes_for_scheduled_statuses(alice, http_for) -> None:
    item = schedule(alice)
    writer = http_for(alice, "write:statuses")
    assert writer.get("/api/v1/scheduled_statuses").status_code == 403
    reader = http_for(alice, "read:statuses")
    assert reader.get(f"/api/v1/scheduled_statuses/{item.pk}").status_code == 200
    refused = reader.delete(f"/api/v1/scheduled_statuses/{item.pk}")
    assert refused.status_code == 403
    assert refused.json() == {"error": "This action is outside the authorized scopes"}
    assert ScheduledStatus.objects.filter(pk=item.pk).exists()


def test_at_most_25_scheduled_posts_a_day(alice, http_for) -> None:
    base = timezone.now().replace(hour=12, minute=0) + timedelta(days=2)
    for index in range(25):
        do_schedule_status(account=alice.account, data=StatusInput(text=f"n{index}"),
                           scheduled_at=base + timedelta(minutes=index))  # fmt: skip
    response = http_for(alice).post(
        "/api/v1/statuses", json={"status": "one more", "scheduled_at": base.isoformat()}
    )
    assert response.status_code == 422
    assert response.json() == {
        "error": "Validation failed: You have exceeded the limit of 25 scheduled posts for today"
    }
    assert ScheduledStatus.objects.count() == 25


def test_due_posts_are_published_with_everything_they_were_given(alice, bob) -> None:
    parent = do_create_status(account=bob.account, data=StatusInput(text="question"))
    due = schedule(alice, "@bob answer #later", in_reply_to_id=parent.pk,
                   visibility=Visibility.UNLISTED, spoiler_text="cw",
                   poll=PollInput(("a", "b"), 600))  # fmt: skip
    not_yet = schedule(alice, "not yet")
    assert publish_scheduled_statuses() == 0  # nothing is due yet
    make_due(due)
    assert publish_scheduled_statuses() == 1
    published = Status.objects.get(text="@bob answer #later")
    assert published.in_reply_to_id == parent.pk and published.visibility == "unlisted"
    assert published.spoiler_text == "cw" and published.sensitive
    assert Poll.objects.get(status=published).options == ["a", "b"]
    assert [t.name for t in published.tags.all()] == ["later"]
    assert list(ScheduledStatus.objects.values_list("pk", flat=True)) == [not_yet.pk]
    assert publish_scheduled_statuses() == 0


def test_a_post_that_can_no_longer_be_made_is_dropped(alice, bob) -> None:
    parent = do_create_status(account=bob.account, data=StatusInput(text="question"))
    due = schedule(alice, "answer", in_reply_to_id=parent.pk)
    parent.delete()
    make_due(due)
    assert publish_scheduled_statuses() == 0
    assert not ScheduledStatus.objects.exists()
    assert not Status.objects.filter(account=alice.account).exists()
