"""Two instances of this server, each with its own worker (tests/federation/instances.py):
custom emoji travel with posts both ways and are served from the receiving server's own
copy; an account's archive exported from one instance through its web pages and imported
into an account on the other brings the posts, their dates, threads and media along."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from PIL import Image

from tests.federation.instances import (
    PASSWORD,
    Instance,
    hosts_available,
    ok,
    relationship,
    resolve,
    running_instances,
    wait_for,
)

EMOJI = """
import io, sys
from PIL import Image
from django.core.files.uploadedfile import SimpleUploadedFile
from moderation.models import CustomEmoji
from moderation.services.custom_emojis import do_save_custom_emoji
buffer = io.BytesIO()
Image.new("RGBA", (32, 32), sys.argv[2]).save(buffer, "PNG")
image = SimpleUploadedFile(sys.argv[1] + ".png", buffer.getvalue(), content_type="image/png")
do_save_custom_emoji(emoji=CustomEmoji(shortcode=sys.argv[1], category="Test"), image=image)
"""


@pytest.fixture(scope="module")
def instances() -> Iterator[tuple[Instance, Instance]]:
    if not hosts_available(2):
        pytest.skip("Port 80 on 127.0.0.2 and 127.0.0.3 is needed (root, and free).")
    with running_instances([["alice"], ["bob", "newalice"]], name="portability") as (a, b):
        yield a, b


def follow(client: httpx.Client, handle: str) -> str:
    account_id = str(resolve(client, handle)["id"])
    ok(client.post(f"/api/v1/accounts/{account_id}/follow"))
    wait_for(lambda: relationship(client, account_id)["following"], f"following {handle}")
    return account_id


def emojis_of(client: httpx.Client, path: str, text: str) -> list[dict[str, Any]] | None:
    """The `emojis` of the status with this text, once every image is served from here."""
    found = [s for s in ok(client.get(path)) if text in (s.get("status") or s)["content"]]
    if not found:
        return None
    entity = found[0].get("status") or found[0]
    host = str(client.base_url.host)
    cached = all(e["url"].startswith(f"http://{host}/") for e in entity["emojis"])
    return entity["emojis"] if entity["emojis"] and cached else None


def test_custom_emoji_travel_both_ways(instances: tuple[Instance, Instance]) -> None:
    a, b = instances
    a.run(EMOJI, "blobcat", "red")
    b.run(EMOJI, "ferris", "orange")
    alice, bob = a.api("alice"), b.api("bob")
    follow(bob, "alice@127.0.0.2")

    ok(alice.post("/api/v1/statuses", data={"status": "Hello :blobcat:"}))
    [emoji] = wait_for(
        lambda: emojis_of(bob, "/api/v1/timelines/home", "Hello"), "blobcat cached on B"
    )
    assert emoji["shortcode"] == "blobcat"
    assert httpx.get(emoji["url"]).headers["content-type"].startswith("image/")

    ok(bob.post("/api/v1/statuses", data={"status": "@alice@127.0.0.2 Nice :ferris:"}))
    [back] = wait_for(
        lambda: emojis_of(alice, "/api/v1/notifications?types[]=mention", "Nice"),
        "ferris cached on A",
    )
    assert back["shortcode"] == "ferris"


def web_session(instance: Instance, email: str) -> httpx.Client:
    client = httpx.Client(base_url=f"http://{instance.host}", timeout=60)
    client.post("/auth/sign_in", data={"email": email, "password": PASSWORD, **csrf(client)})
    assert "sessionid" in client.cookies, "not signed in"
    return client


def csrf(client: httpx.Client, path: str = "/auth/sign_in") -> dict[str, str]:
    page = client.get(path)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    return {"csrfmiddlewaretoken": token.group(1)}


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "green").save(buffer, "PNG")
    return buffer.getvalue()


def own_posts(client: httpx.Client) -> list[dict[str, Any]]:
    me = ok(client.get("/api/v1/accounts/verify_credentials"))
    return ok(client.get(f"/api/v1/accounts/{me['id']}/statuses", params={"limit": 40}))


def download_link(page: httpx.Client) -> str | None:
    found = re.search(r'href="(/settings/archive/export/\d+)"', page.get("/settings/archive").text)
    return found.group(1) if found else None


def test_archive_moves_posts_to_another_instance(instances: tuple[Instance, Instance]) -> None:
    a, b = instances
    alice = a.api("alice")
    first = ok(alice.post("/api/v1/statuses", data={"status": "First of a thread"}))
    ok(alice.post("/api/v1/statuses",
                  data={"status": "Second", "in_reply_to_id": first["id"]}))  # fmt: skip
    ok(alice.post("/api/v1/statuses", data={"status": "Careful", "spoiler_text": "Spoilers"}))
    media = ok(alice.post("/api/v2/media", files={"file": ("pic.png", png(), "image/png")}))
    wait_for(lambda: ok(alice.get(f"/api/v1/media/{media['id']}")).get("url"), "media ready")
    ok(alice.post("/api/v1/statuses",
                  data={"status": "A picture", "media_ids[]": media["id"]}))  # fmt: skip
    before = own_posts(alice)

    exporter = web_session(a, "alice@example.com")
    exporter.post("/settings/archive/export", data=csrf(exporter, "/settings/archive"))
    link = wait_for(lambda: download_link(exporter), "the archive ready on A")
    archive = exporter.get(link)
    assert archive.status_code == 200 and archive.content[:2] == b"PK"

    importer = web_session(b, "newalice@example.com")
    form = {**csrf(importer, "/settings/archive"), "source": "mastodon", "others": "skip"}
    files = {"archive": ("archive.zip", archive.content, "application/zip")}
    assert importer.post("/settings/archive/import", data=form, files=files).status_code == 302
    newalice = b.api("newalice")
    after = wait_for(
        lambda: (found := own_posts(newalice)) and len(found) == len(before) and found,
        "the posts imported on B",
    )

    def shape(posts: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
        texts = {p["id"]: p["content"] for p in posts}
        return [
            (p["content"], p["created_at"][:19], p["spoiler_text"], p["visibility"],
             texts.get(p["in_reply_to_id"]), len(p["media_attachments"]))
            for p in posts
        ]  # fmt: skip

    assert shape(after) == shape(before)
    original = httpx.get(before[0]["media_attachments"][0]["url"]).content
    copied = httpx.get(after[0]["media_attachments"][0]["url"]).content
    assert copied == original
