"""A second person follows the first from the profile page, sees the post on their home
timeline and favourites it; the first sees both in their notifications."""

from collections.abc import Callable

from playwright.sync_api import expect

from accounts.models import Follow, User
from tests.e2e.conftest import OpenPage, log_in_ok, publish, status_card
from timelines.models import Favourite

POST = "A post worth a star"


def test_follow_see_post_favourite_and_notify(
    open_page: OpenPage, make_user: Callable[..., User]
) -> None:
    make_user("author")
    make_user("reader")
    author = open_page()
    log_in_ok(author, "author@example.com")
    publish(author, POST)
    expect(author.locator(".messages")).to_contain_text("Your post is published.")

    reader = open_page()
    log_in_ok(reader, "reader@example.com")
    reader.goto("/")
    expect(status_card(reader, POST)).to_have_count(0)  # not following yet

    reader.goto("/@author")
    reader.get_by_role("button", name="Follow", exact=True).click()
    expect(reader.get_by_role("button", name="Unfollow")).to_be_visible()
    assert Follow.objects.filter(
        account__username="reader", target_account__username="author"
    ).exists()

    reader.goto("/")
    card = status_card(reader, POST)
    expect(card).to_have_count(1)
    card.get_by_role("button", name="Favourite").click()
    card = status_card(reader, POST)
    expect(card.get_by_role("button", name="Favourited")).to_have_attribute("aria-pressed", "true")
    expect(card.locator("button[title=Favourite] .count")).to_have_text("1")
    assert Favourite.objects.filter(account__username="reader", status__text=POST).count() == 1

    author.goto("/notifications")
    favourite = author.locator(".notification[data-type=favourite]")
    expect(favourite).to_contain_text("favourited your post")
    expect(favourite).to_contain_text("reader")
    expect(favourite).to_contain_text(POST)
    follow = author.locator(".notification[data-type=follow]")
    expect(follow).to_contain_text("followed you")
    expect(follow).to_contain_text("reader")
