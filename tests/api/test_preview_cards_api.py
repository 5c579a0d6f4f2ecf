"""Preview cards through the Mastodon API: the `card` of a status, trending links and the
link timeline, read with Mastodon.py and plain HTTP, made from real pages on loopback."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from mastodon import Mastodon
from pytest_httpserver import HTTPServer

from accounts.models import Account, User
from tests.timelines.card_site import CardSite
from timelines.services.statuses import StatusInput, do_create_status

CARD_FIELDS = {
    "url", "title", "description", "language", "type", "author_name", "author_url",
    "provider_name", "provider_url", "html", "width", "height", "image", "image_description",
    "embed_url", "blurhash", "published_at", "authors",
}  # fmt: skip


@pytest.fixture(autouse=True)
def cards_on(settings: Any) -> None:
    settings.PREVIEW_CARDS = True
    settings.FEDIVERSE_ALLOWED_PRIVATE_ADDRESSES = ["127.0.0.0/8", "::1/128"]
    settings.PREVIEW_CARD_FETCH_TIMEOUT = 1.5


@pytest.fixture
def site(httpserver: HTTPServer) -> CardSite:
    return CardSite(httpserver).serve()


def test_a_posted_link_gets_its_card(
    alice: User, bob: User, site: CardSite, base_url: str, api_for: Callable[..., Mastodon]
) -> None:
    api = api_for(alice)
    posted = api.status_post(f"Read {site.url('/article')} today")
    card = api.status(posted["id"])["card"]
    assert set(card) >= CARD_FIELDS  # Mastodon.py adds the fields it knows, unset
    assert card["title"] == "A & B: the story" and card["type"] == "link"
    assert card["url"] == site.url("/article") and card["provider_name"] == "Loopback News"
    picture = httpx.get(base_url + urlsplit(card["image"]).path)
    assert picture.status_code == 200 and picture.headers["content-type"].startswith("image/")
    assert api.timeline_home()[0]["card"]["url"] == card["url"]
    bob_api = api_for(bob)
    boost = bob_api.status_reblog(posted["id"])
    assert boost["card"] is None and boost["reblog"]["card"]["url"] == card["url"]
    plain = api.status_post("no link here")
    assert api.status(plain["id"])["card"] is None


def post(user: User, text: str, **options: Any) -> None:
    do_create_status(account=user.account, data=StatusInput(text=text, **options))


def test_trending_links_and_their_timeline(
    alice: User,
    bob: User,
    make_user: Callable[..., User],
    site: CardSite,
    base_url: str,
    api_for: Callable[..., Mastodon],
) -> None:
    carol, dave = make_user("carol"), make_user("dave")
    article, video = site.url("/article"), site.url("/video")
    for user in (alice, bob, carol, dave):
        post(user, f"{user.account.username} shares {article}")
    post(alice, f"only me {site.url('/twitter')}")
    post(alice, f"hidden {video}", visibility="private")
    post(bob, f"hidden {video}", visibility="private")
    Account.objects.filter(pk=dave.account.pk).update(discoverable=False)

    response = httpx.get(f"{base_url}/api/v1/trends/links")
    assert response.status_code == 200
    links = response.json()
    assert [link["url"] for link in links] == [article]
    assert set(links[0]) == CARD_FIELDS | {"history"} and len(links[0]["history"]) == 7
    assert links[0]["history"][0]["accounts"] == "4" and links[0]["history"][0]["uses"] == "4"
    assert links[0]["title"] == "A & B: the story"
    api = api_for(alice)
    assert [link["url"] for link in api.trending_links()] == [article]

    timeline = httpx.get(f"{base_url}/api/v1/timelines/link", params={"url": article})
    assert timeline.status_code == 200
    statuses = timeline.json()
    # Newest first, without the account that did not opt in to discovery.
    assert [s["account"]["username"] for s in statuses] == ["carol", "bob", "alice"]
    assert all(s["card"]["url"] == article for s in statuses)
    first = httpx.get(f"{base_url}/api/v1/timelines/link", params={"url": article, "limit": 2})
    assert len(first.json()) == 2 and 'rel="next"' in first.headers["link"]
    assert [s["id"] for s in api.timeline_link(article)] == [s["id"] for s in statuses]

    for params in ({"url": site.url("/twitter")}, {"url": video}, {}):
        missing = httpx.get(f"{base_url}/api/v1/timelines/link", params=params)
        assert missing.status_code == 404 and missing.json() == {"error": "Record not found"}
