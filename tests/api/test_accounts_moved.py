"""A moved account through the API: its entity nests the new account as `moved`, and it can
no longer post or boost."""

from collections.abc import Callable

import httpx
import pytest
from mastodon import Mastodon, MastodonAPIError

from accounts.models import User
from accounts.services.migration import do_add_alias, do_move
from tests.conftest import PASSWORD
from timelines.services.statuses import StatusInput, do_create_status


def test_moved_entity_and_posting_refused(
    alice: User,
    bob: User,
    make_user: Callable[..., User],
    api_for: Callable[..., Mastodon],
    http_for: Callable[..., httpx.Client],
) -> None:
    carol = make_user("carol")
    earlier = do_create_status(account=carol.account, data=StatusInput(text="Boost me"))
    do_add_alias(account=bob.account, handle="alice")
    do_move(user=alice, handle="bob", password=PASSWORD)

    seen = api_for(carol).account(alice.account.pk)
    assert str(seen["moved"]["id"]) == str(bob.account.pk) and seen["moved"]["acct"] == "bob"
    assert seen["moved"].get("moved") is None
    assert api_for(bob).account(bob.account.pk).get("moved") is None

    client = http_for(alice)
    response = client.post("/api/v1/statuses", data={"status": "Still here?"})
    assert response.status_code == 422
    assert response.json() == {
        "error": "Validation failed: This account has moved to another one and can no longer post"
    }
    with pytest.raises(MastodonAPIError):
        api_for(alice).status_reblog(earlier.pk)
    # Reading still works, as for any signed-in user.
    assert api_for(alice).account_verify_credentials()["moved"]["acct"] == "bob"
