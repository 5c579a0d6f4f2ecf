"""Home pages are built from status entities rendered once and reused: what they serve must be
exactly what rendering afresh gives, and a change of any part of a status (an edit, a count, the
author's profile, a poll vote, a deletion) must show on the very next read."""

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from rest_framework.renderers import JSONRenderer

from accounts.models import Account, User
from accounts.services.credentials import CredentialChanges, do_update_credentials
from accounts.services.follows import do_follow
from moderation.models import CustomEmoji
from tests.api.home_support import every_kind_of_post, post
from timelines import feeds
from timelines.api import entity_cache
from timelines.api.present import present_timeline
from timelines.models import Status
from timelines.selectors import home_query, paginate
from timelines.services.edits import EditInput, do_edit_status
from timelines.services.interactions import do_favourite, do_reblog
from timelines.services.polls import PollInput, do_vote
from timelines.services.statuses import StatusInput, do_create_status, do_delete_status


@pytest.fixture(autouse=True)
def cold_cache() -> None:
    forget_rendered()


def forget_rendered() -> None:
    """Empty both levels: this process's entries and the ones shared in Redis."""
    entity_cache.entities.clear()
    client = feeds.client()
    keys = list(client.scan_iter("status:entity:*"))
    if keys:
        client.delete(*keys)


def home(http: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    response = http.get("/api/v1/timelines/home", params={"limit": 40, **params})
    assert response.status_code == 200, response.text
    return response.json()


def by_id(page: list[dict[str, Any]], status: Status) -> dict[str, Any]:
    return next(s for s in page if s["id"] == str(status.pk))


def fresh_rendering(viewer: Account) -> list[dict[str, Any]]:
    """The page as the presenter renders it with no cache, as JSON would carry it."""
    statuses = paginate(home_query(viewer), limit=40)
    return json.loads(JSONRenderer().render(present_timeline(viewer, statuses, "home")))


@pytest.fixture
def reader(
    alice: User, bob: User, make_user: Callable[..., User], http_for: Callable[..., httpx.Client]
) -> httpx.Client:
    """Bob follows Alice and Carol."""
    carol = make_user("carol")
    do_follow(account=bob.account, target=alice.account)
    do_follow(account=bob.account, target=carol.account)
    return http_for(bob)


def test_served_entities_match_a_fresh_rendering(
    alice: User, bob: User, reader: httpx.Client
) -> None:
    carol = User.objects.get(account__username="carol")
    posts = every_kind_of_post(alice, bob, carol)
    poll, mention, own, pictured = posts.poll, posts.mention, posts.own, posts.pictured
    # The warned post's author is marked sensitive too: the flag is part of the entity.
    Account.objects.filter(pk=carol.account.pk).update(sensitized_at=own.created_at)

    cold = home(reader)
    assert cold == fresh_rendering(bob.account)
    assert entity_cache.entities.entries, "the page was rendered into the cache"
    assert home(reader) == cold
    entity_cache.entities.clear()  # another process: reads what this one shared in Redis
    assert home(reader) == cold
    shown = {s["id"] for s in cold}
    assert {str(poll.pk), str(mention.pk), str(own.pk), str(pictured.pk)} <= shown
    assert by_id(cold, own)["pinned"] is True
    assert by_id(cold, poll)["poll"]["own_votes"] == [1]


def test_an_edit_shows_at_once(alice: User, bob: User, reader: httpx.Client) -> None:
    status = post(alice, "first words")
    assert by_id(home(reader), status)["content"] == "<p>first words</p>"
    do_edit_status(account=alice.account, status=status, data=EditInput(text="second words"))
    edited = by_id(home(reader), status)
    assert edited["content"] == "<p>second words</p>" and edited["edited_at"] is not None
    assert edited == by_id(fresh_rendering(bob.account), status)


def test_an_edit_shows_even_to_a_process_holding_the_old_rendering_in_redis(
    alice: User, reader: httpx.Client
) -> None:
    status = post(alice, "first words")
    home(reader)
    do_edit_status(account=alice.account, status=status, data=EditInput(text="later words"))
    entity_cache.entities.clear()
    assert by_id(home(reader), status)["content"] == "<p>later words</p>"


def test_counts_are_always_current(alice: User, bob: User, reader: httpx.Client) -> None:
    carol = Account.objects.get(username="carol")
    status = post(alice, "count me")
    before = by_id(home(reader), status)
    assert (before["favourites_count"], before["reblogs_count"], before["replies_count"]) == (
        0, 0, 0,
    )  # fmt: skip
    do_favourite(account=carol, status=status)
    do_reblog(account=carol, status=status)
    do_create_status(account=carol, data=StatusInput(text="a reply", in_reply_to_id=status.pk))
    after = by_id(home(reader), status)
    assert (after["favourites_count"], after["reblogs_count"], after["replies_count"]) == (1, 1, 1)
    assert after["account"]["statuses_count"] == before["account"]["statuses_count"]
    do_follow(account=carol, target=alice.account)
    assert by_id(home(reader), status)["account"]["followers_count"] == 2


def test_a_profile_change_shows_on_every_post_and_boost(
    alice: User, bob: User, reader: httpx.Client
) -> None:
    carol = Account.objects.get(username="carol")
    status = post(alice, "who wrote this")
    boost = do_reblog(account=carol, status=status)
    page = home(reader)
    assert by_id(page, boost)["reblog"]["account"]["display_name"] == ""
    do_update_credentials(user=alice, changes=CredentialChanges(display_name="Alice Again"))
    page = home(reader)
    assert by_id(page, status)["account"]["display_name"] == "Alice Again"
    assert by_id(page, boost)["reblog"]["account"]["display_name"] == "Alice Again"


def test_a_poll_vote_shows_in_totals_and_for_the_voter(
    alice: User, bob: User, reader: httpx.Client
) -> None:
    carol = Account.objects.get(username="carol")
    status = post(alice, "pick", poll=PollInput(("red", "blue"), 3600, False))
    assert by_id(home(reader), status)["poll"]["votes_count"] == 0
    do_vote(account=carol, poll=status.poll, choices=[0])
    poll = by_id(home(reader), status)["poll"]
    assert poll["votes_count"] == 1 and poll["options"][0]["votes_count"] == 1
    assert (poll["voted"], poll["own_votes"]) == (False, [])
    do_vote(account=bob.account, poll=status.poll, choices=[1])
    poll = by_id(home(reader), status)["poll"]
    assert (poll["votes_count"], poll["voted"], poll["own_votes"]) == (2, True, [1])


def test_a_deleted_post_is_gone(alice: User, reader: httpx.Client) -> None:
    kept = post(alice, "staying")
    gone = post(alice, "going")
    assert {str(kept.pk), str(gone.pk)} <= {s["id"] for s in home(reader)}
    do_delete_status(account=alice.account, status=gone)
    ids = [s["id"] for s in home(reader)]
    assert str(kept.pk) in ids and str(gone.pk) not in ids


def test_pages_follow_one_another(alice: User, reader: httpx.Client) -> None:
    posts = [post(alice, f"number {n}") for n in range(7)]
    newest = [str(s.pk) for s in reversed(posts)]
    first = home(reader, limit=3)
    assert [s["id"] for s in first] == newest[:3]
    second = home(reader, limit=3, max_id=first[-1]["id"])
    assert [s["id"] for s in second] == newest[3:6]
    above = home(reader, limit=2, min_id=posts[1].pk)
    assert [s["id"] for s in above] == [str(posts[3].pk), str(posts[2].pk)]
    since = home(reader, limit=2, since_id=posts[1].pk)
    assert [s["id"] for s in since] == newest[:2]


def test_a_custom_emoji_added_later_shows_on_posts_and_profiles(
    alice: User, reader: httpx.Client
) -> None:
    Account.objects.filter(pk=alice.account.pk).update(display_name="Alice :blobcat:")
    status = post(alice, "look :blobcat:")
    before = by_id(home(reader), status)
    assert before["emojis"] == [] and before["account"]["emojis"] == []
    CustomEmoji.objects.create(shortcode="blobcat", image="custom_emojis/blobcat.png")
    after = by_id(home(reader), status)
    assert [e["shortcode"] for e in after["emojis"]] == ["blobcat"]
    assert [e["shortcode"] for e in after["account"]["emojis"]] == ["blobcat"]
