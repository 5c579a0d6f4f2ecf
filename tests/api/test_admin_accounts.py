"""The admin API for accounts: Mastodon.py's admin calls, filters, actions checked from the
affected side, and who may call at all (role and scope)."""

from collections.abc import Callable

import pytest
from django.test import Client

from accounts.models import Account, Role, User
from accounts.services.registration import do_create_local_account
from moderation.models import AccountWarning, AuditLog, Report
from tests.api.accounts_support import remote_account
from tests.conftest import PASSWORD
from tests.moderation.actions_support import bearer, post, public_ids

MakeUser = Callable[..., User]
ADMIN_SCOPES = "read write admin:read admin:write"


@pytest.fixture
def moderator(make_user: MakeUser) -> User:
    return make_user("warden", role=Role.MODERATOR)


def test_mastodon_py_lists_and_suspends(api_for, alice: User, moderator: User) -> None:
    api = api_for(moderator, scope=ADMIN_SCOPES)
    remote_account("faraway", "remote.example")
    local = api.admin_accounts_v2(origin="local")
    assert {a["username"] for a in local} == {"alice", "warden"}
    found = api.admin_account(alice.account.pk)
    assert found["email"] == alice.email and found["role"]["id"] == "-99"
    assert found["account"]["acct"] == "alice" and found["suspended"] is False

    api.admin_account_moderate(alice.account.pk, action="suspend", text="Spam.")
    assert api.admin_account(alice.account.pk)["suspended"] is True
    assert bearer(alice).get("/api/v1/accounts/verify_credentials").status_code == 403
    api.admin_account_unsuspend(alice.account.pk)
    assert bearer(alice).get("/api/v1/accounts/verify_credentials").status_code == 200


def test_filters(alice: User, bob: User, moderator: User) -> None:
    client = bearer(moderator, ADMIN_SCOPES)
    remote = remote_account("faraway", "remote.example")
    Account.objects.filter(pk=bob.account.pk).update(silenced_at=remote.created_at)

    def names(url: str) -> set[str]:
        response = client.get(url)
        assert response.status_code == 200
        return {a["username"] for a in response.json()}

    assert names("/api/v1/admin/accounts?remote=true") == {"faraway"}
    assert names("/api/v1/admin/accounts?silenced=true") == {"bob"}
    assert names("/api/v1/admin/accounts?staff=true") == {"warden"}
    assert names("/api/v1/admin/accounts?username=al") == {"alice"}
    assert names("/api/v2/admin/accounts?status=silenced") == {"bob"}
    assert names("/api/v2/admin/accounts?origin=remote&by_domain=remote.example") == {"faraway"}
    assert names("/api/v2/admin/accounts?permissions=staff") == {"warden"}
    limited = client.get("/api/v2/admin/accounts?limit=1")
    assert len(limited.json()) == 1 and 'rel="next"' in limited["Link"]


def test_actions_from_the_affected_side(alice: User, bob: User, moderator: User) -> None:
    client = bearer(moderator, ADMIN_SCOPES)
    status = post(alice.account)
    report = Report.objects.create(
        account=bob.account, target_account=alice.account, status_ids=[status.pk]
    )
    url = f"/api/v1/admin/accounts/{alice.account.pk}"
    response = client.post(
        f"{url}/action", {"type": "silence", "text": "Noisy.", "report_id": str(report.pk)}
    )
    assert response.status_code == 200 and response.json() == {}
    assert str(status.pk) not in public_ids()
    assert Report.objects.get(pk=report.pk).action_taken_at is not None
    assert AccountWarning.objects.get().status_ids == [status.pk]

    assert client.post(f"{url}/unsilence").json()["silenced"] is False
    assert str(status.pk) in public_ids()
    client.post(f"{url}/action", {"type": "sensitive"})
    assert Client().get(f"/api/v1/statuses/{status.pk}").json()["sensitive"] is True
    assert client.post(f"{url}/unsensitive").json()["sensitized"] is False
    client.post(f"{url}/action", {"type": "disable"})
    assert bearer(alice).get("/api/v1/accounts/verify_credentials").status_code == 403
    assert client.post(f"{url}/enable").json()["disabled"] is False
    assert [e.action for e in AuditLog.objects.order_by("id")] == [
        "silence",
        "unsilence",
        "sensitive",
        "unsensitive",
        "disable",
        "enable",
    ]


def test_approve_and_reject_applicants(moderator: User) -> None:
    client = bearer(moderator, ADMIN_SCOPES)
    one, two = (
        do_create_local_account(
            username=name,
            email=f"{name}@example.com",
            password=PASSWORD,
            confirmed=True,
            approved=False,
        )
        for name in ("first", "second")
    )
    pending = client.get("/api/v1/admin/accounts?pending=true").json()
    assert {a["username"] for a in pending} == {"first", "second"}
    approved = client.post(f"/api/v1/admin/accounts/{one.account.pk}/approve")
    assert approved.json()["approved"] is True
    # Approving twice is refused, as Mastodon's policy does.
    assert client.post(f"/api/v1/admin/accounts/{one.account.pk}/approve").status_code == 403
    rejected = client.post(f"/api/v1/admin/accounts/{two.account.pk}/reject")
    assert rejected.json()["username"] == "second"
    assert not User.objects.filter(pk=two.pk).exists()


def test_who_may_call(alice: User, bob: User, moderator: User, make_user: MakeUser) -> None:
    url = f"/api/v1/admin/accounts/{bob.account.pk}"
    # A user with admin scopes on the token still is no moderator.
    assert bearer(alice, ADMIN_SCOPES).get(url).status_code == 403
    assert bearer(alice, ADMIN_SCOPES).post(f"{url}/action", {"type": "suspend"}).status_code == 403
    # A moderator's token without the admin scope is refused.
    assert bearer(moderator, "read write").get(url).status_code == 403
    assert (
        bearer(moderator, "read write").post(f"{url}/action", {"type": "suspend"}).status_code
        == 403
    )
    assert Client().get(url).status_code == 401
    # Granular scopes are enough.
    assert bearer(moderator, "admin:read:accounts").get(url).status_code == 200
    # Moderators cannot act on admins.
    admin = make_user("chief", role=Role.ADMIN)
    refused = bearer(moderator, ADMIN_SCOPES).post(
        f"/api/v1/admin/accounts/{admin.account.pk}/action", {"type": "suspend"}
    )
    assert refused.status_code == 403
    assert Account.objects.filter(suspended_at__isnull=False).count() == 0


def test_bad_input(moderator: User, alice: User) -> None:
    client = bearer(moderator, ADMIN_SCOPES)
    assert client.get("/api/v1/admin/accounts/123").status_code == 404
    assert client.get("/api/v1/admin/accounts/abc").status_code == 404
    url = f"/api/v1/admin/accounts/{alice.account.pk}/action"
    assert client.post(url, {"type": "explode"}).status_code == 422
    assert client.post(url, {"type": "silence", "report_id": "999"}).status_code == 404
    remote = remote_account("faraway")
    disable = client.post(f"/api/v1/admin/accounts/{remote.pk}/action", {"type": "disable"})
    assert disable.status_code == 422
    assert not AccountWarning.objects.exists()
