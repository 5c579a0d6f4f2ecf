"""POST /api/v1/reports: the Report entity, the checks Mastodon makes, the moderators'
notifications and the admin panel's report queue."""

import httpx
import pytest
from mastodon import Mastodon
from mastodon.errors import MastodonAPIError, MastodonNotFoundError

from accounts.models import Account, Role
from moderation.models import Report, Rule
from timelines.models import Notification, Status, Visibility
from timelines.services.statuses import StatusInput, do_create_status

REPORT_FIELDS = {
    "id", "action_taken", "action_taken_at", "category", "comment", "forwarded", "created_at",
    "status_ids", "rule_ids", "target_account",
}  # fmt: skip


def post(account: Account, text: str, visibility: str = Visibility.PUBLIC) -> Status:
    return do_create_status(account=account, data=StatusInput(text=text, visibility=visibility))


def admin_reports(user_id: int) -> list[str]:
    return list(
        Notification.objects.filter(account__user__id=user_id, type="admin.report").values_list(
            "from_account__username", flat=True
        )
    )


def test_report_with_posts_and_rules_reaches_the_moderators(
    alice, bob, make_user, api_for, client_for
) -> None:
    moderator = make_user("mod", role=Role.MODERATOR)
    admin = make_user("boss", role=Role.ADMIN)
    rule = Rule.objects.create(text="No spam")
    first, second = post(bob.account, "buy now"), post(bob.account, "buy again")
    api = api_for(alice)
    report = api.report(
        bob.account.pk, status_ids=[first.pk, second.pk], comment="Spam", rule_ids=[rule.pk]
    )
    assert report["category"] == "violation" and report["comment"] == "Spam"
    assert report["action_taken"] is False and report["action_taken_at"] is None
    assert report["forwarded"] is False
    assert sorted(report["status_ids"]) == sorted([str(first.pk), str(second.pk)])
    assert report["rule_ids"] == [str(rule.pk)]
    assert report["target_account"]["id"] == str(bob.account.pk)
    saved = Report.objects.get()
    assert saved.account == alice.account and saved.target_account == bob.account
    assert admin_reports(moderator.pk) == admin_reports(admin.pk) == ["alice"]
    assert admin_reports(bob.pk) == admin_reports(alice.pk) == []

    # A second open report about the same account does not notify again.
    api.report(bob.account.pk, comment="Still spamming", category="spam")
    assert admin_reports(moderator.pk) == ["alice"]
    assert Report.objects.count() == 2

    queue = client_for(moderator).get("/admin/moderation/report/?state=open")
    assert queue.status_code == 200
    assert b"Still spamming" in queue.content and b"bob" in queue.content


def test_plain_reports_default_to_other_with_no_rules(alice, bob, http_for) -> None:
    with http_for(alice, scope="write:reports") as client:
        response = client.post("/api/v1/reports", data={"account_id": str(bob.account.pk)})
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == REPORT_FIELDS
    assert body["category"] == "other" and body["comment"] == ""
    assert body["status_ids"] == [] and body["rule_ids"] is None
    assert body["created_at"].endswith("Z") and len(body["created_at"]) == 24


def test_rule_ids_make_a_report_a_violation_and_forms_work(alice, bob, http_for) -> None:
    rule = Rule.objects.create(text="Be kind")
    status = post(bob.account, "rude")
    form = {
        "account_id": str(bob.account.pk),
        "category": "spam",
        "rule_ids[]": [str(rule.pk)],
        "status_ids[]": [str(status.pk)],
    }
    with http_for(alice) as client:
        body = client.post("/api/v1/reports", data=form).json()
    assert body["category"] == "violation" and body["rule_ids"] == [str(rule.pk)]
    assert body["status_ids"] == [str(status.pk)]


def test_reports_about_remote_accounts_record_forwarding(alice, bob, api_for, http_for) -> None:
    remote = Account.objects.create(username="spammer", domain="remote.example")
    api = api_for(alice)
    forwarded = api.report(remote.pk, comment="spam", forward=True, category="spam")
    assert forwarded["forwarded"] is True
    assert Report.objects.get(pk=forwarded["id"]).forward_to_domains == ["remote.example"]
    with http_for(alice) as client:  # Mastodon.py does not know the "legal" category yet
        chosen = client.post(
            "/api/v1/reports",
            json={"account_id": str(remote.pk), "forward": "true", "category": "legal",
                  "forward_to_domains": ["Other.Example", "other.example"]},
        ).json()  # fmt: skip
    assert chosen["category"] == "legal" and chosen["forwarded"] is True
    assert Report.objects.get(pk=chosen["id"]).forward_to_domains == ["other.example"]
    assert api.report(remote.pk, forward=False)["forwarded"] is False
    # A local account's report has nowhere to be forwarded.
    assert api.report(bob.account.pk, forward=True)["forwarded"] is False


@pytest.mark.parametrize(
    ("change", "status", "error"),
    [
        ({"account_id": None}, 404, "Record not found"),
        ({"account_id": "999999"}, 404, "Record not found"),
        ({"account_id": "abc"}, 404, "Record not found"),
        ({"status_ids": ["mine"]}, 404, "Record not found"),
        ({"status_ids": ["private"]}, 404, "Record not found"),
        ({"status_ids": ["x1"]}, 404, "Record not found"),
        ({"comment": "x" * 1001}, 422,
         "Validation failed: Comment is too long (maximum is 1000 characters)"),
        ({"category": "bogus"}, 422, "Validation failed: Category is not included in the list"),
        ({"category": "violation"}, 422,
         "Validation failed: Rule ids does not reference valid rules"),
        ({"rule_ids": ["424242"]}, 422,
         "Validation failed: Rule ids does not reference valid rules"),
    ],
)  # fmt: skip
def test_bad_reports_are_refused_and_change_nothing(
    alice, bob, make_user, http_for, change, status, error
) -> None:
    moderator = make_user("mod", role=Role.MODERATOR)
    mine = post(alice.account, "my own post")
    private = post(bob.account, "followers only", Visibility.PRIVATE)
    ids = {"mine": str(mine.pk), "private": str(private.pk)}
    body: dict[str, object] = {"account_id": str(bob.account.pk), "comment": "bad"}
    body.update(change)
    if "status_ids" in change:
        body["status_ids"] = [ids.get(v, v) for v in change["status_ids"]]
    with http_for(alice) as client:
        response = client.post("/api/v1/reports", json=body)
    assert response.status_code == status
    assert response.json() == {"error": error}
    assert not Report.objects.exists()
    assert admin_reports(moderator.pk) == []


def test_reports_need_a_user_token_with_the_scope(alice, bob, http_for, base_url) -> None:
    body = {"account_id": str(bob.account.pk)}
    with http_for(alice, scope="read") as client:
        refused = client.post("/api/v1/reports", json=body)
    assert refused.status_code == 403
    assert refused.json() == {"error": "This action is outside the authorized scopes"}
    anonymous = httpx.post(f"{base_url}/api/v1/reports", json=body)
    assert anonymous.status_code == 401
    assert anonymous.json() == {"error": "The access token is invalid"}
    app = Mastodon.create_app("Reporter", scopes=["write"], api_base_url=base_url)
    token = httpx.post(
        f"{base_url}/oauth/token",
        data={"grant_type": "client_credentials", "client_id": app[0], "client_secret": app[1],
              "scope": "write"},
    ).json()["access_token"]  # fmt: skip
    app_only = httpx.post(
        f"{base_url}/api/v1/reports", json=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert app_only.status_code == 422
    assert app_only.json() == {"error": "This method requires an authenticated user"}
    assert not Report.objects.exists()


def test_mastodon_py_sees_missing_accounts_and_bad_input(alice, api_for) -> None:
    api = api_for(alice)
    with pytest.raises(MastodonNotFoundError):
        api.report(123456789)
    with pytest.raises(MastodonAPIError):
        api.report(alice.account.pk, category="violation")
    assert not Report.objects.exists()


def test_moderators_resolve_and_reopen_reports_in_the_admin(
    alice, bob, make_user, api_for, client_for
) -> None:
    moderator = make_user("mod", role=Role.MODERATOR)
    report_id = api_for(alice).report(bob.account.pk, comment="spam")["id"]
    panel = client_for(moderator)
    for action in ("assign_to_me", "resolve"):
        page = panel.post(
            "/admin/moderation/report/", {"action": action, "_selected_action": [report_id]}
        )
        assert page.status_code == 302
    report = Report.objects.get(pk=report_id)
    assert report.action_taken and report.action_taken_by_account == moderator.account
    assert report.assigned_account == moderator.account
    panel.post("/admin/moderation/report/", {"action": "reopen", "_selected_action": [report_id]})
    assert not Report.objects.get(pk=report_id).action_taken
    user_panel = client_for(bob).get("/admin/moderation/report/")
    assert user_panel.status_code == 302  # to the admin login: users have no admin access
