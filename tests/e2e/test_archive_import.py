"""Bringing posts in from a Mastodon archive in a real browser: open Archive from the settings
tabs, upload the zip with the options, and read the import's progress; a broken archive shows
why it was refused."""

from pathlib import Path

from playwright.sync_api import Page, expect

from accounts.models import User
from tests.e2e.conftest import log_in_ok
from tests.portability import archives as a
from timelines.models import Status


def test_upload_a_mastodon_archive_and_see_its_progress(
    page: Page, alice: User, tmp_path: Path
) -> None:
    items = [a.create(n, f"from the old server {n}", f"2018-0{n}-01T12:00:00Z") for n in (1, 2, 3)]
    items.append(a.announce(4, "https://else.example/users/bea/statuses/1", "2018-05-01T12:00:00Z"))
    archive = tmp_path / "archive-20240101.zip"
    archive.write_bytes(a.mastodon_zip(items))
    log_in_ok(page, "alice@example.com")
    page.goto("/settings/profile")
    page.locator("nav.tabs").get_by_role("link", name="Archive").click()
    expect(page.get_by_role("heading", name="Import posts")).to_be_visible()
    page.set_input_files("input[name=archive]", str(archive))
    page.get_by_label("Archive from").select_option(label="Mastodon archive")
    page.get_by_label("Keep them as posts linking to the original").check()
    page.get_by_role("button", name="Import").click()

    expect(page.locator(".messages")).to_contain_text("is being imported")
    job = page.locator("li.post-import").first
    expect(job).to_contain_text("archive-20240101.zip")
    expect(job).to_contain_text("Finished")
    expect(job.locator(".progress")).to_contain_text("4 of 4 items, 4 posts imported, 0 left out")
    expect(job.locator("progress")).to_have_attribute("value", "100")
    assert Status.objects.filter(account=alice.account, imported_at__isnull=False).count() == 4

    broken = tmp_path / "broken.zip"
    broken.write_bytes(b"not a zip at all")
    page.set_input_files("input[name=archive]", str(broken))
    page.get_by_role("button", name="Import").click()
    failed = page.locator("li.post-import").first
    expect(failed).to_contain_text("Failed")
    expect(failed.locator(".error")).to_contain_text(
        "This is not a zip archive, or it is truncated."
    )
    page.goto("/@alice")
    expect(page.locator("body")).to_contain_text("from the old server 3")


def test_request_and_download_an_archive(page: Page, alice: User) -> None:
    import json
    import zipfile

    log_in_ok(page, "alice@example.com")
    page.fill("#compose textarea[name=text]", "To keep")
    page.get_by_role("button", name="Publish").click()
    page.goto("/settings/archive")
    page.get_by_role("button", name="Request your archive").click()
    expect(page.locator(".messages")).to_contain_text("Your archive is being prepared.")
    with page.expect_download() as download:
        page.locator("li.backup").get_by_role("link", name="Download").click()
    with zipfile.ZipFile(download.value.path()) as archive:
        outbox = json.loads(archive.read("outbox.json"))
    assert outbox["orderedItems"][0]["object"]["content"] == "<p>To keep</p>"
    page.get_by_role("button", name="Request your archive").click()
    expect(page.locator(".messages")).to_contain_text("once every 7 days")
