"""A newcomer signs up, confirms by the emailed link, logs in and posts from the compose box."""

import re

from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from tests.e2e.conftest import confirm_email, fill_sign_up, log_in, log_in_ok, publish, status_card
from timelines.models import Status

POST = "Hello from a real browser! #firstpost"


def test_sign_up_confirm_log_in_and_post(page: Page, live_server: LiveServer) -> None:
    fill_sign_up(page, "newcomer")
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()
    expect(page.get_by_text("newcomer@example.com")).to_be_visible()
    assert User.objects.get(email="newcomer@example.com").confirmed is False

    # Before confirming, logging in is refused with a reason.
    log_in(page, "newcomer@example.com")
    expect(page.locator(".errors")).to_contain_text("Confirm your email address first")

    confirm_email(page, "newcomer@example.com")
    expect(page).to_have_url(f"{live_server.url}/auth/sign_in")

    log_in_ok(page, "newcomer@example.com")
    expect(page).to_have_url(f"{live_server.url}/")

    publish(page, POST)
    expect(page.locator(".messages")).to_contain_text("Your post is published.")
    assert Status.objects.filter(account__username="newcomer", text=POST).count() == 1

    for path in ["/", "/public/local", "/@newcomer"]:
        page.goto(path)
        card = status_card(page, "Hello from a real browser!")
        expect(card).to_have_count(1)
        expect(card.locator(".who")).to_contain_text("@newcomer")
        expect(card.get_by_role("link", name="#firstpost")).to_have_attribute(
            "href", re.compile(r"/tags/firstpost$")
        )

    # The post is public, so it can be read without an account too.
    page.get_by_role("button", name="Log out").click()
    page.goto("/@newcomer")
    expect(status_card(page, "Hello from a real browser!")).to_have_count(1)
