"""An invite link lets a person join while registrations are closed, as many times as allowed."""

from collections.abc import Callable
from datetime import timedelta

from playwright.sync_api import Page, expect

from accounts.models import Role, User
from moderation.models import InstanceSettings, RegistrationMode
from moderation.services.invites import do_create_invite
from tests.e2e.conftest import confirm_email, fill_sign_up, log_in_ok


def test_invite_link_works_while_registrations_are_closed(
    page: Page, make_user: Callable[..., User]
) -> None:
    InstanceSettings.objects.update_or_create(
        pk=1, defaults={"registrations_mode": RegistrationMode.NONE}
    )
    admin = make_user("boss", role=Role.OWNER)
    invite = do_create_invite(user=admin, max_uses=1, expires_in=timedelta(days=1))

    page.goto("/auth/sign_up")
    expect(page.get_by_text("Registrations are closed on this server.")).to_be_visible()

    fill_sign_up(page, "invited", path=f"/invite/{invite.code}")
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    user = User.objects.get(email="invited@example.com")
    assert user.invite_id == invite.pk
    assert user.approved

    confirm_email(page, "invited@example.com")
    log_in_ok(page, "invited@example.com")
    page.get_by_role("button", name="Log out").click()

    # The invite was for one use only: the same link now explains why it no longer works.
    page.goto(f"/invite/{invite.code}")
    expect(page.locator(".messages")).to_contain_text("expired or has been used up")
    expect(page.get_by_text("Registrations are closed on this server.")).to_be_visible()
    expect(page.locator("input[name=username]")).to_have_count(0)
