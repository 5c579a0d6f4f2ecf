"""GET /api/v1/bookmarks and /api/v1/favourites (paged by the bookmark or favourite id, as
Mastodon pages them) and GET /api/v1/preferences."""

import re
from urllib.parse import parse_qs, urlsplit

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Block
from timelines.models import Bookmark, Favourite
from timelines.services.interactions import do_bookmark, do_favourite
from timelines.services.statuses import StatusInput, do_create_status

OUT_OF_SCOPE = {"error": "This action is outside the authorized scopes"}


def post(user, text, **kwargs):
    return do_create_status(account=user.account, data=StatusInput(text=text, **kwargs))


def links(response) -> dict[str, dict[str, list[str]]]:
    found = re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers["link"])
    return {rel: parse_qs(urlsplit(url).query) for url, rel in found}


def test_bookmarks_in_the_order_they_were_made(alice, bob, http_for, api_for) -> None:
    statuses = [post(bob, f"post {n}") for n in range(3)]
    # Bookmarked out of posting order: the list follows the bookmarks, not the posts.
    for index in (1, 0, 2):
        do_bookmark(account=alice.account, status=statuses[index])
    marks = list(Bookmark.objects.filter(account=alice.account).order_by("-id"))
    client = http_for(alice)
    first = client.get("/api/v1/bookmarks?limit=2")
    assert [s["id"] for s in first.json()] == [str(statuses[2].pk), str(statuses[0].pk)]
    assert all(s["bookmarked"] is True for s in first.json())
    assert links(first)["next"]["max_id"] == [str(marks[1].pk)]
    assert links(first)["prev"]["min_id"] == [str(marks[0].pk)]
    rest = client.get(f"/api/v1/bookmarks?limit=2&max_id={marks[1].pk}").json()
    assert [s["id"] for s in rest] == [str(statuses[1].pk)]
    order = (statuses[2], statuses[0], statuses[1])
    assert [str(s.id) for s in api_for(alice).bookmarks()] == [str(s.pk) for s in order]


def test_favourites_and_what_is_no_longer_visible(alice, bob, make_user, http_for) -> None:
    carol = make_user("carol")
    mine = post(bob, "public")
    hidden = post(carol, "will block")
    do_favourite(account=alice.account, status=mine)
    do_favourite(account=alice.account, status=hidden)
    Block.objects.create(account=carol.account, target_account=alice.account)
    client = http_for(alice)
    body = client.get("/api/v1/favourites").json()
    assert [s["id"] for s in body] == [str(mine.pk)] and body[0]["favourited"] is True
    favourite = Favourite.objects.get(account=alice.account, status=mine)
    assert links(client.get("/api/v1/favourites"))["next"]["max_id"] == [str(favourite.pk)]
    assert http_for(bob).get("/api/v1/favourites").json() == []


def test_collection_scopes(alice, bob, http_for) -> None:
    do_bookmark(account=alice.account, status=post(bob, "x"))
    client = http_for(alice, scope="read:favourites")
    refused = client.get("/api/v1/bookmarks")
    assert refused.status_code == 403 and refused.json() == OUT_OF_SCOPE
    assert client.get("/api/v1/favourites").status_code == 200
    other = http_for(alice, scope="read:bookmarks")
    assert len(other.get("/api/v1/bookmarks").json()) == 1
    assert other.get("/api/v1/favourites").status_code == 403


def test_preferences(alice, http_for, api_for) -> None:
    assert http_for(alice).get("/api/v1/preferences").json() == {
        "posting:default:visibility": "public",
        "posting:default:sensitive": False,
        "posting:default:language": None,
        "reading:expand:media": "default",
        "reading:expand:spoilers": False,
    }
    alice.default_privacy, alice.default_sensitive, alice.default_language = "private", True, "fr"
    alice.save()
    preferences = api_for(alice).preferences()
    assert preferences["posting:default:visibility"] == "private"
    assert preferences["posting:default:sensitive"] is True
    assert preferences["posting:default:language"] == "fr"
    refused = http_for(alice, scope="read:statuses").get("/api/v1/preferences")
    assert refused.status_code == 403 and refused.json() == OUT_OF_SCOPE


def test_a_page_costs_a_fixed_number_of_queries(alice, make_user, token_for) -> None:
    token = token_for(alice, "read")
    client = Client()

    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
        assert response.status_code == 200
        return len(captured)

    def keep(name: str) -> None:
        status = post(make_user(name), f"worth keeping, says {name}")
        do_bookmark(account=alice.account, status=status)
        do_favourite(account=alice.account, status=status)

    keep("writer0")
    small = {path: queries(path) for path in ("/api/v1/bookmarks", "/api/v1/favourites")}
    for index in range(1, 8):
        keep(f"writer{index}")
    assert {path: queries(path) for path in small} == small
