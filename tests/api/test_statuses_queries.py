"""A page of 40 statuses costs the same number of queries as a page of 5, whatever they carry:
polls (voted on or not), boosts, mentions, tags, replies, favourites, pins, muted threads."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.services.follows import do_follow
from timelines import feeds
from timelines.services.conversation_mutes import do_mute_conversation
from timelines.services.interactions import do_bookmark, do_favourite, do_reblog
from timelines.services.pins import do_pin
from timelines.services.polls import PollInput, do_vote
from timelines.services.statuses import StatusInput, do_create_status


def fill(authors, viewer) -> None:
    """Forty-odd varied posts, and the viewer's relations to many of them."""
    previous = None
    for index in range(44):
        author = authors[index % len(authors)]
        data = StatusInput(
            text=f"post {index} @{authors[(index + 1) % len(authors)].username} #tag{index % 3}",
            in_reply_to_id=previous.pk if previous is not None and index % 4 == 0 else None,
            poll=PollInput(("yes", "no", "maybe"), 3600, index % 2 == 0)
            if index % 3 == 0
            else None,
        )
        status = do_create_status(account=author, data=data)
        if index % 3 == 0 and author.pk != viewer.pk:
            do_vote(account=viewer, poll=status.poll, choices=[index % 2])
        if index % 5 == 0:
            do_favourite(account=viewer, status=status)
            do_bookmark(account=viewer, status=status)
        if index % 7 == 0 and author.pk != viewer.pk:
            do_reblog(account=viewer, status=status)
        if author.pk == viewer.pk and index < 14:
            do_pin(account=viewer, status=status)
        if index % 11 == 0:
            do_mute_conversation(account=viewer, status=status)
        previous = status


def count_queries(client: Client, path: str, limit: int) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, {"limit": limit})
    assert response.status_code == 200, response.content
    return len(captured.captured_queries), len(response.json())


def test_a_page_of_40_costs_what_a_page_of_5_costs(alice, bob, make_user, token_for) -> None:
    carol = make_user("carol")
    accounts = [alice.account, bob.account, carol.account]
    do_follow(account=bob.account, target=alice.account)
    do_follow(account=bob.account, target=carol.account)
    fill(accounts, bob.account)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(bob)}")
    for path in ("/api/v1/timelines/public", "/api/v1/timelines/home"):
        # The first read may rebuild the feed, note the user as active or render the entities
        # of the page's statuses: once, not per page.
        client.get(path, {"limit": 40})
        small, shown_small = count_queries(client, path, 5)
        large, shown_large = count_queries(client, path, 40)
        assert (shown_small, shown_large) == (5, 40)
        assert large == small, (path, small, large)
    page = client.get("/api/v1/timelines/home", {"limit": 40}).json()
    assert any(s["reblog"] and s["reblog"]["poll"] for s in page)
    assert any(s["poll"] and s["poll"]["own_votes"] for s in page)
    assert any(s["muted"] for s in page) and any(s.get("pinned") for s in page)


def test_home_pages_rendered_afresh_cost_the_same_too(alice, bob, make_user, token_for) -> None:
    from timelines.api import entity_cache

    carol = make_user("carol")
    do_follow(account=bob.account, target=alice.account)
    do_follow(account=bob.account, target=carol.account)
    fill([alice.account, bob.account, carol.account], bob.account)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(bob)}")
    client.get("/api/v1/timelines/home", {"limit": 1})
    costs = []
    for limit in (5, 40):
        entity_cache.entities.clear()
        for key in feeds.client().scan_iter("status:entity:*"):
            feeds.client().delete(key)
        costs.append(count_queries(client, "/api/v1/timelines/home", limit))
    assert costs[0][0] == costs[1][0] and costs[1][1] == 40, costs


def test_anonymous_pages_cost_the_same_too(alice, bob, make_user) -> None:
    carol = make_user("carol")
    fill([alice.account, bob.account, carol.account], bob.account)
    client = Client()
    small, _ = count_queries(client, "/api/v1/timelines/public", 5)
    large, shown = count_queries(client, "/api/v1/timelines/public", 40)
    assert shown == 40 and large == small
