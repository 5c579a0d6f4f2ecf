"""The home page at a phone and a desktop size: nothing wider than the screen, the compose box
and the posts visible. Screenshots go to $HERD_E2E_SCREENSHOTS when set, for a human look."""

from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.services.follows import do_follow
from tests.e2e.conftest import OpenPage, log_in_ok, status_card
from timelines.services.statuses import StatusInput, do_create_status

POSTS = [
    StatusInput(
        text="Good morning, #fediverse! Coffee first, then https://example.com/a/rather/long/path/that/should/wrap/nicely"
    ),
    StatusInput(text="Spoilers inside", spoiler_text="Film ending"),
    StatusInput(text="A_very_long_word_without_any_space_" * 4),
]


@pytest.mark.parametrize(("name", "width", "height"), [("phone", 390, 844), ("desktop", 1280, 900)])
def test_home_page_fits_the_screen(
    open_page: OpenPage,
    make_user: Callable[..., User],
    screenshot_dir: Path,
    name: str,
    width: int,
    height: int,
) -> None:
    viewer = make_user("viewer")
    friend = make_user("friend")
    do_follow(account=viewer.account, target=friend.account)
    for data in POSTS:
        do_create_status(account=friend.account, data=data)
    page = open_page(width=width, height=height)
    log_in_ok(page, "viewer@example.com")
    page.goto("/")
    expect(page.locator("#compose textarea[name=text]")).to_be_visible()
    card = status_card(page, "Good morning")
    expect(card).to_be_visible()
    # Every post shows its author, avatar, time and counts, on a phone as well.
    expect(card.locator("img.avatar")).to_be_visible()
    expect(card.locator(".who")).to_contain_text("@friend")
    expect(card.locator("time")).to_be_visible()
    expect(card.locator(".actions")).to_contain_text("0")
    page.screenshot(path=screenshot_dir / f"home-{name}.png", full_page=True)

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page is {overflow}px wider than a {width}px screen"
    for box in (
        page.locator("#compose").bounding_box(),
        status_card(page, "Spoilers").bounding_box(),
    ):
        assert box is not None
        assert box["x"] >= 0
        assert box["x"] + box["width"] <= width
