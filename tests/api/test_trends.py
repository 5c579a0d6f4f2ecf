"""Trends from recent usage: hashtags and statuses, each with Mastodon's entity, its history
and offset paging (links, made of preview cards, are in test_preview_cards_api)."""

from datetime import timedelta
from urllib.parse import urlparse

import httpx
from django.utils import timezone
from mastodon import Mastodon

from accounts.models import Account
from accounts.services.mutes import do_mute
from tests.api.accounts_support import link_order, links
from timelines.models import Status
from timelines.services.interactions import do_favourite, do_reblog
from timelines.services.statuses import StatusInput, do_create_status


def post(user, text: str, **options) -> Status:
    return do_create_status(account=user.account, data=StatusInput(text=text, **options))


def path_of(url: str) -> str:
    """A Link URL (built on the instance's own domain) as a path for the test server."""
    parts = urlparse(url)
    return f"{parts.path}?{parts.query}"


def test_trending_tags_rank_by_accounts(alice, bob, make_user, base_url, api_for) -> None:
    carol = make_user("carol")
    for user in (alice, bob, carol):
        post(user, "#popular")
    post(alice, "#rising")
    post(bob, "#rising #popular")
    for _ in range(5):
        post(alice, "#lonely")  # one account alone does not trend
    post(carol, "#hidden", visibility="private")
    post(bob, "#hidden", visibility="private")
    old = [post(alice, "#stale"), post(bob, "#stale")]
    Status.objects.filter(pk__in=[s.pk for s in old]).update(
        created_at=timezone.now() - timedelta(days=10)
    )
    response = httpx.get(f"{base_url}/api/v1/trends/tags")
    assert response.status_code == 200
    tags = response.json()
    assert [t["name"] for t in tags] == ["popular", "rising"]
    assert tags[0]["history"][0]["accounts"] == "3" and tags[0]["history"][0]["uses"] == "4"
    assert set(tags[0]) == {"id", "name", "url", "history"}
    assert httpx.get(f"{base_url}/api/v1/trends").json() == tags
    api: Mastodon = api_for(alice)
    assert [t["name"] for t in api.trending_tags()] == ["popular", "rising"]
    assert api.trending_tags()[0]["following"] is False
    first = httpx.get(f"{base_url}/api/v1/trends/tags", params={"limit": 1})
    assert [t["name"] for t in first.json()] == ["popular"]
    assert link_order(first) == ["next"] and "offset=1" in links(first)["next"]
    second = httpx.get(base_url + path_of(links(first)["next"]))
    assert [t["name"] for t in second.json()] == ["rising"]
    assert link_order(second) == ["next", "prev"] and "offset=0" in links(second)["prev"]


def test_trending_statuses_by_recent_interactions(
    alice, bob, make_user, base_url, http_for
) -> None:
    carol, dave = make_user("carol"), make_user("dave")
    liked = post(alice, "liked a lot")
    boosted = post(bob, "boosted once")
    quiet = post(carol, "nobody cares")
    reply = post(carol, "a reply", in_reply_to_id=liked.pk)
    sensitive = post(carol, "careful", spoiler_text="cw")
    for fan in (bob, carol, dave):
        do_favourite(account=fan.account, status=liked)
    do_reblog(account=dave.account, status=boosted)
    for status in (reply, sensitive):
        do_favourite(account=dave.account, status=status)
    response = httpx.get(f"{base_url}/api/v1/trends/statuses")
    ids = [int(s["id"]) for s in response.json()]
    assert ids == [liked.pk, boosted.pk]
    assert quiet.pk not in ids
    entity = response.json()[0]
    assert entity["favourites_count"] == 3 and entity["account"]["username"] == "alice"
    Account.objects.filter(pk=bob.account.pk).update(discoverable=False)
    assert [int(s["id"]) for s in httpx.get(response.url).json()] == [liked.pk]
    Account.objects.filter(pk=bob.account.pk).update(discoverable=True)
    do_mute(account=dave.account, target=alice.account)
    seen_by_dave = http_for(dave).get("/api/v1/trends/statuses").json()
    assert [int(s["id"]) for s in seen_by_dave] == [boosted.pk]
    assert seen_by_dave[0]["reblogged"] is True
