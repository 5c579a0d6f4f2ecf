"""Posting a picture from the compose box in a real browser: choose the file, see its preview,
write the alt text, publish, and see the picture on the post with that alt text."""

from pathlib import Path

from playwright.sync_api import Page, expect

from accounts.models import User
from media.models import MediaAttachment
from tests.e2e.conftest import log_in_ok, status_card
from tests.media import files

ALT = "A blue and red flag on a pole"


def test_post_a_picture_with_alt_text(page: Page, alice: User, tmp_path: Path) -> None:
    picture = tmp_path / "holiday.jpg"
    picture.write_bytes(files.rotated_jpeg_with_gps((120, 60)))
    log_in_ok(page, "alice@example.com")
    page.goto("/")
    page.get_by_text("Add images, video or audio").click()
    page.set_input_files("#compose input[name=media_0]", str(picture))
    preview = page.locator("#compose .attachment img.preview").first
    expect(preview).to_be_visible()
    page.fill("#compose input[name=media_0_description]", ALT)
    page.fill("#compose textarea[name=text]", "Holiday picture")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".messages")).to_contain_text("Your post is published.")

    media = MediaAttachment.objects.get(account=alice.account)
    assert media.status is not None and media.description == ALT
    for path in ("/@alice", f"/@alice/{media.status_id}", "/public/local"):
        page.goto(path)
        image = status_card(page, "Holiday picture").get_by_role("img", name=ALT)
        expect(image).to_be_visible()
        # The picture really loaded, upright: the preview is taller than wide. Visible is not
        # loaded yet on a busy machine, so wait for the decoded image.
        loaded = "img => img.complete && img.naturalWidth > 0"
        page.wait_for_function(loaded, arg=image.element_handle())
        size = image.evaluate("img => [img.complete, img.naturalWidth, img.naturalHeight]")
        assert size[0] and 0 < size[1] < size[2]


def test_refused_file_shows_the_reason_and_posts_nothing(
    page: Page, alice: User, tmp_path: Path
) -> None:
    fake = tmp_path / "notes.png"
    fake.write_bytes(b"<html><body>not a picture</body></html>")
    log_in_ok(page, "alice@example.com")
    page.goto("/")
    page.get_by_text("Add images, video or audio").click()
    page.set_input_files("#compose input[name=media_0]", str(fake))
    expect(page.locator("#compose .attachment img.preview").first).to_be_hidden()
    page.fill("#compose textarea[name=text]", "This should not appear")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator(".attachment.invalid .error")).to_contain_text("content type is invalid")
    assert not MediaAttachment.objects.exists()
    assert not alice.account.statuses.exists()
