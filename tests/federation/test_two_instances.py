"""Two instances of this server, each in its own processes (web server and Celery worker)
with its own PostgreSQL database and Redis database, federating over loopback; the whole
social graph is played through each one's Mastodon API and every result checked on the other
side. The harness is in tests/federation/instances.py."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.federation.instances import (
    Instance,
    hosts_available,
    ok,
    relationship,
    resolve,
    running_instances,
    wait_for,
)

DELETE_ALICE = """
from accounts.models import User
from moderation.services.registrations import do_delete_local_account
do_delete_local_account(actor=None, user=User.objects.get(account__username="alice"))
"""


@pytest.fixture(scope="module")
def instances() -> Iterator[tuple[Instance, Instance]]:
    if not hosts_available(2):
        pytest.skip("Port 80 on 127.0.0.2 and 127.0.0.3 is needed (root, and free).")
    with running_instances([["alice", "carol:locked"], ["bob", "dave"]], name="pair") as (a, b):
        yield a, b


def home_texts(client: httpx.Client) -> list[str]:
    return [s["content"] for s in ok(client.get("/api/v1/timelines/home"))]


def notifications(client: httpx.Client, kind: str) -> list[dict[str, Any]]:
    return [n for n in ok(client.get("/api/v1/notifications")) if n["type"] == kind]


def find_status(client: httpx.Client, url: str) -> dict[str, Any] | None:
    found = ok(
        client.get("/api/v2/search", params={"q": url, "resolve": "true", "type": "statuses"})
    )
    return found["statuses"][0] if found["statuses"] else None


def test_the_social_graph_across_two_instances(instances: tuple[Instance, Instance]) -> None:
    a, b = instances
    alice, carol, bob, dave = a.api("alice"), a.api("carol"), b.api("bob"), b.api("dave")

    # Search and follow an open account: the follow is a request until alice's Accept.
    alice_at_b = resolve(bob, "alice@127.0.0.2")
    assert alice_at_b["acct"] == "alice@127.0.0.2"
    ok(bob.post(f"/api/v1/accounts/{alice_at_b['id']}/follow"))
    wait_for(lambda: relationship(bob, alice_at_b["id"])["following"], "bob follows alice")
    bob_at_a = resolve(alice, "bob@127.0.0.3")
    wait_for(lambda: relationship(alice, bob_at_a["id"])["followed_by"], "alice sees bob")

    # A locked account: requested, then authorized by hand.
    carol_at_b = resolve(bob, "carol@127.0.0.2")
    assert carol_at_b["locked"]
    ok(bob.post(f"/api/v1/accounts/{carol_at_b['id']}/follow"))
    assert relationship(bob, carol_at_b["id"])["requested"]
    requests = wait_for(lambda: ok(carol.get("/api/v1/follow_requests")), "carol's request")
    ok(carol.post(f"/api/v1/follow_requests/{requests[0]['id']}/authorize"))
    wait_for(lambda: relationship(bob, carol_at_b["id"])["following"], "bob follows carol")
    carol_at_b_for_dave = resolve(dave, "carol@127.0.0.2")
    ok(dave.post(f"/api/v1/accounts/{carol_at_b_for_dave['id']}/follow"))
    requests = wait_for(lambda: ok(carol.get("/api/v1/follow_requests")), "dave's request")
    ok(carol.post(f"/api/v1/follow_requests/{requests[0]['id']}/reject"))
    wait_for(
        lambda: not relationship(dave, carol_at_b_for_dave["id"])["requested"], "the reject at b"
    )
    assert not relationship(dave, carol_at_b_for_dave["id"])["following"]

    # Every visibility: followers-only reaches followers, direct only the mentioned.
    posts = {}
    for visibility in ("public", "unlisted", "private"):
        posts[visibility] = ok(
            alice.post(
                "/api/v1/statuses",
                data={"status": f"A {visibility} post #herdtest", "visibility": visibility},
            )
        )
    posts["direct"] = ok(
        alice.post(
            "/api/v1/statuses",
            data={"status": "@bob@127.0.0.3 just for you", "visibility": "direct"},
        )
    )

    def in_home(text: str) -> Callable[[], bool]:
        return lambda: any(text in t for t in home_texts(bob))

    for visibility in ("public", "unlisted", "private"):
        wait_for(in_home(f"A {visibility} post"), f"the {visibility} post in bob's home")
    wait_for(lambda: notifications(bob, "mention"), "bob's direct mention")
    assert not any("just for you" in t for t in home_texts(dave))
    assert find_status(dave, posts["private"]["uri"]) is None
    public_at_b = ok(dave.get("/api/v1/timelines/public", params={"remote": "true"}))
    assert any("public post" in s["content"] for s in public_at_b)
    assert not any("private post" in s["content"] for s in public_at_b)

    tagged = ok(bob.get("/api/v1/timelines/tag/herdtest"))
    assert [s["uri"] for s in tagged] == [posts["public"]["uri"]]

    # Reply, favourite and boost from b reach alice as notifications.
    remote_public = wait_for(lambda: find_status(bob, posts["public"]["uri"]), "the post at b")
    ok(
        bob.post(
            "/api/v1/statuses",
            data={"status": "@alice@127.0.0.2 a reply", "in_reply_to_id": remote_public["id"]},
        )
    )
    ok(bob.post(f"/api/v1/statuses/{remote_public['id']}/favourite"))
    ok(bob.post(f"/api/v1/statuses/{remote_public['id']}/reblog"))
    wait_for(lambda: notifications(alice, "mention"), "alice's reply notification")
    wait_for(lambda: notifications(alice, "favourite"), "alice's favourite notification")
    wait_for(lambda: notifications(alice, "reblog"), "alice's boost notification")
    context = ok(alice.get(f"/api/v1/statuses/{posts['public']['id']}/context"))
    assert any("a reply" in s["content"] for s in context["descendants"])

    # Edit and delete.
    ok(alice.put(f"/api/v1/statuses/{posts['public']['id']}", data={"status": "Edited!"}))
    wait_for(
        lambda: "Edited!" in ok(bob.get(f"/api/v1/statuses/{remote_public['id']}"))["content"],
        "the edit at b",
    )
    ok(alice.delete(f"/api/v1/statuses/{posts['unlisted']['id']}"))
    wait_for(lambda: not any("unlisted post" in t for t in home_texts(bob)), "the delete at b")

    # Profile update.
    ok(alice.patch("/api/v1/accounts/update_credentials", data={"display_name": "Alice A"}))
    wait_for(
        lambda: ok(bob.get(f"/api/v1/accounts/{alice_at_b['id']}"))["display_name"] == "Alice A",
        "alice's new name at b",
    )

    # Unfollow and block.
    ok(bob.post(f"/api/v1/accounts/{carol_at_b['id']}/unfollow"))
    carol_id = ok(carol.get("/api/v1/accounts/verify_credentials"))["id"]
    wait_for(lambda: not ok(carol.get(f"/api/v1/accounts/{carol_id}/followers")), "carol loses bob")
    ok(alice.post(f"/api/v1/accounts/{bob_at_a['id']}/block"))
    wait_for(lambda: not relationship(bob, alice_at_b["id"])["following"], "the block at b")

    # Account deletion, by an operator of a: the account disappears from b too.
    a.run(DELETE_ALICE)
    wait_for(
        lambda: bob.get(f"/api/v1/accounts/{alice_at_b['id']}").status_code == 404,
        "alice's deletion at b",
    )
