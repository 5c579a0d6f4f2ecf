"""For one endpoint of every family: a token without the scope is refused with 403, a revoked
token with 401, and a suspended or disabled account's token with 403 — and nothing changes."""

from collections.abc import Callable

import httpx
import pytest
from django.utils import timezone
from oauth2_provider.models import get_access_token_model

from accounts.models import Account, User
from timelines.models import Status

# (method, path, body, scope that is enough, a scope that is not)
FAMILIES = [
    ("GET", "/api/v1/accounts/verify_credentials", None, "read:accounts", "write"),
    ("PATCH", "/api/v1/accounts/update_credentials", {"display_name": "X"}, "write:accounts",
     "read"),
    ("GET", "/api/v1/blocks", None, "read:blocks", "write"),
    ("GET", "/api/v1/follow_requests", None, "read:follows", "write"),
    ("POST", "/api/v1/statuses", {"status": "matrix"}, "write:statuses", "read"),
    ("GET", "/api/v1/timelines/home", None, "read:statuses", "write"),
    ("GET", "/api/v1/notifications", None, "read:notifications", "write"),
    ("GET", "/api/v2/notifications", None, "read:notifications", "write"),
    ("GET", "/api/v1/markers?timeline[]=home", None, "read:statuses", "write"),
    ("GET", "/api/v1/conversations", None, "read:statuses", "write"),
    ("GET", "/api/v1/bookmarks", None, "read:bookmarks", "write"),
    ("GET", "/api/v1/favourites", None, "read:favourites", "write"),
    ("GET", "/api/v1/lists", None, "read:lists", "write"),
    ("POST", "/api/v1/lists", {"title": "Friends"}, "write:lists", "read"),
    ("GET", "/api/v2/filters", None, "read:filters", "write"),
    ("GET", "/api/v1/followed_tags", None, "read:follows", "write"),
    ("GET", "/api/v1/preferences", None, "read:accounts", "write"),
    ("GET", "/api/v1/scheduled_statuses", None, "read:statuses", "write"),
    ("GET", "/api/v1/mutes", None, "read:mutes", "write"),
    ("GET", "/api/v1/domain_blocks", None, "read:blocks", "write"),
    ("DELETE", "/api/v1/push/subscription", None, "push", "read write follow"),
]  # fmt: skip
IDS = [f"{method} {path}" for method, path, *_ in FAMILIES]


def call(client: httpx.Client, method: str, path: str, body: dict | None) -> httpx.Response:
    return client.request(method, path, json=body) if body else client.request(method, path)


@pytest.mark.parametrize(("method", "path", "body", "enough", "wrong"), FAMILIES, ids=IDS)
def test_scope_is_enforced(alice, http_for, method, path, body, enough, wrong) -> None:
    allowed = call(http_for(alice, scope=enough), method, path, body)
    assert allowed.status_code == 200, allowed.text
    before = Status.objects.count()
    refused = call(http_for(alice, scope=wrong), method, path, body)
    assert refused.status_code == 403
    assert refused.json() == {"error": "This action is outside the authorized scopes"}
    assert Status.objects.count() == before


@pytest.mark.parametrize(("method", "path", "body", "enough", "wrong"), FAMILIES, ids=IDS)
def test_revoked_token_is_refused(alice, http_for, method, path, body, enough, wrong) -> None:
    client = http_for(alice)
    get_access_token_model().objects.filter(user=alice).delete()
    response = call(client, method, path, body)
    assert response.status_code == 401
    assert response.json() == {"error": "The access token is invalid"}


def suspend(user: User) -> None:
    Account.objects.filter(pk=user.account_id).update(suspended_at=timezone.now())


def disable(user: User) -> None:
    User.objects.filter(pk=user.pk).update(disabled=True)


SUSPENSIONS: dict[str, Callable[[User], None]] = {"suspended": suspend, "disabled": disable}


@pytest.mark.parametrize("how", sorted(SUSPENSIONS))
@pytest.mark.parametrize(("method", "path", "body", "enough", "wrong"), FAMILIES, ids=IDS)
def test_suspended_or_disabled_account_is_refused(
    alice, http_for, how, method, path, body, enough, wrong
) -> None:
    client = http_for(alice)
    before = Status.objects.count()
    SUSPENSIONS[how](alice)
    response = call(client, method, path, body)
    assert response.status_code == 403, response.text
    assert response.json() == {"error": "Your login is currently disabled"}
    assert Status.objects.count() == before
