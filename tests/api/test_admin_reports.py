"""The admin API's report queue: list, show (with followers-only posts), assign, resolve,
reopen; only for staff with the admin scopes."""

from collections.abc import Callable

import pytest
from django.test import Client

from accounts.models import Role, User
from moderation.models import Report
from tests.moderation.actions_support import bearer, post

MakeUser = Callable[..., User]
ADMIN_SCOPES = "read write admin:read admin:write"


@pytest.fixture
def moderator(make_user: MakeUser) -> User:
    return make_user("warden", role=Role.MODERATOR)


def test_report_queue(alice: User, bob: User, moderator: User) -> None:
    hidden = post(alice.account, "for my followers only", visibility="private")
    report = Report.objects.create(
        account=bob.account, target_account=alice.account, status_ids=[hidden.pk], comment="mean"
    )
    client = bearer(moderator, ADMIN_SCOPES)
    listed = client.get("/api/v1/admin/reports").json()
    assert [r["id"] for r in listed] == [str(report.pk)]
    shown = client.get(f"/api/v1/admin/reports/{report.pk}").json()
    assert shown["target_account"]["username"] == "alice"
    assert shown["account"]["username"] == "bob"
    assert [s["content"] for s in shown["statuses"]][0].find("followers only") > 0

    url = f"/api/v1/admin/reports/{report.pk}"
    assert client.post(f"{url}/assign_to_self").json()["assigned_account"]["username"] == "warden"
    assert client.post(f"{url}/unassign").json()["assigned_account"] is None
    resolved = client.post(f"{url}/resolve").json()
    assert resolved["action_taken"] is True
    assert resolved["action_taken_by_account"]["username"] == "warden"
    assert client.get("/api/v1/admin/reports").json() == []
    assert len(client.get("/api/v1/admin/reports?resolved=true").json()) == 1
    assert client.post(f"{url}/reopen").json()["action_taken"] is False
    by_target = client.get(f"/api/v1/admin/reports?target_account_id={bob.account.pk}")
    assert by_target.json() == []


def test_reports_refused_to_users_and_scopeless_tokens(
    alice: User, bob: User, moderator: User
) -> None:
    report = Report.objects.create(account=bob.account, target_account=alice.account)
    url = f"/api/v1/admin/reports/{report.pk}"
    assert bearer(alice, ADMIN_SCOPES).get(url).status_code == 403
    assert bearer(alice, ADMIN_SCOPES).post(f"{url}/resolve").status_code == 403
    assert bearer(moderator, "read write").post(f"{url}/resolve").status_code == 403
    assert Client().get("/api/v1/admin/reports").status_code == 401
    assert Report.objects.get().action_taken_at is None
    assert bearer(moderator, ADMIN_SCOPES).get("/api/v1/admin/reports/nope").status_code == 404
