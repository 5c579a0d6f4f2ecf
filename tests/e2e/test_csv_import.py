"""Bringing a blocking list in from the settings in a real browser: open Import from the
settings tabs, choose the type and mode, upload the file, and read the progress and the row
that failed with its reason; then download the list back from Export."""

from pathlib import Path

from playwright.sync_api import Page, expect

from accounts.models import Block, User
from tests.e2e.conftest import log_in_ok


def test_upload_a_blocking_list_and_see_the_results(
    page: Page, alice: User, bob: User, tmp_path: Path
) -> None:
    blocks = tmp_path / "blocked_accounts.csv"
    blocks.write_text("bob@testserver\nnobody\n")
    log_in_ok(page, "alice@example.com")
    page.goto("/settings/profile")
    page.locator("nav.tabs").get_by_role("link", name="Import", exact=True).click()
    expect(page.get_by_role("heading", name="Import", exact=True)).to_be_visible()
    page.get_by_label("Import type").select_option(label="Blocking list")
    page.get_by_label("Overwrite: replace what you have").check()
    page.set_input_files("input[name=file]", str(blocks))
    page.get_by_role("button", name="Upload").click()

    expect(page.locator(".messages")).to_contain_text("is being imported")
    expect(page.locator(".import-counts")).to_contain_text("2 of 2 processed")
    expect(page.locator(".import-counts")).to_contain_text("1 done, 1 failed")
    failure = page.locator("table.import-failures tbody tr")
    expect(failure).to_have_count(1)
    expect(failure).to_contain_text("nobody")
    expect(failure).to_contain_text("There is no local account nobody.")
    assert list(Block.objects.values_list("account_id", "target_account_id")) == [
        (alice.account.pk, bob.account.pk)
    ]

    page.get_by_role("link", name="Back to imports").click()
    expect(page.locator("table")).to_contain_text("blocked_accounts.csv")
    page.locator("nav.tabs").get_by_role("link", name="Export", exact=True).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="blocked_accounts.csv").click()
    assert Path(download.value.path()).read_text() == "bob@testserver\n"
