"""Link previews in a real browser: a post with a link shows the card of the linked page, with
its picture; the admin turns previews off, and blocks a site whose cards then disappear."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_httpserver import HTTPServer

from accounts.models import Role, User
from moderation.models import InstanceSettings
from tests.e2e.conftest import log_in_ok, open_admin, publish, status_card
from tests.timelines.card_site import CardSite
from timelines.models import PreviewCard, PreviewCardDomainBlock, Status


@pytest.fixture(autouse=True)
def cards_on(settings: Any) -> None:
    settings.PREVIEW_CARDS = True
    settings.FEDIVERSE_ALLOWED_PRIVATE_ADDRESSES = ["127.0.0.0/8", "::1/128"]
    settings.PREVIEW_CARD_FETCH_TIMEOUT = 1.5


def test_card_is_shown_and_the_admin_controls_it(
    page: Page, make_user: Callable[..., User], httpserver: HTTPServer, screenshot_dir: Path
) -> None:
    site = CardSite(httpserver).serve()
    make_user("boss", role=Role.OWNER)
    log_in_ok(page, "boss@example.com")
    publish(page, f"Morning read {site.url('/article')}")
    expect(page.locator(".messages")).to_contain_text("Your post is published.")
    status = Status.objects.get(text__startswith="Morning read")
    page.goto(f"/@boss/{status.pk}")
    card = status_card(page, "Morning read").locator("a.preview-card")
    expect(card).to_have_attribute("href", site.url("/article"))
    expect(card).to_contain_text("A & B: the story")
    expect(card).to_contain_text("Loopback News")
    expect(card).to_contain_text("What happened next.")
    image = card.get_by_role("img", name="A harbour at dawn")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    assert image.evaluate("img => img.naturalWidth > img.naturalHeight")
    page.screenshot(path=screenshot_dir / "preview-card.png", full_page=True)

    open_admin(page)
    page.get_by_role("link", name="Instance settings").first.click()
    page.get_by_label("Preview cards").uncheck()
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    assert InstanceSettings.current().preview_cards is False
    publish(page, f"Evening read {site.url('/twitter')}")
    page.goto("/@boss")
    expect(status_card(page, "Evening read")).to_be_visible()
    expect(status_card(page, "Evening read").locator("a.preview-card")).to_have_count(0)
    expect(status_card(page, "Morning read").locator("a.preview-card")).to_have_count(1)

    open_admin(page)
    page.get_by_role("link", name="Preview card domain blocks").click()
    page.get_by_role("link", name="Add preview card domain block").click()
    page.get_by_label("Domain").fill("LocalHost")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert list(PreviewCardDomainBlock.objects.values_list("domain", flat=True)) == ["localhost"]
    assert not PreviewCard.objects.exists()
    page.goto("/@boss")
    expect(status_card(page, "Morning read")).to_be_visible()
    expect(page.locator("a.preview-card")).to_have_count(0)
