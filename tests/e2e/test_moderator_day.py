"""A moderator's day, in the browser: a local user reports a post through the Report link, a
remote server reports by a signed Flag, and the moderator reads the report, warns one account,
suspends another, blocks a domain and closes registrations. Each effect is checked from the
affected side: the warned user's /disputes page, the suspended user's token and profile, a
signed inbox POST from the blocked domain, and the sign-up page."""

from collections.abc import Callable

import pytest
from django.test import Client
from playwright.sync_api import Page, expect
from pytest_httpserver import HTTPServer

from accounts.models import Account, Role, User
from moderation.models import DomainBlock, InstanceSettings, RegistrationMode, Report
from tests.e2e.conftest import OpenPage, log_in_ok, open_admin, status_card
from tests.federation.conftest import RemoteActor, allow_loopback  # noqa: F401
from tests.moderation.actions_support import bearer, post

ALICE_URI = "http://testserver/users/alice"
CLOSED = "Registrations are closed on this server."


def report_from_the_web(page: Page, text: str) -> None:
    """Bob opens Alice's post, follows its Report link and sends the form."""
    page.goto("/@alice")
    status_card(page, text).get_by_role("link", name="Report").click()
    expect(page.locator("#report-form")).to_contain_text(text)
    page.get_by_label("Anything else the moderators should know?").fill("Rude to everyone.")
    page.get_by_role("button", name="Send report").click()


def act_from_the_report(admin: Page, report: Report, action: str, reason: str) -> None:
    """Open the report in the admin panel, read it, and act on the account it names."""
    open_admin(admin)
    admin.goto(f"/admin/moderation/report/{report.pk}/change/")
    expect(admin.locator("#content-main")).to_contain_text(report.comment)
    admin.get_by_role("link", name=f"Act on {report.target_account}").click()
    admin.get_by_label(action, exact=True).check()
    admin.get_by_label("Reason, shown to the user").fill(reason)
    admin.get_by_role("button", name="Take action").click()
    expect(admin.locator(".messagelist, .errornote")).to_have_count(1)


def block_domain(admin: Page, domain: str) -> None:
    admin.goto("/admin/moderation/domainblock/add/")
    admin.fill("input[name=domain]", domain)
    admin.select_option("select[name=severity]", "suspend")
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator(".messagelist")).to_contain_text("was added successfully")


def close_registrations(admin: Page) -> None:
    open_admin(admin)
    module = admin.locator("#registrations-module")
    module.get_by_role("button", name="Closed").click()
    expect(admin.locator(".messagelist")).to_contain_text("Registrations are now: Closed")


@pytest.mark.usefixtures("allow_loopback")
def test_a_moderators_day(
    open_page: OpenPage, make_user: Callable[..., User], httpserver: HTTPServer
) -> None:
    # Served as 127.0.0.1: the admin form wants a dotted domain, which "localhost" is not.
    actor = RemoteActor(httpserver, "spammer", host="127.0.0.1").serve()
    # Blocking domains and the registration mode are admin powers; reports are for any staff.
    make_user("chief", role=Role.ADMIN)
    alice = make_user("alice")
    make_user("bob")
    carol = make_user("carol")
    rude = post(alice.account, "You are all idiots")
    spam = post(carol.account, "Buy cheap pills")

    reporter = open_page()
    log_in_ok(reporter, "bob@example.com")
    report_from_the_web(reporter, "You are all idiots")
    local_report = Report.objects.get(target_account=alice.account)
    assert local_report.status_ids == [rude.pk]

    flag = actor.activity("Flag", [carol.account.uri, spam.uri], content="Spammer")
    assert actor.deliver(Client(), flag).status_code == 202
    remote_report = Report.objects.get(target_account=carol.account)
    assert remote_report.account.uri == actor.uri and remote_report.status_ids == [spam.pk]

    admin = open_page()
    log_in_ok(admin, "chief@example.com")
    act_from_the_report(admin, local_report, "Warn", "Please be civil.")
    act_from_the_report(admin, remote_report, "Suspend", "Spam.")
    assert Report.objects.get(pk=remote_report.pk).action_taken_at is not None

    warned = open_page()
    log_in_ok(warned, "alice@example.com")
    warned.goto("/disputes")
    expect(warned.locator(".strike")).to_contain_text("Please be civil.")

    assert Account.objects.get(pk=carol.account.pk).suspended_at is not None
    api = bearer(carol)
    assert api.get("/api/v1/accounts/verify_credentials").status_code == 403
    assert Client().get("/@carol").status_code == 404
    assert Client().get(f"/api/v1/accounts/{carol.account.pk}").status_code == 404

    block_domain(admin, "127.0.0.1")
    assert DomainBlock.objects.filter(domain="127.0.0.1", severity="suspend").exists()
    again = actor.activity("Flag", [ALICE_URI], "2", content="Again")
    assert actor.deliver(Client(), again).status_code == 403
    assert not Report.objects.filter(comment="Again").exists()

    close_registrations(admin)
    assert InstanceSettings.current().registrations_mode == RegistrationMode.NONE
    visitor = open_page()
    visitor.goto("/auth/sign_up")
    expect(visitor.get_by_text(CLOSED)).to_be_visible()
    expect(visitor.locator("input[name=username]")).to_have_count(0)
