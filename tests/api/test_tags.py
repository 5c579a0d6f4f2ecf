"""Hashtags: the Tag entity with its history, following tags, followed tags in home, and the
tag timeline's any[] / all[] / none[]."""

from datetime import UTC, datetime, time, timedelta
from urllib.parse import urlparse

import httpx
from django.utils import timezone
from mastodon import Mastodon

from fediverse import uris
from tests.api.accounts_support import NOT_FOUND, SCOPE_ERROR, link_order, links
from timelines.models import Status, Tag
from timelines.models_curation import TagFollow
from timelines.services.statuses import StatusInput, do_create_status
from timelines.services.tag_follows import do_follow_tag


def post(user, text: str, **options) -> Status:
    return do_create_status(account=user.account, data=StatusInput(text=text, **options))


def path_of(url: str) -> str:
    """A Link URL (built on the instance's own domain) as a path for the test server."""
    parts = urlparse(url)
    return f"{parts.path}?{parts.query}"


def today_stamp() -> str:
    today = timezone.now().astimezone(UTC).date()
    return str(int(datetime.combine(today, time(), tzinfo=UTC).timestamp()))


def test_tag_entity_with_history(alice, bob, base_url, api_for) -> None:
    post(alice, "#Cats are great")
    post(alice, "more #cats")
    post(bob, "#cats too")
    post(bob, "private #cats", visibility="private")
    old = post(bob, "old #cats")
    Status.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    anonymous = httpx.get(f"{base_url}/api/v1/tags/cats")
    assert anonymous.status_code == 200
    tag = anonymous.json()
    assert set(tag) == {"id", "name", "url", "history"}
    assert tag["name"] == "Cats" and tag["url"] == uris.tag_url("cats")
    assert tag["id"] == str(Tag.objects.get().pk)
    assert len(tag["history"]) == 7
    assert tag["history"][0] == {"day": today_stamp(), "accounts": "2", "uses": "3"}
    assert tag["history"][3]["uses"] == "1" and tag["history"][1]["uses"] == "0"
    days = [int(d["day"]) for d in tag["history"]]
    assert days == sorted(days, reverse=True) and days[0] - days[1] == 86400
    signed_in = api_for(bob).tag("CATS")
    assert signed_in["following"] is False and signed_in["name"] == "Cats"


def test_unknown_and_invalid_tags(alice, base_url, http_for) -> None:
    unused = httpx.get(f"{base_url}/api/v1/tags/neverused").json()
    assert unused["name"] == "neverused" and unused["id"] == ""
    assert all(d["uses"] == "0" for d in unused["history"])
    for bad in ("not-a-tag", "123", "%20"):
        response = httpx.get(f"{base_url}/api/v1/tags/{bad}")
        assert response.status_code == 404 and response.json() == NOT_FOUND
    client = http_for(alice)
    assert client.post("/api/v1/tags/no-way/follow").status_code == 404
    assert not Tag.objects.exists() and not TagFollow.objects.exists()


def test_follow_and_unfollow_tags(alice, api_for, http_for) -> None:
    api: Mastodon = api_for(alice)
    followed = api.tag_follow("Python")
    assert followed["following"] is True and followed["name"] == "Python"
    assert api.tag_follow("python")["following"] is True
    assert TagFollow.objects.count() == 1 and Tag.objects.count() == 1
    assert [t["name"] for t in api.followed_tags()] == ["Python"]
    assert api.tag("python")["following"] is True
    unfollowed = api.tag_unfollow("python")
    assert unfollowed["following"] is False
    assert api.followed_tags() == []
    assert http_for(alice).post("/api/v1/tags/nobodyuses/unfollow").json()["following"] is False


def test_followed_tags_page_by_the_follow(alice, http_for, base_url) -> None:
    follows = [do_follow_tag(account=alice.account, name=f"tag{n}") for n in range(3)]
    client = http_for(alice)
    first = client.get("/api/v1/followed_tags", params={"limit": 2})
    assert [t["name"] for t in first.json()] == ["tag2", "tag1"]
    assert all(t["following"] for t in first.json())
    assert link_order(first) == ["next", "prev"]
    rows = list(TagFollow.objects.order_by("-id"))
    assert f"max_id={rows[1].pk}" in links(first)["next"]
    assert f"min_id={rows[0].pk}" in links(first)["prev"]
    rest = client.get(path_of(links(first)["next"]))
    assert [t["name"] for t in rest.json()] == ["tag0"] and link_order(rest) == ["prev"]
    assert len(follows) == 3


def test_followed_tags_bring_public_posts_into_home(alice, bob, api_for) -> None:
    do_follow_tag(account=alice.account, name="herd")
    public = post(bob, "Hello #Herd")
    unlisted = post(bob, "quiet #herd", visibility="unlisted")
    private = post(bob, "friends #herd", visibility="private")
    other = post(bob, "untagged")
    home = [int(s["id"]) for s in api_for(alice).timeline_home()]
    assert public.pk in home
    assert unlisted.pk not in home and private.pk not in home and other.pk not in home


def test_tag_timeline_any_all_none(alice, bob, base_url) -> None:
    cats = post(alice, "#cats")
    cats_dogs = post(alice, "#cats #dogs")
    dogs = post(bob, "#dogs")
    birds = post(bob, "#birds")
    cats_birds = post(bob, "#Cats #birds")
    post(bob, "#cats hidden", visibility="private")

    def ids(path: str, **params) -> set[int]:
        response = httpx.get(f"{base_url}/api/v1/timelines/tag/{path}", params=params)
        assert response.status_code == 200
        return {int(s["id"]) for s in response.json()}

    assert ids("cats") == {cats.pk, cats_dogs.pk, cats_birds.pk}
    assert ids("cats", **{"any[]": ["dogs", "birds"]}) == {
        cats.pk, cats_dogs.pk, dogs.pk, birds.pk, cats_birds.pk,
    }  # fmt: skip
    assert ids("cats", **{"all[]": ["dogs"]}) == {cats_dogs.pk}
    assert ids("cats", **{"none[]": ["birds", "dogs"]}) == {cats.pk}
    assert ids("cats", any=["dogs"], none=["cats"]) == {dogs.pk}
    assert ids("cats", local="true") == ids("cats")
    assert ids("cats", remote="true") == set()
    assert ids("cats", only_media="true") == set()
    assert ids("nothing") == set()


def test_tag_scopes(alice, http_for) -> None:
    reader = http_for(alice, scope="read")
    refused = reader.post("/api/v1/tags/python/follow")
    assert refused.status_code == 403 and refused.json() == SCOPE_ERROR
    assert not TagFollow.objects.exists()
    assert reader.get("/api/v1/followed_tags").status_code == 200
    assert reader.get("/api/v1/tags/python").status_code == 200
    follow_only = http_for(alice, scope="follow")
    assert follow_only.post("/api/v1/tags/python/follow").json()["following"] is True
    assert follow_only.get("/api/v1/followed_tags").status_code == 200
    lists_only = http_for(alice, scope="read:lists")
    assert lists_only.get("/api/v1/followed_tags").status_code == 403
