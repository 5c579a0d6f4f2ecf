"""Lists of accounts: followers and follows, blocks, mutes, domain blocks, an account's lists,
and featured hashtags, with Mastodon's paging and privacy rules."""

from urllib.parse import parse_qs, urlparse

import httpx
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import AccountDomainBlock, Block, Follow, FollowRequest, Mute
from tests.api.accounts_support import (
    NOT_FOUND,
    SCOPE_ERROR,
    link_order,
    links,
    on_live_server,
    remote_account,
)
from timelines.models import Notification
from timelines.models_curation import List, ListAccount
from timelines.services.statuses import StatusInput, do_create_status


def test_followers_page_on_the_follow_id_with_mastodon_links(
    alice, make_user, http_for, base_url
) -> None:
    followers = [make_user(f"fan{n}") for n in range(3)]
    rows = [
        Follow.objects.create(account=f.account, target_account=alice.account) for f in followers
    ]
    url = f"{base_url}/api/v1/accounts/{alice.account.pk}/followers"
    first = httpx.get(url, params={"limit": 2})
    assert first.status_code == 200
    assert [a["username"] for a in first.json()] == ["fan2", "fan1"]
    assert link_order(first) == ["next", "prev"]
    next_query = parse_qs(urlparse(links(first)["next"]).query)
    assert next_query == {"limit": ["2"], "max_id": [str(rows[1].pk)]}
    assert parse_qs(urlparse(links(first)["prev"]).query)["since_id"] == [str(rows[2].pk)]
    second = httpx.get(on_live_server(links(first)["next"], base_url))
    assert [a["username"] for a in second.json()] == ["fan0"]
    assert link_order(second) == ["prev"]
    newer = httpx.get(url, params={"since_id": rows[0].pk})
    assert [a["username"] for a in newer.json()] == ["fan2", "fan1"]
    following = http_for(followers[0]).get(f"/api/v1/accounts/{followers[0].account.pk}/following")
    assert [a["username"] for a in following.json()] == ["alice"]
    assert following.json()[0]["followers_count"] == 3


def test_hidden_collections_and_blocks_empty_the_lists(alice, bob, http_for, base_url) -> None:
    Follow.objects.create(account=bob.account, target_account=alice.account)
    alice.account.hide_collections = True
    alice.account.save()
    url = f"/api/v1/accounts/{alice.account.pk}/followers"
    assert httpx.get(base_url + url).json() == []
    assert http_for(bob).get(url).json() == []
    assert [a["username"] for a in http_for(alice).get(url).json()] == ["bob"]
    alice.account.hide_collections = False
    alice.account.save()
    Block.objects.create(account=alice.account, target_account=bob.account)
    assert http_for(bob).get(f"/api/v1/accounts/{alice.account.pk}/following").json() == []
    missing = httpx.get(f"{base_url}/api/v1/accounts/42/followers")
    assert missing.status_code == 404 and missing.json() == NOT_FOUND


def test_lists_leave_out_accounts_the_viewer_blocks_or_mutes(
    alice, bob, make_user, http_for
) -> None:
    carol, dave = make_user("carol"), make_user("dave")
    for follower in (bob, carol):
        Follow.objects.create(account=follower.account, target_account=dave.account)
    Mute.objects.create(account=alice.account, target_account=bob.account)
    names = http_for(alice).get(f"/api/v1/accounts/{dave.account.pk}/followers").json()
    assert [a["username"] for a in names] == ["carol"]


def test_blocks_and_mutes_lists_page(alice, make_user, http_for) -> None:
    others = [make_user(f"pest{n}") for n in range(3)]
    blocks = [Block.objects.create(account=alice.account, target_account=o.account) for o in others]
    client = http_for(alice)
    page = client.get("/api/v1/blocks", params={"limit": 2})
    assert [a["username"] for a in page.json()] == ["pest2", "pest1"]
    assert parse_qs(urlparse(links(page)["next"]).query)["max_id"] == [str(blocks[1].pk)]
    next_page = client.get(on_live_server(links(page)["next"], str(client.base_url)))
    assert [a["username"] for a in next_page.json()] == ["pest0"]
    Mute.objects.create(account=alice.account, target_account=others[0].account)
    muted = client.get("/api/v1/mutes").json()
    assert [a["username"] for a in muted] == ["pest0"] and muted[0]["mute_expires_at"] is None


def test_domain_blocks(alice, http_for) -> None:
    carol = remote_account("carol")
    Follow.objects.create(account=alice.account, target_account=carol)
    Follow.objects.create(account=carol, target_account=alice.account)
    Notification.objects.create(account=alice.account, from_account=carol, type="follow")
    client = http_for(alice)
    assert client.post("/api/v1/domain_blocks", data={"domain": "Remote.Example"}).json() == {}
    assert client.get("/api/v1/domain_blocks").json() == ["remote.example"]
    assert not Follow.objects.exists() and not Notification.objects.exists()
    rel = client.get(f"/api/v1/accounts/relationships?id[]={carol.pk}").json()[0]
    assert rel["domain_blocking"]
    refused = client.post(f"/api/v1/accounts/{carol.pk}/follow")
    assert refused.status_code == 403 and not FollowRequest.objects.exists()
    blank = client.post("/api/v1/domain_blocks", data={"domain": ""})
    assert blank.status_code == 422 and blank.json()["error"] == (
        "Validation failed: Domain can't be blank"
    )
    assert client.request("DELETE", "/api/v1/domain_blocks", json={"domain": "remote.example"})
    assert client.get("/api/v1/domain_blocks").json() == []
    assert not AccountDomainBlock.objects.exists()


def test_domain_blocks_page_by_row(alice, http_for) -> None:
    for n in range(3):
        AccountDomainBlock.objects.create(account=alice.account, domain=f"d{n}.example")
    client = http_for(alice, scope="read:blocks")
    page = client.get("/api/v1/domain_blocks", params={"limit": 2})
    assert page.json() == ["d2.example", "d1.example"]
    next_page = client.get(on_live_server(links(page)["next"], str(client.base_url)))
    assert next_page.json() == ["d0.example"]
    assert client.post("/api/v1/domain_blocks", data={"domain": "x.example"}).json() == (
        SCOPE_ERROR
    )


def test_lists_an_account_is_on(alice, bob, make_user, http_for) -> None:
    carol = make_user("carol")
    follow = Follow.objects.create(account=alice.account, target_account=bob.account)
    mine = List.objects.create(account=alice.account, title="Friends")
    ListAccount.objects.create(list=mine, account=bob.account, follow=follow)
    theirs = List.objects.create(account=carol.account, title="Other")
    ListAccount.objects.create(list=theirs, account=bob.account)
    lists = http_for(alice).get(f"/api/v1/accounts/{bob.account.pk}/lists").json()
    assert lists == [
        {"id": str(mine.pk), "title": "Friends", "replies_policy": "list", "exclusive": False}
    ]
    denied = http_for(alice, scope="read:accounts").get(f"/api/v1/accounts/{bob.account.pk}/lists")
    assert denied.status_code == 403


def test_featured_tags(alice, api_for, http_for, base_url) -> None:
    for text in ("#cats are great", "more #Cats", "#dogs too", "secret #cats"):
        visibility = "private" if text.startswith("secret") else "public"
        do_create_status(account=alice.account, data=StatusInput(text=text, visibility=visibility))
    api = api_for(alice)
    suggested = api.featured_tag_suggestions()
    assert [t["name"] for t in suggested] == ["cats", "dogs"]
    # The history counts public uses only: a followers-only post must not show in it.
    assert len(suggested[0]["history"]) == 7 and suggested[0]["history"][0]["uses"] == "2"
    assert suggested[0]["following"] is False and suggested[0]["featuring"] is False
    created = api.featured_tag_create("#cats")
    assert created["name"] == "cats" and created["statuses_count"] == "2"
    assert created["url"].endswith("/@alice/tagged/cats")
    assert created["last_status_at"] is not None
    assert api.featured_tag_create("CATS")["id"] == created["id"]
    assert [t["name"] for t in api.featured_tag_suggestions()] == ["dogs"]
    public = httpx.get(f"{base_url}/api/v1/accounts/{alice.account.pk}/featured_tags").json()
    assert [t["name"] for t in public] == ["cats"]
    client = http_for(alice)
    assert client.post("/api/v1/featured_tags", data={"name": "no spaces"}).status_code == 422
    missing = client.post("/api/v1/featured_tags", data={})
    assert missing.status_code == 400
    assert missing.json() == {"error": "param is missing or the value is empty: name"}
    for n in range(9):
        client.post("/api/v1/featured_tags", data={"name": f"tag{n}x"})
    over = client.post("/api/v1/featured_tags", data={"name": "onetoomany"})
    assert over.status_code == 422 and "maximum" in over.json()["error"]
    assert client.delete(f"/api/v1/featured_tags/{created['id']}").json() == {}
    assert client.delete(f"/api/v1/featured_tags/{created['id']}").status_code == 404
    assert len(api.featured_tags()) == 9


def test_a_page_of_accounts_costs_the_same_queries_whatever_its_size(
    alice, make_user, token_for
) -> None:
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token_for(alice)}")

    def queries_for_page(count: int) -> int:
        for n in range(count):
            fan = make_user(f"fan{count}x{n}")
            Follow.objects.create(account=fan.account, target_account=alice.account)
            Block.objects.create(account=alice.account, target_account=fan.account)
        total = Block.objects.count()
        with CaptureQueriesContext(connection) as captured:
            for path in (f"/api/v1/accounts/{alice.account.pk}/followers", "/api/v1/blocks"):
                response = client.get(path)
                assert response.status_code == 200 and len(response.json()) == total
        return len(captured.captured_queries)

    assert queries_for_page(2) == queries_for_page(12)
