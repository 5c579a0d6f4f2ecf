"""/api/v2/search: accounts, hashtags and full-text statuses, with Mastodon's rules on who may
find what, its paging and its errors."""

import httpx
from django.db import connection
from mastodon import Mastodon

from accounts.models import Account
from accounts.services.follows import do_follow
from tests.api.accounts_support import SCOPE_ERROR, remote_account
from timelines.models import Status
from timelines.services.interactions import do_bookmark, do_favourite
from timelines.services.statuses import StatusInput, do_create_status


def post(user, text: str, **options) -> Status:
    return do_create_status(account=user.account, data=StatusInput(text=text, **options))


def indexable(user) -> None:
    Account.objects.filter(pk=user.account.pk).update(indexable=True)


def test_search_all_kinds_through_mastodon_py(alice, bob, make_user, api_for) -> None:
    make_user("alicia")
    post(bob, "I love #alpine lakes")
    post(bob, "#AlpineFlowers")
    mine = post(alice, "alpine hiking today")
    api: Mastodon = api_for(alice)
    found = api.search_v2("alpine", resolve=False)
    assert set(found) >= {"accounts", "statuses", "hashtags"}
    assert [t["name"] for t in found["hashtags"]] == ["alpine", "AlpineFlowers"]
    assert {"history", "url", "following"} <= set(found["hashtags"][0])
    assert [int(s["id"]) for s in found["statuses"]] == [mine.pk]
    people = api.search_v2("ali", result_type="accounts")
    assert [a["username"] for a in people["accounts"]] == ["alice", "alicia"]
    assert people["statuses"] == [] and people["hashtags"] == []


def test_statuses_are_searched_among_what_the_viewer_may_find(
    alice, bob, make_user, http_for
) -> None:
    carol = make_user("carol")
    do_follow(account=alice.account, target=bob.account)
    own = post(alice, "the quick brown fox")
    favourited = post(bob, "a brown fox of bob")
    do_favourite(account=alice.account, status=favourited)
    bookmarked = post(carol, "carol's fox, bookmarked")
    do_bookmark(account=alice.account, status=bookmarked)
    mentioned = post(carol, "@alice look, a fox")
    not_indexed = post(bob, "another fox nobody opted in")
    indexable(carol)
    opted_in = post(carol, "a public fox from an indexable account")
    private = post(carol, "a followers-only fox", visibility="private")
    client = http_for(alice)
    found = client.get("/api/v2/search", params={"q": "fox", "type": "statuses"}).json()
    ids = [int(s["id"]) for s in found["statuses"]]
    assert ids == sorted(ids, reverse=True)
    assert set(ids) == {own.pk, favourited.pk, bookmarked.pk, mentioned.pk, opted_in.pk}
    assert not_indexed.pk not in ids and private.pk not in ids
    by_account = client.get(
        "/api/v2/search", params={"q": "fox", "type": "statuses", "account_id": carol.account.pk}
    ).json()
    assert {int(s["id"]) for s in by_account["statuses"]} == {
        bookmarked.pk, mentioned.pk, opted_in.pk,
    }  # fmt: skip
    older = client.get(
        "/api/v2/search", params={"q": "fox", "type": "statuses", "max_id": mentioned.pk}
    ).json()
    assert {int(s["id"]) for s in older["statuses"]} == {own.pk, favourited.pk, bookmarked.pk}
    paged = client.get(
        "/api/v2/search", params={"q": "fox", "type": "statuses", "limit": 2, "offset": 2}
    ).json()
    assert [int(s["id"]) for s in paged["statuses"]] == ids[2:4]
    phrase = client.get("/api/v2/search", params={"q": '"brown fox"', "type": "statuses"})
    assert {int(s["id"]) for s in phrase.json()["statuses"]} == {own.pk, favourited.pk}


def test_full_text_uses_the_gin_index_on_postgresql(alice) -> None:
    from timelines.services.search import matching_text

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname = 'status_text_search'")
        assert cursor.fetchone() is not None
        cursor.execute("SET enable_seqscan = off")
        sql, params = matching_text(Status.objects.all(), "fox").query.sql_with_params()
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET enable_seqscan = on")
    assert "status_text_search" in plan


def test_hashtags_and_accounts(alice, bob, make_user, http_for) -> None:
    remote_account("alice", "elsewhere.example")
    post(bob, "#Alpha #alphabet #alphanumeric")
    do_follow(account=alice.account, target=bob.account)
    make_user("bobby")
    client = http_for(alice)
    tags = client.get("/api/v2/search", params={"q": "#alpha", "type": "hashtags"}).json()
    assert [t["name"] for t in tags["hashtags"]] == ["Alpha", "alphabet", "alphanumeric"]
    second = client.get(
        "/api/v2/search", params={"q": "alpha", "type": "hashtags", "limit": 1, "offset": 1}
    ).json()
    assert [t["name"] for t in second["hashtags"]] == ["alphabet"]
    followed = client.get("/api/v2/search", params={"q": "bob", "following": "true"}).json()
    assert [a["username"] for a in followed["accounts"]] == ["bob"]
    both = client.get("/api/v2/search", params={"q": "bob"}).json()
    assert [a["username"] for a in both["accounts"]] == ["bob", "bobby"]
    handle = client.get("/api/v2/search", params={"q": "@alice@elsewhere.example"}).json()
    assert [a["acct"] for a in handle["accounts"]] == ["alice@elsewhere.example"]
    assert handle["hashtags"] == [] and handle["statuses"] == []


def test_resolving_a_known_url(alice, bob, http_for) -> None:
    status = post(bob, "find me by my address")
    client = http_for(alice)
    by_url = client.get("/api/v2/search", params={"q": status.url, "resolve": "true"}).json()
    assert [int(s["id"]) for s in by_url["statuses"]] == [status.pk]
    assert by_url["accounts"] == [] and by_url["hashtags"] == []
    for address in (bob.account.uri, bob.account.url):
        profile = client.get("/api/v2/search", params={"q": address, "resolve": "1"}).json()
        assert [a["username"] for a in profile["accounts"]] == ["bob"]
        assert profile["statuses"] == []
    unresolved = client.get("/api/v2/search", params={"q": status.url, "type": "accounts"})
    assert unresolved.json()["statuses"] == []
    unknown = client.get(
        "/api/v2/search", params={"q": "https://nowhere.example/@x/1", "resolve": "true"}
    ).json()
    assert unknown == {"accounts": [], "statuses": [], "hashtags": []}


def test_anonymous_search_and_errors(alice, bob, base_url, http_for) -> None:
    post(alice, "hello world #hello")
    url = f"{base_url}/api/v2/search"
    anonymous = httpx.get(url, params={"q": "hello"})
    assert anonymous.status_code == 200
    body = anonymous.json()
    assert body["statuses"] == [] and [t["name"] for t in body["hashtags"]] == ["hello"]
    assert "following" not in body["hashtags"][0]
    paging = httpx.get(url, params={"q": "hello", "offset": 0})
    assert paging.status_code == 401
    assert paging.json() == {
        "error": "Search queries pagination is not supported without authentication"
    }
    resolving = httpx.get(url, params={"q": "hello", "resolve": "true"})
    assert resolving.status_code == 401
    assert resolving.json() == {
        "error": "Search queries that resolve remote resources are not supported without "
        "authentication"
    }
    for params in ({}, {"q": ""}, {"q": "   "}):
        missing = httpx.get(url, params=params)
        assert missing.status_code == 400
        assert missing.json() == {"error": "param is missing or the value is empty: q"}
    client = http_for(alice)
    negative = client.get("/api/v2/search", params={"q": "hello", "limit": -1})
    assert negative.status_code == 400
    assert negative.json() == {
        "error": "Pagination values for `offset` and `limit` must be positive"
    }
    assert client.get("/api/v2/search", params={"q": "hello", "type": "nothing"}).json() == {
        "accounts": [], "statuses": [], "hashtags": [],
    }  # fmt: skip
    no_scope = http_for(alice, scope="read:statuses")
    refused = no_scope.get("/api/v2/search", params={"q": "hello"})
    assert refused.status_code == 403 and refused.json() == SCOPE_ERROR
    assert (
        http_for(bob, scope="read:search").get("/api/v2/search", params={"q": "hello"}).status_code
        == 200
    )
