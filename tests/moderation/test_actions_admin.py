"""Account actions from the admin panel, and appeals: who may act, and what each side sees."""

from collections.abc import Callable

import pytest
from django.core import mail
from django.test import Client

from accounts.models import Account, Role, User
from moderation.models import AccountWarning, Appeal, AuditLog, DomainBlock, Report
from moderation.services.account_actions import ActionRequest, do_account_action
from tests.conftest import link_in_last_email
from tests.moderation.actions_support import post

MakeUser = Callable[..., User]
ClientFor = Callable[[User], Client]


def act_url(account: Account) -> str:
    return f"/admin/moderation/accountwarning/act/{account.pk}/"


@pytest.fixture
def moderator(make_user: MakeUser) -> User:
    return make_user("warden", role=Role.MODERATOR)


def test_moderator_suspends_from_a_report(
    alice: User, bob: User, moderator: User, client_for: ClientFor
) -> None:
    bad = post(alice.account, "awful")
    report = Report.objects.create(
        account=bob.account, target_account=alice.account, status_ids=[bad.pk]
    )
    client = client_for(moderator)
    report_page = client.get(f"/admin/moderation/report/{report.pk}/change/").content.decode()
    assert f"{act_url(alice.account)}?report={report.pk}" in report_page
    page = client.get(f"{act_url(alice.account)}?report={report.pk}")
    assert page.status_code == 200 and "awful" in page.content.decode()

    response = client.post(
        act_url(alice.account),
        {
            "type": "suspend",
            "text": "Threats.",
            "status_ids": [bad.pk],
            "send_email": "on",
            "report": report.pk,
        },
    )
    assert response.status_code == 302
    assert Account.objects.get(pk=alice.account.pk).suspended_at is not None
    assert Report.objects.get(pk=report.pk).action_taken_at is not None
    log = AuditLog.objects.get()
    assert (log.account, log.action, log.reason, log.report) == (
        moderator.account,
        "suspend",
        "Threats.",
        Report.objects.get(pk=report.pk),
    )

    client.post(act_url(alice.account), {"undo": "unsuspend"})
    assert Account.objects.get(pk=alice.account.pk).suspended_at is None


def test_delete_a_post_from_the_admin_panel(
    alice: User, moderator: User, client_for: ClientFor
) -> None:
    bad = post(alice.account, "awful")
    client_for(moderator).post(
        act_url(alice.account), {"type": "delete_statuses", "status_ids": [bad.pk]}
    )
    assert not alice.account.statuses.exists()
    # Deleting nothing is refused, not recorded.
    response = client_for(moderator).post(act_url(alice.account), {"type": "delete_statuses"})
    assert response.status_code == 200 and AccountWarning.objects.count() == 1


def test_users_reach_no_action_page(alice: User, bob: User, client_for: ClientFor) -> None:
    client = client_for(bob)
    assert client.get(act_url(alice.account)).status_code == 302  # to the admin login
    client.post(act_url(alice.account), {"type": "suspend"})
    assert Account.objects.get(pk=alice.account.pk).suspended_at is None
    assert Client().post(act_url(alice.account), {"type": "suspend"}).status_code == 302
    assert not AccountWarning.objects.exists()


def test_moderators_cannot_act_on_admins_nor_block_domains(
    make_user: MakeUser, moderator: User, client_for: ClientFor
) -> None:
    admin = make_user("chief", role=Role.ADMIN)
    response = client_for(moderator).post(act_url(admin.account), {"type": "suspend"})
    assert response.status_code == 200 and "higher role" in response.content.decode()
    assert Account.objects.get(pk=admin.account.pk).suspended_at is None

    form = {"domain": "bad.example", "severity": "suspend"}
    assert client_for(moderator).post("/admin/moderation/domainblock/add/", form).status_code == 403
    assert not DomainBlock.objects.exists()
    client_for(admin).post("/admin/moderation/domainblock/add/", form)
    assert DomainBlock.objects.filter(domain="bad.example", severity="suspend").exists()


def test_a_user_appeals_once_and_the_moderator_approves(
    alice: User, moderator: User, client_for: ClientFor
) -> None:
    strike = do_account_action(
        moderator=moderator.account,
        target=alice.account,
        ask=ActionRequest(type="silence", text="Spam."),
    )
    client = client_for(alice)
    assert client.post(f"/disputes/{strike.pk}", {"text": "   "}).status_code == 200
    assert not Appeal.objects.exists()
    client.post(f"/disputes/{strike.pk}", {"text": "It was a joke."})
    again = client.post(f"/disputes/{strike.pk}", {"text": "Please?"})
    assert again.status_code == 200 and Appeal.objects.count() == 1
    assert Appeal.objects.get().text == "It was a joke."

    appeal = Appeal.objects.get()
    client_for(moderator).post(
        "/admin/moderation/appeal/", {"action": "approve", "_selected_action": [appeal.pk]}
    )
    assert Account.objects.get(pk=alice.account.pk).silenced_at is None
    assert AccountWarning.objects.get().overruled_at is not None
    assert "approve_appeal" in AuditLog.objects.values_list("action", flat=True)


def test_suspended_user_appeals_through_the_email_link(alice: User, moderator: User) -> None:
    mail.outbox.clear()
    strike = do_account_action(
        moderator=moderator.account,
        target=alice.account,
        ask=ActionRequest(type="suspend", text="Spam."),
    )
    link = link_in_last_email(r"https?://\S+/disputes/\S+")
    path = link[link.index("/disputes/") :]
    page = Client().get(path)
    assert page.status_code == 200 and "Spam." in page.content.decode()
    token = path.split("token=")[1]
    Client().post(f"/disputes/{strike.pk}", {"text": "Not me.", "token": token})
    assert Appeal.objects.get().account == alice.account
    # Without the token, the page is missing.
    assert Client().get(f"/disputes/{strike.pk}").status_code == 404
    assert Client().get(f"/disputes/{strike.pk}?token=forged").status_code == 404
