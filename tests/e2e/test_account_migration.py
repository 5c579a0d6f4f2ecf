"""The settings pages for leaving an account: aliases, moving to another account, and
deleting the account with the password."""

from collections.abc import Callable

from playwright.sync_api import expect

from accounts.models import Account, User
from accounts.services.migration import do_add_alias
from tests.conftest import PASSWORD
from tests.e2e.conftest import OpenPage, fill_sign_up, log_in, log_in_ok, publish


def test_aliases_are_added_and_removed(open_page: OpenPage, make_user: Callable[..., User]) -> None:
    make_user("alice")
    bob = make_user("bob")
    page = open_page()
    log_in_ok(page, "alice@example.com")
    page.goto("/settings/profile")
    page.get_by_role("link", name="Aliases").click()
    page.fill("input[name=acct]", "nobody")
    page.get_by_role("button", name="Add alias").click()
    expect(page.locator(".field.invalid .error")).to_contain_text("No account was found")
    page.fill("input[name=acct]", "bob")
    page.get_by_role("button", name="Add alias").click()
    expect(page.locator(".messages")).to_contain_text("@bob is now an alias")
    expect(page.locator(".aliases .alias")).to_have_text(["@bob"])
    assert Account.objects.get(username="alice").also_known_as == [bob.account.uri]
    page.get_by_role("button", name="Remove").click()
    expect(page.locator(".aliases")).to_have_count(0)
    assert Account.objects.get(username="alice").also_known_as == []


def test_moving_needs_the_alias_and_the_password(
    open_page: OpenPage, make_user: Callable[..., User]
) -> None:
    alice = make_user("alice")
    bob = make_user("bob")
    page = open_page()
    log_in_ok(page, "alice@example.com")
    page.goto("/settings/migration")
    page.fill("input[name=acct]", "bob")
    page.fill("input[name=current_password]", PASSWORD)
    page.get_by_role("button", name="Move followers").click()
    expect(page.locator(".field.invalid .error")).to_contain_text("does not list this account")

    do_add_alias(account=bob.account, handle="alice")
    page.fill("input[name=acct]", "bob")
    page.fill("input[name=current_password]", "not the password")
    page.get_by_role("button", name="Move followers").click()
    expect(page.locator(".field.invalid .error")).to_contain_text("password is not right")

    page.fill("input[name=acct]", "bob")
    page.fill("input[name=current_password]", PASSWORD)
    page.get_by_role("button", name="Move followers").click()
    expect(page.locator(".messages")).to_contain_text("has moved to @bob")
    expect(page.locator(".moved-notice")).to_contain_text("@bob")
    alice.account.refresh_from_db()
    assert alice.account.moved_to_id == bob.account.pk

    visitor = open_page()
    visitor.goto("/@alice")
    visitor.locator("a.moved-to").click()
    expect(visitor).to_have_url(f"{visitor.url.split('/@')[0]}/@bob")

    publish(page, "Still posting?")
    expect(page.get_by_text("can no longer post")).to_be_visible()


def test_deleting_the_account(open_page: OpenPage, make_user: Callable[..., User]) -> None:
    make_user("alice")
    page = open_page()
    log_in_ok(page, "alice@example.com")
    page.goto("/settings/delete")
    page.fill("input[name=current_password]", "not the password")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator(".field.invalid .error")).to_contain_text("password is not right")
    assert User.objects.filter(account__username="alice").exists()

    page.fill("input[name=current_password]", PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)
    assert not Account.objects.filter(username="alice").exists()
    log_in(page, "alice@example.com")
    expect(page.get_by_role("button", name="Log out")).to_have_count(0)

    fill_sign_up(page, "alice", email="alice2@example.com")
    expect(page.locator(".field.invalid:has([name=username]) .error")).to_contain_text("taken")
