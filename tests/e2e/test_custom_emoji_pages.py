"""An admin uploads a custom emoji in the admin panel; a person then uses it in their name, bio
and a post, and the browser shows it as a picture in each place, its shortcode as alt text."""

from collections.abc import Callable
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from playwright.sync_api import Locator, expect

from accounts.models import Role, User
from moderation.models import CustomEmoji
from tests.e2e.conftest import OpenPage, log_in_ok, open_admin, publish, status_card


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def expect_emoji(where: Locator, shortcode: str) -> None:
    image = where.locator(f'img.custom-emoji[alt=":{shortcode}:"]')
    expect(image).to_have_count(1)
    expect(image).to_have_attribute("title", f":{shortcode}:")
    # The picture really loads from this server.
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")


def test_uploaded_emoji_shows_in_posts_names_and_bios(
    open_page: OpenPage, make_user: Callable[..., User], tmp_path: Path
) -> None:
    make_user("chief", role=Role.ADMIN)
    make_user("author")
    picture = tmp_path / "wave.gif"
    frames = [Image.new("RGBA", (24, 24), (30 * n, 150, 90, 255)) for n in range(3)]
    buffer = BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=90)
    picture.write_bytes(buffer.getvalue())

    admin = open_page()
    log_in_ok(admin, "chief@example.com")
    open_admin(admin)
    admin.goto("/admin/moderation/customemoji/add/")
    admin.fill("input[name=shortcode]", "wave")
    admin.set_input_files("input[name=image]", str(picture))
    admin.get_by_role("button", name="Save", exact=True).click()
    expect(admin.locator(".messagelist")).to_contain_text("was added successfully")
    assert CustomEmoji.objects.filter(shortcode="wave", domain__isnull=True).exists()

    author = open_page()
    log_in_ok(author, "author@example.com")
    author.goto("/settings/profile")
    author.fill("input[name=display_name]", "Author :wave:")
    author.fill("textarea[name=note]", "Hello <there> :wave:")
    author.get_by_role("button", name="Save changes").click()
    publish(author, "Good morning :wave: :unknown:")
    card = status_card(author, "Good morning")
    expect(card).to_have_count(1)
    expect_emoji(card.locator(".content"), "wave")
    expect_emoji(card.locator(".who"), "wave")
    expect(card.locator(".content")).to_contain_text(":unknown:")

    reader = open_page()
    reader.goto("/@author")
    header = reader.locator(".profile-header")
    expect_emoji(header.locator("h1"), "wave")
    expect_emoji(header.locator(".content"), "wave")
    expect(header.locator(".content")).to_contain_text("Hello <there>")
