"""Approval required: the applicant gives a reason, confirms, waits; a moderator approves in
the admin panel; the applicant is told by email and can log in."""

from collections.abc import Callable

from django.core import mail
from playwright.sync_api import Page, expect

from accounts.models import Role, User
from moderation.models import InstanceSettings, RegistrationMode
from tests.e2e.conftest import (
    OpenPage,
    confirm_email,
    field_error,
    fill_sign_up,
    log_in,
    log_in_ok,
    open_admin,
)

REASON = "I keep goats and want to talk about them."
WAITING = "waiting for a moderator's approval"


def require_approval_in_admin(admin: Page) -> None:
    """Switch the mode on the instance settings change form, as a careful admin would."""
    open_admin(admin)
    admin.get_by_role("link", name="Instance settings").first.click()
    admin.get_by_label("Approval required").check()
    admin.get_by_label("Require sign up reason").check()
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator(".messagelist")).to_contain_text("was changed successfully")
    settings = InstanceSettings.current()
    assert settings.registrations_mode == RegistrationMode.APPROVED
    assert settings.require_sign_up_reason


def approve_in_admin(admin: Page, username: str) -> None:
    open_admin(admin)
    admin.get_by_role("link", name="Applications waiting for approval").click()
    row = admin.locator("#result_list tbody tr").filter(has_text=username)
    expect(row).to_have_count(1)
    expect(row).to_contain_text(REASON)
    row.locator("input.action-select").check()
    admin.select_option("select[name=action]", "approve")
    admin.get_by_role("button", name="Go").click()
    expect(admin.locator(".messagelist")).to_contain_text("Approved 1 user(s).")


def test_applicant_waits_for_approval(open_page: OpenPage, make_user: Callable[..., User]) -> None:
    make_user("boss", role=Role.OWNER)
    admin = open_page()
    log_in_ok(admin, "boss@example.com")
    require_approval_in_admin(admin)

    applicant = open_page()
    applicant.goto("/auth/sign_up")
    expect(applicant.get_by_text("reviewed by a moderator")).to_be_visible()
    expect(applicant.get_by_label("Why do you want to join?")).to_be_visible()
    fill_sign_up(applicant, "goatherd", reason=REASON)
    expect(applicant.get_by_text("will then be reviewed by a moderator")).to_be_visible()
    user = User.objects.get(email="goatherd@example.com")
    assert (user.approved, user.sign_up_reason) == (False, REASON)

    confirm_email(applicant, "goatherd@example.com")
    expect(applicant.locator(".messages")).to_contain_text(WAITING)
    log_in(applicant, "goatherd@example.com")
    expect(applicant.locator(".errors")).to_contain_text(WAITING)
    expect(applicant.get_by_role("button", name="Log out")).to_have_count(0)

    sent_before = len(mail.outbox)
    approve_in_admin(admin, "goatherd")
    assert User.objects.get(email="goatherd@example.com").approved
    told = [m for m in mail.outbox[sent_before:] if "goatherd@example.com" in m.to]
    assert len(told) == 1, [m.subject for m in mail.outbox]

    log_in_ok(applicant, "goatherd@example.com")


def test_reason_is_required_when_the_admin_asks_for_one(
    page: Page, make_user: Callable[..., User]
) -> None:
    InstanceSettings.objects.update_or_create(
        pk=1,
        defaults={
            "registrations_mode": RegistrationMode.APPROVED,
            "require_sign_up_reason": True,
        },
    )
    fill_sign_up(page, "silent")
    expect(field_error(page, "reason")).to_be_visible()
    assert not User.objects.filter(email="silent@example.com").exists()
