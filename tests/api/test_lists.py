"""Lists, their members and the list timeline, checked against Mastodon's List entity, its
errors and its paging."""

from urllib.parse import parse_qs, urlparse

import httpx
import pytest
from mastodon import Mastodon
from mastodon.errors import MastodonNotFoundError

from accounts.services.follows import do_follow, do_unfollow
from tests.api.accounts_support import NOT_FOUND, SCOPE_ERROR, link_order, links
from timelines.models import Status
from timelines.models_curation import List, ListAccount
from timelines.services.lists import MAX_LISTS, do_create_list
from timelines.services.statuses import StatusInput, do_create_status


def post(user, text: str, **options) -> Status:
    return do_create_status(account=user.account, data=StatusInput(text=text, **options))


def path_of(url: str) -> str:
    """A Link URL (built on the instance's own domain) as a path for the test server."""
    parts = urlparse(url)
    return f"{parts.path}?{parts.query}"


def test_list_lifecycle_through_mastodon_py(alice, api_for) -> None:
    api: Mastodon = api_for(alice)
    created = api.list_create("Friends", replies_policy="followed", exclusive=True)
    assert set(created) >= {"id", "title", "replies_policy", "exclusive"}
    assert created["title"] == "Friends" and created["replies_policy"] == "followed"
    assert created["exclusive"] is True and isinstance(created["id"], str)
    plain = api.list_create("Work")
    assert plain["replies_policy"] == "list" and plain["exclusive"] is False
    assert [lst["title"] for lst in api.lists()] == ["Friends", "Work"]
    assert api.list(created["id"])["title"] == "Friends"
    updated = api.list_update(created["id"], "Close friends", replies_policy="none")
    assert updated["title"] == "Close friends" and updated["replies_policy"] == "none"
    api.list_delete(plain["id"])
    with pytest.raises(MastodonNotFoundError):
        api.list(plain["id"])
    assert [lst["title"] for lst in api.lists()] == ["Close friends"]


def test_update_changes_only_what_is_sent(alice, http_for) -> None:
    client = http_for(alice)
    created = client.post("/api/v1/lists", json={"title": "News", "exclusive": True}).json()
    response = client.put(f"/api/v1/lists/{created['id']}", data={"replies_policy": "none"})
    assert response.status_code == 200
    assert response.json() == {
        "id": created["id"], "title": "News", "replies_policy": "none", "exclusive": True,
    }  # fmt: skip
    off = client.put(f"/api/v1/lists/{created['id']}/", data={"exclusive": "0"}).json()
    assert off["exclusive"] is False and off["title"] == "News"


def test_bad_input_is_refused_and_changes_nothing(alice, http_for) -> None:
    client = http_for(alice)
    blank = client.post("/api/v1/lists", data={"title": "  "})
    assert blank.status_code == 422
    assert blank.json() == {"error": "Validation failed: Title can't be blank"}
    missing = client.post("/api/v1/lists", json={})
    assert missing.json() == {"error": "Validation failed: Title can't be blank"}
    policy = client.post("/api/v1/lists", data={"title": "x", "replies_policy": "everyone"})
    assert policy.status_code == 422
    assert policy.json() == {"error": "'everyone' is not a valid replies_policy"}
    assert not List.objects.exists()
    kept = do_create_list(account=alice.account, title="Kept")
    assert client.put(f"/api/v1/lists/{kept.pk}", data={"title": ""}).status_code == 422
    kept.refresh_from_db()
    assert kept.title == "Kept"


def test_an_account_has_at_most_fifty_lists(alice, http_for) -> None:
    for n in range(MAX_LISTS):
        do_create_list(account=alice.account, title=f"List {n}")
    response = http_for(alice).post("/api/v1/lists", data={"title": "One more"})
    assert response.status_code == 422
    assert response.json() == {
        "error": "Validation failed: You have reached the maximum number of lists"
    }
    assert List.objects.filter(account=alice.account).count() == MAX_LISTS


def test_other_peoples_lists_answer_as_missing(alice, bob, http_for) -> None:
    theirs = do_create_list(account=bob.account, title="Bob's")
    client = http_for(alice)
    for method, path in [
        ("GET", f"/api/v1/lists/{theirs.pk}"),
        ("PUT", f"/api/v1/lists/{theirs.pk}"),
        ("DELETE", f"/api/v1/lists/{theirs.pk}"),
        ("GET", f"/api/v1/lists/{theirs.pk}/accounts"),
        ("POST", f"/api/v1/lists/{theirs.pk}/accounts"),
        ("GET", f"/api/v1/timelines/list/{theirs.pk}"),
        ("GET", "/api/v1/lists/not-a-number"),
        ("GET", "/api/v1/timelines/list/123"),
    ]:
        response = client.request(method, path, data={"title": "Mine now"})
        assert response.status_code == 404, (method, path)
        assert response.json() == NOT_FOUND
    assert List.objects.get(pk=theirs.pk).title == "Bob's"


def test_members_must_be_followed(alice, bob, make_user, http_for) -> None:
    carol = make_user("carol")
    do_follow(account=alice.account, target=bob.account)
    mine = do_create_list(account=alice.account, title="Mine")
    client = http_for(alice)
    url = f"/api/v1/lists/{mine.pk}/accounts"
    refused = client.post(url, data={"account_ids[]": [bob.account.pk, carol.account.pk]})
    assert refused.status_code == 422
    assert refused.json() == {"error": "Validation failed: Account must be a followed account"}
    assert not ListAccount.objects.exists()
    unknown = client.post(url, data={"account_ids[]": ["999999"]})
    assert unknown.status_code == 404 and unknown.json() == NOT_FOUND
    added = client.post(url, json={"account_ids": [str(bob.account.pk), str(alice.account.pk)]})
    assert added.status_code == 200 and added.json() == {}
    again = client.post(url, data={"account_ids[]": bob.account.pk})
    assert again.status_code == 422
    assert again.json() == {"error": "Validation failed: Account is already on the list"}
    members = client.get(url).json()
    assert {a["username"] for a in members} == {"alice", "bob"}
    assert {"id", "acct", "followers_count", "avatar"} <= set(members[0])
    # Unfollowing takes the account off the follower's lists, as in Mastodon.
    do_unfollow(account=alice.account, target=bob.account)
    assert [a["username"] for a in client.get(url).json()] == ["alice"]


def test_member_pages_and_removal(alice, make_user, api_for, http_for, base_url) -> None:
    friends = [make_user(f"friend{n}") for n in range(3)]
    for friend in friends:
        do_follow(account=alice.account, target=friend.account)
    api = api_for(alice)
    mine = api.list_create("Friends")
    api.list_accounts_add(mine["id"], [f.account.pk for f in friends])
    assert {a["username"] for a in api.list_accounts(mine["id"])} == {
        "friend0", "friend1", "friend2",
    }  # fmt: skip
    client = http_for(alice)
    url = f"/api/v1/lists/{mine['id']}/accounts"
    first = client.get(url, params={"limit": 2})
    newest = sorted((f.account.pk for f in friends), reverse=True)
    assert [int(a["id"]) for a in first.json()] == newest[:2]
    assert link_order(first) == ["next", "prev"]
    assert parse_qs(urlparse(links(first)["next"]).query)["max_id"] == [str(newest[1])]
    assert parse_qs(urlparse(links(first)["prev"]).query)["since_id"] == [str(newest[0])]
    rest = client.get(path_of(links(first)["next"]))
    assert [int(a["id"]) for a in rest.json()] == newest[2:]
    assert link_order(rest) == ["prev"]
    everyone = client.get(url, params={"limit": 0})
    assert len(everyone.json()) == 3 and "link" not in everyone.headers
    api.list_accounts_delete(mine["id"], [friends[0].account.pk])
    gone = client.delete(url, params={"account_ids[]": friends[1].account.pk})
    assert gone.status_code == 200 and gone.json() == {}
    assert [a["username"] for a in api.list_accounts(mine["id"])] == ["friend2"]


def test_list_timeline_follows_the_replies_policy(alice, bob, make_user, api_for) -> None:
    carol, dave = make_user("carol"), make_user("dave")
    for target in (bob, carol, dave):
        do_follow(account=alice.account, target=target.account)
    api = api_for(alice)
    mine = api.list_create("Bob and Carol")
    api.list_accounts_add(mine["id"], [bob.account.pk, carol.account.pk])
    hello = post(bob, "hello from bob")
    to_carol = post(bob, "@carol a reply to a member", in_reply_to_id=post(carol, "carol").pk)
    to_dave = post(bob, "@dave a reply to a followed non-member", in_reply_to_id=post(dave, "d").pk)
    post(bob, "only for dave @dave", visibility="direct")
    post(dave, "dave is not on the list")

    def texts() -> list[str]:
        return [s["content"] for s in api.timeline_list(mine["id"])]

    seen = texts()
    assert any("hello from bob" in c for c in seen) and any(
        "a reply to a member" in c for c in seen
    )
    assert not any("followed non-member" in c or "only for dave" in c for c in seen)
    assert not any("dave is not on the list" in c for c in seen)
    api.list_update(mine["id"], "Bob and Carol", replies_policy="followed")
    assert any("followed non-member" in c for c in texts())
    api.list_update(mine["id"], "Bob and Carol", replies_policy="none")
    ids = [int(s["id"]) for s in api.timeline_list(mine["id"])]
    assert hello.pk in ids and to_carol.pk not in ids and to_dave.pk not in ids


def test_exclusive_lists_keep_their_members_off_home(alice, bob, make_user, api_for) -> None:
    carol = make_user("carol")
    do_follow(account=alice.account, target=bob.account)
    do_follow(account=alice.account, target=carol.account)
    api = api_for(alice)
    mine = api.list_create("Bob only", exclusive=True)
    api.list_accounts_add(mine["id"], [bob.account.pk, alice.account.pk])
    from_bob, from_carol, own = post(bob, "bob"), post(carol, "carol"), post(alice, "me")
    home = [int(s["id"]) for s in api.timeline_home()]
    assert from_carol.pk in home and own.pk in home and from_bob.pk not in home
    assert from_bob.pk in [int(s["id"]) for s in api.timeline_list(mine["id"])]
    api.list_update(mine["id"], "Bob only", exclusive=False)
    assert from_bob.pk in [int(s["id"]) for s in api.timeline_home()]


def test_scopes_and_tokens(alice, http_for, base_url) -> None:
    reader = http_for(alice, scope="read")
    refused = reader.post("/api/v1/lists", data={"title": "Nope"})
    assert refused.status_code == 403 and refused.json() == SCOPE_ERROR
    assert not List.objects.exists()
    assert reader.get("/api/v1/lists").status_code == 200
    statuses_only = http_for(alice, scope="read:statuses write:statuses")
    assert statuses_only.get("/api/v1/lists").json() == SCOPE_ERROR
    mine = do_create_list(account=alice.account, title="Mine")
    for path in ("/api/v1/lists", f"/api/v1/timelines/list/{mine.pk}"):
        assert statuses_only.get(path).status_code == 403
        anonymous = httpx.get(base_url + path)
        assert anonymous.status_code == 401
        assert anonymous.json() == {"error": "The access token is invalid"}
    granular = http_for(alice, scope="read:lists write:lists")
    assert granular.delete(f"/api/v1/lists/{mine.pk}").status_code == 200
    assert not List.objects.exists()
