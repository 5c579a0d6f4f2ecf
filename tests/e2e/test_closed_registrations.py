"""An admin closes registrations from the admin panel; the sign-up page then refuses."""

from collections.abc import Callable

from playwright.sync_api import expect

from accounts.models import Role, User
from moderation.models import InstanceSettings, RegistrationMode
from tests.e2e.conftest import OpenPage, fill_sign_up_form, log_in_ok, open_admin

CLOSED = "Registrations are closed on this server."


def test_admin_closes_registrations(open_page: OpenPage, make_user: Callable[..., User]) -> None:
    make_user("boss", role=Role.OWNER)
    # Someone has the sign-up form open and fills it in while the admin is at work.
    visitor = open_page()
    visitor.goto("/auth/sign_up")
    fill_sign_up_form(visitor, "latecomer")

    admin = open_page()
    log_in_ok(admin, "boss@example.com")
    open_admin(admin)
    module = admin.locator("#registrations-module")
    module.get_by_role("button", name="Closed").click()
    expect(admin.locator(".messagelist")).to_contain_text("Registrations are now: Closed")
    expect(admin.locator("#registrations-mode")).to_have_attribute("data-mode", "none")
    expect(module.get_by_role("button", name="Closed")).to_have_attribute("aria-pressed", "true")
    assert InstanceSettings.current().registrations_mode == RegistrationMode.NONE

    visitor.get_by_role("button", name="Sign up").click()
    expect(visitor.get_by_text(CLOSED)).to_be_visible()
    assert not User.objects.filter(email="latecomer@example.com").exists()

    visitor.goto("/auth/sign_up")
    expect(visitor.get_by_text(CLOSED)).to_be_visible()
    expect(visitor.locator("input[name=username]")).to_have_count(0)
    expect(visitor.get_by_role("button", name="Sign up")).to_have_count(0)
