"""Finding accounts: lookup, search, the directory, suggestions, and several ids at once."""

import httpx
from django.utils import timezone

from accounts.models import Block, Follow, SuggestionDismissal
from fediverse import uris
from tests.api.accounts_support import NOT_FOUND, SCOPE_ERROR, remote_account
from timelines.services.statuses import StatusInput, do_create_status


def test_lookup_by_handle(alice, make_user, base_url) -> None:
    remote_account("carol")
    make_user("penny", approved=False)
    host = uris.base_url().split("://", 1)[1]
    for acct in ("alice", "@alice", f"alice@{host}", "ALICE"):
        found = httpx.get(f"{base_url}/api/v1/accounts/lookup", params={"acct": acct})
        assert found.status_code == 200 and found.json()["id"] == str(alice.account.pk), acct
    remote = httpx.get(f"{base_url}/api/v1/accounts/lookup?acct=carol@remote.example").json()
    assert remote["acct"] == "carol@remote.example"
    for acct in ("nobody", "penny", "", "carol@elsewhere.example"):
        missing = httpx.get(f"{base_url}/api/v1/accounts/lookup", params={"acct": acct})
        assert missing.status_code == 404 and missing.json() == NOT_FOUND


def test_search_by_prefix_of_name_or_display_name(alice, make_user, api_for, http_for) -> None:
    bob = make_user("bobby")
    bob.account.display_name = "Robert Tables"
    bob.account.save()
    roberta = make_user("roberta")
    Follow.objects.create(account=make_user("fan").account, target_account=roberta.account)
    remote_account("bob", "remote.example")
    blocker = make_user("bobcat")
    Block.objects.create(account=blocker.account, target_account=alice.account)
    api = api_for(alice)
    assert {a["acct"] for a in api.account_search("bob")} == {"bobby", "bob@remote.example"}
    assert [a["username"] for a in api.account_search("tables")] == ["bobby"]
    assert [a["acct"] for a in api.account_search("@bob@remote")] == ["bob@remote.example"]
    # The most followed first, until someone the viewer follows comes before them.
    assert [a["username"] for a in api.account_search("rob")] == ["roberta", "bobby"]
    Follow.objects.create(account=alice.account, target_account=bob.account)
    assert [a["username"] for a in api.account_search("rob", following=True)] == ["bobby"]
    assert [a["username"] for a in api.account_search("rob")] == ["bobby", "roberta"]
    assert len(api.account_search("rob", limit=1)) == 1
    assert [a["username"] for a in api.account_search("rob", limit=1, offset=1)] == ["roberta"]
    assert api.account_search("   ") == []
    assert http_for(alice, scope="write").get("/api/v1/accounts/search?q=a").json() == (SCOPE_ERROR)


def test_directory_lists_discoverable_accounts(alice, bob, make_user, base_url) -> None:
    hidden = make_user("hidden")
    hidden.account.discoverable = False
    hidden.account.save()
    make_user("penny", approved=False)
    remote_account("carol")
    do_create_status(account=bob.account, data=StatusInput(text="recent"))
    url = f"{base_url}/api/v1/directory"
    active = [a["acct"] for a in httpx.get(url).json()]
    assert active[0] == "bob" and set(active) == {"bob", "alice", "carol@remote.example"}
    newest = [a["acct"] for a in httpx.get(url, params={"order": "new", "local": "true"}).json()]
    assert newest == ["bob", "alice"]
    assert len(httpx.get(url, params={"limit": 1, "offset": 1}).json()) == 1


def test_suggestions_from_friends_then_popular(alice, bob, make_user, api_for, http_for) -> None:
    carol, dave, erin = make_user("carol"), make_user("dave"), make_user("erin")
    Follow.objects.create(account=alice.account, target_account=bob.account)
    Follow.objects.create(account=bob.account, target_account=carol.account)
    Follow.objects.create(account=erin.account, target_account=dave.account)
    Follow.objects.create(account=bob.account, target_account=dave.account)
    Follow.objects.create(account=carol.account, target_account=erin.account)
    api = api_for(alice)
    v2 = api.suggestions_v2()
    assert [s["account"]["username"] for s in v2][:2] == ["dave", "carol"]
    assert v2[0]["sources"] == ["friends_of_friends"] and v2[0]["source"] == "past_interactions"
    assert v2[-1]["sources"] == ["most_followed"] and v2[-1]["source"] == "global"
    assert "bob" not in {s["account"]["username"] for s in v2}
    assert "alice" not in {s["account"]["username"] for s in v2}
    client = http_for(alice)
    v1 = client.get("/api/v1/suggestions").json()
    assert [a["username"] for a in v1] == [s["account"]["username"] for s in v2]
    assert client.delete(f"/api/v1/suggestions/{dave.account.pk}").json() == {}
    assert SuggestionDismissal.objects.filter(account=alice.account).count() == 1
    assert "dave" not in {a["username"] for a in client.get("/api/v1/suggestions").json()}
    assert client.delete("/api/v1/suggestions/999").status_code == 404
    reader = http_for(alice, scope="read")
    assert reader.delete(f"/api/v1/suggestions/{carol.account.pk}").json() == SCOPE_ERROR


def test_several_accounts_at_once(alice, bob, make_user, http_for) -> None:
    sam = make_user("sam")
    sam.account.suspended_at = timezone.now()
    sam.account.save()
    client = http_for(alice, scope="read:accounts")
    ids = [bob.account.pk, sam.account.pk, alice.account.pk, 77]
    found = client.get("/api/v1/accounts", params=[("id[]", str(pk)) for pk in ids]).json()
    assert [a["username"] for a in found] == ["bob", "alice"]
    too_many = client.get("/api/v1/accounts", params=[("id[]", str(n)) for n in range(41)])
    assert too_many.status_code == 422
