"""An account moves from one instance to another: its followers on the old instance, on the
new one and on a third end up following the new account, and the old profile points there.
Three instances of this server, each with its own worker (tests/federation/instances.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.federation.instances import (
    PASSWORD,
    Instance,
    hosts_available,
    ok,
    relationship,
    resolve,
    running_instances,
    wait_for,
)

ADD_ALIAS = """
import sys
from accounts.models import Account
from accounts.services.migration import do_add_alias
account = Account.objects.get(username=sys.argv[1], domain__isnull=True)
do_add_alias(account=account, handle=sys.argv[2])
"""

MOVE = """
import sys
from accounts.models import User
from accounts.services.migration import do_move
user = User.objects.get(account__username=sys.argv[1])
do_move(user=user, handle=sys.argv[2], password=sys.argv[3])
"""


@pytest.fixture(scope="module")
def instances() -> Iterator[tuple[Instance, Instance, Instance]]:
    if not hosts_available(3):
        pytest.skip("Port 80 on 127.0.0.2, 127.0.0.3 and 127.0.0.4 is needed (root, and free).")
    users = [["alice", "fiona"], ["newalice", "bob"], ["carl"]]
    with running_instances(users, name="move") as (a, b, c):
        yield a, b, c


def follow(client: httpx.Client, handle: str) -> str:
    """Follow and wait for the follow to be accepted; returns the account id seen here."""
    account_id = str(resolve(client, handle)["id"])
    ok(client.post(f"/api/v1/accounts/{account_id}/follow"))
    wait_for(lambda: relationship(client, account_id)["following"], f"following {handle}")
    return account_id


def following(client: httpx.Client, account_id: str, *, not_: bool = False) -> Callable[[], bool]:
    return lambda: relationship(client, account_id)["following"] != not_


def test_an_account_moves_with_its_followers(
    instances: tuple[Instance, Instance, Instance],
) -> None:
    a, b, c = instances
    alice, fiona = a.api("alice"), a.api("fiona")
    bob, carl = b.api("bob"), c.api("carl")
    old_at = {
        "fiona": follow(fiona, "alice"),
        "bob": follow(bob, "alice@127.0.0.2"),
        "carl": follow(carl, "alice@127.0.0.2"),
    }
    alice_id = ok(alice.get("/api/v1/accounts/verify_credentials"))["id"]
    wait_for(lambda: len(ok(alice.get(f"/api/v1/accounts/{alice_id}/followers"))) == 3,
             "three followers of alice")  # fmt: skip

    # The new account vouches for the old one, then the old one moves.
    b.run(ADD_ALIAS, "newalice", "alice@127.0.0.2")
    a.run(MOVE, "alice", "newalice@127.0.0.3", PASSWORD)

    new_at = {
        "fiona": str(resolve(fiona, "newalice@127.0.0.3")["id"]),
        "bob": str(resolve(bob, "newalice")["id"]),
        "carl": str(resolve(carl, "newalice@127.0.0.3")["id"]),
    }
    for name, client in (("fiona", fiona), ("bob", bob), ("carl", carl)):
        wait_for(following(client, new_at[name]), f"{name} following the new account")
        wait_for(following(client, old_at[name], not_=True), f"{name} off the old account")
    newalice_id = ok(b.api("newalice").get("/api/v1/accounts/verify_credentials"))["id"]
    followers = ok(b.api("newalice").get(f"/api/v1/accounts/{newalice_id}/followers"))
    assert {f["acct"] for f in followers} == {"fiona@127.0.0.2", "bob", "carl@127.0.0.4"}

    # The old profile points to the new account, on its own server and elsewhere.
    moved = ok(alice.get(f"/api/v1/accounts/{alice_id}"))["moved"]
    assert moved["acct"] == "newalice@127.0.0.3"
    wait_for(
        lambda: (
            (ok(carl.get(f"/api/v1/accounts/{old_at['carl']}")).get("moved") or {}).get("acct")
            == "newalice@127.0.0.3"
        ),
        "the move seen from the third instance",
    )
    page = httpx.get("http://127.0.0.2/@alice", timeout=30)
    assert 'class="moved-to" href="/@newalice@127.0.0.3"' in page.text

    # The old account no longer posts.
    refused = alice.post("/api/v1/statuses", data={"status": "Still here?"})
    assert refused.status_code == 422 and "moved" in refused.json()["error"]
