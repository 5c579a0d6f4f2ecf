"""Custom emoji in the API entities: the list of this server's emoji, and the `emojis` of
statuses, polls and accounts, read through Mastodon.py and raw HTTP."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import httpx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from accounts.models import Account
from media import storage
from moderation.models import CustomEmoji
from moderation.selectors_emojis import page_emojis
from moderation.services.custom_emojis import do_save_custom_emoji
from timelines.models import Status
from timelines.selectors import hydrate
from timelines.services.statuses import StatusInput, do_create_status

EMOJI_FIELDS = {"shortcode", "url", "static_url", "visible_in_picker"}


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png(colour: tuple[int, int, int, int] = (200, 100, 0, 255)) -> bytes:
    out = BytesIO()
    Image.new("RGBA", (24, 24), colour).save(out, format="PNG")
    return out.getvalue()


def local_emoji(shortcode: str, **fields: Any) -> CustomEmoji:
    upload = SimpleUploadedFile(f"{shortcode}.png", png(), "image/png")
    return do_save_custom_emoji(emoji=CustomEmoji(shortcode=shortcode, **fields), image=upload)


def remote_emoji(shortcode: str, domain: str) -> CustomEmoji:
    name = storage.save_bytes("emojis", "png", png((0, 0, 255, 255)))
    return CustomEmoji.objects.create(
        shortcode=shortcode, domain=domain, image=name, static_image=name,
        image_remote_url=f"https://{domain}/{shortcode}.png",
    )  # fmt: skip


def codes(entity: dict[str, Any]) -> list[str]:
    return [emoji["shortcode"] for emoji in entity["emojis"]]


def test_custom_emojis_lists_enabled_local_emoji(base_url, alice, api_for) -> None:
    local_emoji("blobcat", category="Blobs")
    local_emoji("off", disabled=True)
    local_emoji("secret", visible_in_picker=False)
    remote_emoji("elsewhere", "remote.example")
    listed = api_for(alice).custom_emojis()
    assert [e["shortcode"] for e in listed] == ["blobcat"]
    [blobcat] = httpx.get(f"{base_url}/api/v1/custom_emojis").json()
    assert set(blobcat) == EMOJI_FIELDS | {"category"} and blobcat["category"] == "Blobs"
    still = httpx.get(base_url + httpx.URL(blobcat["static_url"]).path)
    assert still.status_code == 200 and still.content.startswith(b"\x89PNG")


def test_statuses_carry_the_emoji_of_their_text_warning_and_poll(base_url, alice, api_for) -> None:
    for code in ("blobcat", "party", "vote", "unused"):
        local_emoji(code)
    local_emoji("off", disabled=True)
    api = api_for(alice)
    poll = api.make_poll(["yes :vote:", "no"], expires_in=3600)
    posted = api.status_post(
        "Hello :blobcat: and :off: and :nothing: and 12:30:45",
        spoiler_text="About :party:",
        poll=poll,
    )
    assert codes(posted) == ["party", "blobcat", "vote"]
    raw = httpx.get(f"{base_url}/api/v1/statuses/{posted['id']}").json()
    assert set(raw["emojis"][0]) == EMOJI_FIELDS and set(raw["account"]) >= {"emojis"}
    assert posted["emojis"][0]["url"].startswith("http://testserver/system/emojis/")
    assert codes(posted["poll"]) == ["vote"]
    fetched = api.status(posted["id"])
    assert codes(fetched) == codes(posted)
    assert codes(api.poll(poll_id := posted["poll"]["id"])) == ["vote"] and poll_id
    [shown] = api.timeline_home()
    assert codes(shown) == ["party", "blobcat", "vote"]
    plain = api.status_post("nothing special")
    assert plain["emojis"] == [] and plain["account"]["emojis"] == []


def test_accounts_carry_the_emoji_of_their_profile(alice, bob, api_for) -> None:
    for code in ("wave", "tea", "cake", "star"):
        local_emoji(code)
    api = api_for(alice)
    api.account_update_credentials(
        display_name="Alice :wave:", note="I like :tea:",
        fields=[("Likes :cake:", "and :star:")],
    )  # fmt: skip
    me = api.account_verify_credentials()
    assert codes(me) == ["wave", "tea", "cake", "star"]
    seen = api_for(bob).account(me["id"])
    assert codes(seen) == ["wave", "tea", "cake", "star"]
    status = api.status_post("hi")
    assert codes(status["account"]) == ["wave", "tea", "cake", "star"]


def test_remote_content_uses_its_own_servers_emoji(alice, api_for) -> None:
    local_emoji("blobcat")
    remote_emoji("blobcat", "remote.example")
    remote_emoji("only_there", "remote.example")
    remote_emoji("only_there", "other.example")
    author = Account.objects.create(
        username="carol", domain="remote.example", display_name="Carol :only_there:",
        uri="https://remote.example/users/carol", url="https://remote.example/@carol",
    )  # fmt: skip
    status = Status.objects.create(
        account=author, local=False, uri="https://remote.example/notes/1",
        content="<p>:blobcat: :only_there:</p>",
    )  # fmt: skip
    entity = api_for(alice).status(status.pk)
    assert codes(entity) == ["blobcat", "only_there"]
    ours = CustomEmoji.objects.get(shortcode="blobcat", domain__isnull=True)
    assert all(ours.image.name not in e["url"] for e in entity["emojis"])
    theirs = CustomEmoji.objects.get(shortcode="only_there", domain="remote.example")
    assert entity["emojis"][1]["url"].endswith(theirs.image.name)
    assert codes(entity["account"]) == ["only_there"]


def test_a_page_of_statuses_looks_emoji_up_in_one_query(alice, bob) -> None:
    for code in ("one", "two", "three"):
        local_emoji(code)
    remote_emoji("far", "remote.example")
    author = Account.objects.create(
        username="dan", domain="remote.example", display_name=":far:",
        uri="https://remote.example/users/dan",
    )  # fmt: skip
    Status.objects.create(account=author, local=False, content=":far:", uri="x:1")
    for user, text in ((alice, ":one:"), (bob, ":two: :three:"), (alice, "none")):
        do_create_status(account=user.account, data=StatusInput(text=text))
    statuses = list(hydrate(Status.objects.all()).order_by("id"))
    with CaptureQueriesContext(connection) as queries:
        found = page_emojis(statuses)
    assert len(queries) == 1
    by_status = {s.content: [e.shortcode for e in found.statuses[s.pk]] for s in statuses}
    assert by_status[":far:"] == ["far"]
    assert [e.shortcode for e in found.accounts[author.pk]] == ["far"]
    assert sorted(code for codes in by_status.values() for code in codes) == [
        "far", "one", "three", "two",
    ]  # fmt: skip


def test_edit_history_carries_each_versions_emoji(base_url, alice, api_for) -> None:
    local_emoji("before")
    local_emoji("after")
    api = api_for(alice)
    posted = api.status_post("first :before:")
    api.status_update(posted["id"], "second :after:")
    history = httpx.get(f"{base_url}/api/v1/statuses/{posted['id']}/history").json()
    assert [codes(version) for version in history] == [["before"], ["after"]]
