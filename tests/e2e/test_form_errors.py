"""Bad input is answered on the form itself, next to the field, and stores nothing."""

from collections.abc import Callable

from playwright.sync_api import Page, expect

from accounts.models import User
from tests.e2e.conftest import field_error, fill_sign_up, log_in_ok
from timelines.models import Status


def test_taken_username_is_shown_on_the_field(page: Page, make_user: Callable[..., User]) -> None:
    make_user("taken")
    fill_sign_up(page, "TAKEN", email="someone@example.com")
    expect(field_error(page, "username")).to_have_text("This username is taken.")
    expect(page.locator("input[name=email]")).to_have_value("someone@example.com")
    assert not User.objects.filter(email="someone@example.com").exists()


def test_mismatched_passwords_are_shown_on_the_field(page: Page) -> None:
    fill_sign_up(page, "mismatch", confirmation="a different passphrase entirely")
    expect(field_error(page, "password_confirmation")).to_have_text("The passwords do not match.")
    expect(page.locator("input[name=username]")).to_have_value("mismatch")
    assert not User.objects.filter(email="mismatch@example.com").exists()
    assert not page.locator("input[name=password]").input_value()  # never echoed back


def test_over_limit_post_is_refused_and_kept(page: Page, make_user: Callable[..., User]) -> None:
    make_user("talker")
    log_in_ok(page, "talker@example.com")
    page.goto("/")
    too_long = "x" * 501
    page.fill("#compose textarea[name=text]", too_long)
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("heading", name="Your post was not published")).to_be_visible()
    expect(field_error(page, "text")).to_have_text("Posts are at most 500 characters.")
    expect(page.locator("#compose textarea[name=text]")).to_have_value(too_long)
    assert not Status.objects.exists()
