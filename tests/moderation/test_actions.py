"""Account actions, each checked from the affected side: what the warned, limited, suspended
or disabled user (and everyone else) sees afterwards, and what the audit log recorded."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from accounts.models import Account, Follow, FollowRequest, Role, User
from accounts.services.follows import do_follow
from moderation.models import AccountWarning, AuditLog, Report
from moderation.services.account_actions import (
    ActionRequest,
    do_account_action,
    do_delete_posts,
    do_enable,
    do_unsensitive,
    do_unsilence,
    do_unsuspend,
)
from moderation.tasks import purge_expired_suspensions
from tests.api.accounts_support import remote_account
from tests.conftest import PASSWORD
from tests.moderation.actions_support import bearer, json_of, post, public_ids, signs_in
from timelines.models import Status

MakeUser = Callable[..., User]


@pytest.fixture
def moderator(make_user: MakeUser) -> User:
    return make_user("warden", role=Role.MODERATOR)


def act(moderator: User, target: Account, type: str, **kwargs: object) -> AccountWarning:
    ask = ActionRequest(type=type, **kwargs)  # type: ignore[arg-type]
    return do_account_action(moderator=moderator.account, target=target, ask=ask)


def test_warning_is_logged_emailed_and_listed_for_the_user(
    alice: User, bob: User, moderator: User, client_for: Callable[[User], Client]
) -> None:
    bad = post(alice.account, "buy my pills")
    report = Report.objects.create(
        account=bob.account, target_account=alice.account, status_ids=[bad.pk]
    )
    mail.outbox.clear()
    act(moderator, alice.account, "none", text="No spam here.", report=report, status_ids=[bad.pk])

    entry = AuditLog.objects.get(action="none")
    assert (entry.account, entry.target_id, entry.reason) == (
        moderator.account,
        alice.account.pk,
        "No spam here.",
    )
    assert entry.report == report
    report.refresh_from_db()
    assert report.action_taken_by_account == moderator.account
    assert [m.to for m in mail.outbox] == [[alice.email]]
    assert "No spam here." in mail.outbox[0].body
    assert f"/@alice/{bad.pk}" in mail.outbox[0].body

    page = client_for(alice).get("/disputes")
    assert page.status_code == 200 and "No spam here." in page.content.decode()
    strike = AccountWarning.objects.get(target_account=alice.account)
    detail = client_for(alice).get(f"/disputes/{strike.pk}").content.decode()
    assert "buy my pills" in detail
    # Someone else's strike answers like a missing one.
    assert client_for(bob).get(f"/disputes/{strike.pk}").status_code == 404


def test_sensitive_marks_posts_for_others_but_not_the_author(
    alice: User, bob: User, moderator: User
) -> None:
    status = post(alice.account)
    act(moderator, alice.account, "sensitive")
    url = f"/api/v1/statuses/{status.pk}"
    assert json_of(Client().get(url))["sensitive"] is True
    assert json_of(bearer(bob).get(url))["sensitive"] is True
    assert json_of(bearer(alice).get(url))["sensitive"] is False
    do_unsensitive(moderator=moderator.account, target=Account.objects.get(pk=alice.account.pk))
    assert json_of(Client().get(url))["sensitive"] is False


def test_limited_posts_leave_public_timelines_and_follows_need_approval(
    alice: User, bob: User, make_user: MakeUser, moderator: User
) -> None:
    status = post(alice.account)
    assert str(status.pk) in public_ids()
    act(moderator, alice.account, "silence")
    alice.account.refresh_from_db()
    assert str(status.pk) not in public_ids()
    assert str(status.pk) not in public_ids(bearer(bob))

    # A limited account's follow of a stranger becomes a request…
    do_follow(account=alice.account, target=bob.account)
    assert FollowRequest.objects.filter(account=alice.account, target_account=bob.account).exists()
    # …but not of someone who follows it already.
    carol = make_user("carol")
    do_follow(account=carol.account, target=alice.account)
    do_follow(account=alice.account, target=carol.account)
    assert Follow.objects.filter(account=alice.account, target_account=carol.account).exists()

    do_unsilence(moderator=moderator.account, target=alice.account)
    assert str(status.pk) in public_ids()


def test_suspension_stops_tokens_login_profile_and_followers(
    alice: User, bob: User, moderator: User
) -> None:
    status = post(alice.account)
    do_follow(account=bob.account, target=alice.account)
    api = bearer(alice)
    assert api.get("/api/v1/accounts/verify_credentials").status_code == 200

    act(moderator, alice.account, "suspend", text="Harassment.")

    refused = api.get("/api/v1/accounts/verify_credentials")
    assert refused.status_code == 403
    assert Client().get("/@alice").status_code == 404
    assert Client().get(f"/api/v1/statuses/{status.pk}").status_code == 404
    ap = Client().get(f"/users/alice/statuses/{status.pk}", HTTP_ACCEPT="application/activity+json")
    assert ap.status_code == 404
    assert str(status.pk) not in public_ids()
    assert not Follow.objects.filter(target_account=alice.account).exists()
    assert not signs_in(alice, PASSWORD)

    do_unsuspend(moderator=moderator.account, target=Account.objects.get(pk=alice.account.pk))
    assert api.get("/api/v1/accounts/verify_credentials").status_code == 200
    assert signs_in(alice, PASSWORD)
    assert Client().get("/@alice").status_code == 200


def test_suspension_becomes_final_after_thirty_days(alice: User, moderator: User) -> None:
    post(alice.account)
    act(moderator, alice.account, "suspend")
    account = Account.objects.get(pk=alice.account.pk)
    # Within the grace period nothing is deleted.
    assert purge_expired_suspensions() == 0
    Account.objects.filter(pk=account.pk).update(suspended_at=timezone.now() - timedelta(days=31))
    assert purge_expired_suspensions() == 1
    assert not Status.objects.filter(account=account).exists()
    with pytest.raises(ValidationError):
        do_unsuspend(moderator=moderator.account, target=Account.objects.get(pk=account.pk))
    assert purge_expired_suspensions() == 0


def test_remote_account_suspension_hides_its_posts(moderator: User) -> None:
    remote = remote_account("spammer")
    status = Status.objects.create(
        account=remote, content="<p>spam</p>", local=False, uri="https://remote.example/notes/1"
    )
    assert str(status.pk) in public_ids()
    act(moderator, remote, "suspend")
    assert str(status.pk) not in public_ids()
    assert Client().get(f"/api/v1/accounts/{remote.pk}").status_code == 404
    with pytest.raises(ValidationError):
        act(moderator, remote, "disable")


def test_disable_login_and_enable(alice: User, moderator: User) -> None:
    api = bearer(alice)
    act(moderator, alice.account, "disable")
    assert not signs_in(alice, PASSWORD)
    assert api.get("/api/v1/accounts/verify_credentials").status_code == 403
    do_enable(moderator=moderator.account, target=alice.account)
    assert signs_in(alice, PASSWORD)
    assert [e.action for e in AuditLog.objects.order_by("id")] == ["disable", "enable"]


def test_deleting_a_post_leaves_a_strike_naming_it(alice: User, moderator: User) -> None:
    keep, bad = post(alice.account, "fine"), post(alice.account, "awful")
    strike = do_delete_posts(
        moderator=moderator.account, target=alice.account, status_ids=[bad.pk], text="Slur."
    )
    assert list(Status.objects.filter(account=alice.account)) == [keep]
    assert strike.status_ids == [bad.pk] and strike.action == "delete_statuses"
    assert Client().get(f"/api/v1/statuses/{bad.pk}").status_code == 404
    with pytest.raises(ValidationError):
        do_delete_posts(moderator=moderator.account, target=alice.account, status_ids=[bad.pk])


def test_staff_cannot_act_on_equal_or_higher_roles(make_user: MakeUser, moderator: User) -> None:
    admin = make_user("chief", role=Role.ADMIN)
    other = make_user("deputy", role=Role.MODERATOR)
    for target in (admin, other, moderator):
        with pytest.raises(ValidationError):
            act(moderator, target.account, "suspend")
    assert Account.objects.filter(suspended_at__isnull=False).count() == 0
    # Admins outrank moderators.
    do_account_action(
        moderator=admin.account, target=other.account, ask=ActionRequest(type="silence")
    )


def test_bad_action_input_is_refused(alice: User, bob: User, moderator: User) -> None:
    with pytest.raises(ValidationError):
        act(moderator, alice.account, "explode")
    other = Report.objects.create(account=alice.account, target_account=bob.account)
    with pytest.raises(ValidationError):
        act(moderator, alice.account, "none", report=other)
    assert not AccountWarning.objects.exists() and not AuditLog.objects.exists()
