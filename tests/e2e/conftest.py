"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Every test gets a fresh database (``live_server`` implies ``transactional_db``), so that
emails and Celery tasks, which run on commit, behave as in production. Each person in a
test gets their own browser context (their own cookies) from ``open_page``. The browser may
only talk to the live server: every other request is aborted and logged as a failure.
"""

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Playwright,
    Response,
    Route,
    expect,
    sync_playwright,
)
from pytest_django.live_server_helper import LiveServer

from tests.conftest import PASSWORD

# Playwright's sync API runs an asyncio loop in this thread; Django would otherwise refuse
# the ORM calls that tests and fixtures make while it runs.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
LOOPBACK_HOSTS = {"localhost", "127.0.0.1", "::1", "[::1]"}
TIMEOUT_MS = 10_000
OpenPage = Callable[..., Page]


def chromium_path() -> str | None:
    wanted = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    found = shutil.which(wanted)
    return found if found and os.access(found, os.X_OK) else None


@pytest.fixture(scope="package")
def playwright_instance() -> Iterator[Playwright]:
    # Package scope: while Playwright runs, its event loop counts as running in this thread,
    # which would break asyncio.run() in the tests that come after this folder.
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="package")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    executable = chromium_path()
    if executable is None:
        pytest.skip(
            f"browser tests need Chromium: {os.environ.get('CHROMIUM_PATH', '/usr/bin/chromium')}"
            " is missing (install Debian's chromium or set CHROMIUM_PATH)"
        )
    browser = playwright_instance.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def open_page(browser: Browser, live_server: LiveServer) -> Iterator[OpenPage]:
    """Open a page in a new browser context: one per person, with their own cookies.

    The test fails if any page answers 500 or tries to reach anything but the live server.
    """
    contexts: list[BrowserContext] = []
    problems: list[str] = []

    def on_response(response: Response) -> None:
        if response.status >= 500:
            problems.append(f"{response.status} from {response.url}")

    def only_loopback(route: Route) -> None:
        if urlsplit(route.request.url).hostname in LOOPBACK_HOSTS:
            route.continue_()
        else:
            problems.append(f"blocked request to {route.request.url}")
            route.abort()

    def open_(width: int = 1280, height: int = 900) -> Page:
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": height}
        )
        context.set_default_timeout(TIMEOUT_MS)
        context.route("**/*", only_loopback)
        contexts.append(context)
        page = context.new_page()
        page.on("response", on_response)
        return page

    yield open_
    for context in contexts:
        context.close()
    assert not problems, problems


@pytest.fixture
def page(open_page: OpenPage) -> Page:
    return open_page()


@pytest.fixture
def screenshot_dir(tmp_path: Path) -> Path:
    """Where screenshots go: $HERD_E2E_SCREENSHOTS if set (to look at them), else tmp."""
    target = Path(os.environ.get("HERD_E2E_SCREENSHOTS", tmp_path))
    target.mkdir(parents=True, exist_ok=True)
    return target


# --- what a person does, step by step -------------------------------------------------------


def fill_sign_up_form(
    page: Page,
    username: str,
    *,
    email: str | None = None,
    password: str = PASSWORD,
    confirmation: str | None = None,
    reason: str | None = None,
) -> None:
    """Fill in the sign-up form already open in ``page``, without submitting it."""
    page.fill("input[name=username]", username)
    page.fill("input[name=email]", email or f"{username}@example.com")
    page.fill("input[name=password]", password)
    page.fill(
        "input[name=password_confirmation]", password if confirmation is None else confirmation
    )
    if reason is not None:
        page.fill("textarea[name=reason]", reason)
    page.check("input[name=agreement]")


def fill_sign_up(page: Page, username: str, *, path: str = "/auth/sign_up", **fields: str) -> None:
    """Open the sign-up form, fill it in like a person and press "Sign up"."""
    page.goto(path)
    fill_sign_up_form(page, username, **fields)
    page.get_by_role("button", name="Sign up").click()


def confirmation_path(address: str) -> str:
    """The path and query of the confirmation link in the last email sent to ``address``."""
    sent = [message for message in mail.outbox if address in message.to]
    assert sent, f"no email to {address}; outbox: {[m.to for m in mail.outbox]}"
    match = re.search(r"https?://\S+/auth/confirmation\?confirmation_token=\S+", str(sent[-1].body))
    assert match, sent[-1].body
    link = urlsplit(match.group(0))
    assert link.hostname == "testserver", link  # FEDIVERSE_DOMAIN in the test settings
    return f"{link.path}?{link.query}"


def confirm_email(page: Page, address: str) -> None:
    """Open the emailed confirmation link, as if clicked in a mail client."""
    page.goto(confirmation_path(address))
    expect(page.locator(".messages")).to_contain_text("Your email address is confirmed")


def log_in(page: Page, login: str, password: str = PASSWORD) -> None:
    """Fill in the log-in form and submit it; the caller checks where it led."""
    page.goto("/auth/sign_in")
    page.fill("input[name=email]", login)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="Log in").click()


def log_in_ok(page: Page, login: str, password: str = PASSWORD) -> None:
    log_in(page, login, password)
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def publish(page: Page, text: str) -> None:
    """Write a post in the compose box on the home page and press "Publish"."""
    page.goto("/")
    page.fill("#compose textarea[name=text]", text)
    page.get_by_role("button", name="Publish").click()


def status_card(page: Page, text: str) -> Locator:
    return page.locator("article.status").filter(has_text=text)


def field_error(page: Page, name: str) -> Locator:
    """The error message shown next to the form field called ``name``."""
    return page.locator(f".field.invalid:has([name={name}]) .error")


def open_admin(page: Page) -> None:
    """Go to the admin panel the way staff do: the "Admin" link in the top bar."""
    page.goto("/")
    page.get_by_role("link", name="Admin", exact=True).click()
    expect(page.locator("#site-name")).to_contain_text("Herd administration")
