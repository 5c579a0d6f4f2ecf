"""Boost, favourite, bookmark, conversation mute and pin through the API: each answers with
the post as it now stands, refuses what Mastodon refuses, and checks its scope."""

import pytest

from accounts.services.follows import do_follow
from timelines.models import (
    Bookmark,
    ConversationMute,
    Favourite,
    Notification,
    Status,
    StatusPin,
    Visibility,
)
from timelines.services.statuses import StatusInput, do_create_status


def post(user, text: str = "hello", **options) -> Status:
    return do_create_status(account=user.account, data=StatusInput(text=text, **options))


def test_favourite_and_unfavourite_show_the_new_counts(alice, bob, api_for) -> None:
    status = post(alice)
    api = api_for(bob)
    favourited = api.status_favourite(status.pk)
    assert favourited["id"] == str(status.pk)
    assert favourited["favourited"] is True and favourited["favourites_count"] == 1
    assert Notification.objects.filter(account=alice.account, type="favourite").count() == 1
    undone = api.status_unfavourite(status.pk)
    assert undone["favourited"] is False and undone["favourites_count"] == 0
    assert not Favourite.objects.exists()


def test_a_boost_answers_with_the_boost_wrapping_the_post(alice, bob, http_for) -> None:
    status = post(alice)
    http = http_for(bob)
    response = http.post(f"/api/v1/statuses/{status.pk}/reblog", data={"visibility": "unlisted"})
    assert response.status_code == 200, response.text
    boost = response.json()
    assert boost["id"] != str(status.pk) and boost["visibility"] == "unlisted"
    assert boost["account"]["username"] == "bob" and boost["content"] == ""
    assert boost["reblog"]["id"] == str(status.pk)
    assert boost["reblog"]["reblogged"] is True and boost["reblog"]["reblogs_count"] == 1
    # Boosting again gives back the same boost.
    again = http.post(f"/api/v1/statuses/{status.pk}/reblog").json()
    assert again["id"] == boost["id"]
    undone = http.post(f"/api/v1/statuses/{status.pk}/unreblog").json()
    assert undone["id"] == str(status.pk)
    assert undone["reblogged"] is False and undone["reblogs_count"] == 0
    assert not Status.objects.filter(reblog=status).exists()


def test_boost_visibility_defaults_to_public_and_is_checked(alice, bob, http_for) -> None:
    status = post(alice)
    http = http_for(bob)
    bad = http.post(f"/api/v1/statuses/{status.pk}/reblog", data={"visibility": "direct"})
    assert bad.status_code == 422
    assert bad.json() == {"error": "Validation failed: Visibility is not included in the list"}
    assert not Status.objects.filter(reblog=status).exists()
    boost = http.post(f"/api/v1/statuses/{status.pk}/reblog").json()
    assert boost["visibility"] == "public"


def test_a_followers_only_post_of_someone_else_cannot_be_boosted(alice, bob, http_for) -> None:
    do_follow(account=bob.account, target=alice.account)
    status = post(alice, visibility=Visibility.PRIVATE)
    response = http_for(bob).post(f"/api/v1/statuses/{status.pk}/reblog")
    assert response.status_code == 403
    assert response.json() == {"error": "This action is not allowed"}
    assert not Status.objects.filter(reblog=status).exists()


def test_bookmark_and_unbookmark(alice, bob, api_for) -> None:
    status = post(alice)
    api = api_for(bob)
    assert api.status_bookmark(status.pk)["bookmarked"] is True
    assert Bookmark.objects.filter(account=bob.account, status=status).exists()
    assert api.status_unbookmark(status.pk)["bookmarked"] is False
    assert not Bookmark.objects.exists()


def test_a_muted_conversation_sends_no_more_notifications(alice, bob, api_for) -> None:
    root = post(alice, "thread start")
    first = post(bob, "@alice first reply", in_reply_to_id=root.pk)
    api = api_for(alice)
    muted = api.status_mute(first.pk)
    assert muted["muted"] is True
    assert ConversationMute.objects.get(account=alice.account).status_id == root.pk
    assert api.status(root.pk)["muted"] is True  # the whole thread is muted
    before = Notification.objects.filter(account=alice.account).count()
    later = post(bob, "@alice second reply", in_reply_to_id=first.pk)
    assert Notification.objects.filter(account=alice.account).count() == before
    assert api.status(later.pk)["muted"] is True
    assert api.status_unmute(later.pk)["muted"] is False
    post(bob, "@alice third reply", in_reply_to_id=later.pk)
    assert Notification.objects.filter(account=alice.account).count() == before + 1


def test_pin_and_unpin_own_posts(alice, api_for) -> None:
    api = api_for(alice)
    status = post(alice)
    pinned = api.status_pin(status.pk)
    assert pinned["pinned"] is True
    assert StatusPin.objects.filter(account=alice.account, status=status).exists()
    followers_only = post(alice, "for followers", visibility=Visibility.PRIVATE)
    assert api.status_pin(followers_only.pk)["pinned"] is True
    assert api.status_unpin(status.pk)["pinned"] is False
    assert api.status(followers_only.pk)["pinned"] is True


def test_pin_refusals_use_mastodons_words(alice, bob, http_for) -> None:
    http = http_for(alice)
    theirs = post(bob)
    direct = post(alice, "@bob psst", visibility=Visibility.DIRECT)
    boost = http.post(f"/api/v1/statuses/{theirs.pk}/reblog").json()
    cases = {
        theirs.pk: "Validation failed: Someone else's post cannot be pinned",
        direct.pk: "Validation failed: Posts that are only visible to mentioned users cannot "
        "be pinned",
        int(boost["id"]): "Validation failed: A boost cannot be pinned",
    }
    for status_id, message in cases.items():
        response = http.post(f"/api/v1/statuses/{status_id}/pin")
        assert response.status_code == 422 and response.json() == {"error": message}
    assert not StatusPin.objects.exists()
    own = post(alice)
    assert http.post(f"/api/v1/statuses/{own.pk}/pin").status_code == 200
    twice = http.post(f"/api/v1/statuses/{own.pk}/pin")
    assert twice.status_code == 422 and twice.json() == {"error": "Duplicate record"}


def test_at_most_five_pins(alice, http_for) -> None:
    http = http_for(alice)
    for index in range(5):
        response = http.post(f"/api/v1/statuses/{post(alice, f'p{index}').pk}/pin")
        assert response.status_code == 200
    sixth = http.post(f"/api/v1/statuses/{post(alice, 'p5').pk}/pin")
    assert sixth.status_code == 422
    assert sixth.json() == {
        "error": "Validation failed: You have already pinned the maximum number of posts"
    }
    assert StatusPin.objects.count() == 5


@pytest.mark.parametrize(
    ("action", "scope"),
    [
        ("favourite", "write:statuses"),
        ("unfavourite", "write:bookmarks"),
        ("bookmark", "write:favourites"),
        ("unbookmark", "write:statuses"),
        ("reblog", "write:favourites"),
        ("unreblog", "write:bookmarks"),
        ("mute", "write:statuses"),
        ("unmute", "write:accounts"),
        ("pin", "write:statuses"),
        ("unpin", "write:mutes"),
    ],
)
def test_each_action_needs_its_own_scope(alice, http_for, action, scope) -> None:
    status = post(alice)
    response = http_for(alice, scope).post(f"/api/v1/statuses/{status.pk}/{action}")
    assert response.status_code == 403
    assert response.json() == {"error": "This action is outside the authorized scopes"}
    assert not Favourite.objects.exists() and not StatusPin.objects.exists()
    assert Status.objects.count() == 1 and not ConversationMute.objects.exists()


def test_the_right_scopes_are_enough(alice, bob, http_for) -> None:
    status = post(alice)
    cases = {"favourite": "write:favourites", "bookmark": "write:bookmarks",
             "reblog": "write:statuses", "mute": "write:mutes"}  # fmt: skip
    for action, scope in cases.items():
        response = http_for(bob, scope).post(f"/api/v1/statuses/{status.pk}/{action}")
        assert response.status_code == 200, (action, response.text)
    own = http_for(alice, "write:accounts").post(f"/api/v1/statuses/{status.pk}/pin")
    assert own.status_code == 200


@pytest.mark.parametrize("action", ["favourite", "reblog", "bookmark", "mute", "pin"])
def test_unknown_and_invisible_posts_answer_as_missing(alice, bob, http_for, action) -> None:
    hidden = post(bob, "followers only", visibility=Visibility.PRIVATE)
    http = http_for(alice)
    for status_id in (hidden.pk, 999, "abc"):
        response = http.post(f"/api/v1/statuses/{status_id}/{action}")
        assert response.status_code == 404
        assert response.json() == {"error": "Record not found"}
    assert not Favourite.objects.exists() and not Bookmark.objects.exists()
    assert not StatusPin.objects.exists() and not ConversationMute.objects.exists()
    assert Status.objects.count() == 1


def test_anonymous_callers_are_refused(alice, base_url) -> None:
    import httpx

    status = post(alice)
    response = httpx.post(f"{base_url}/api/v1/statuses/{status.pk}/favourite")
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}
