"""Custom emoji across federation: Emoji tags on our Notes and actors, and the Emoji tags of
remote posts and actors stored under their server's domain, with images copied here."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image
from pytest_httpserver import HTTPServer

from accounts.models import Account, Follow, User
from federation.render.context import PUBLIC
from moderation.models import CustomEmoji
from moderation.services.custom_emojis import do_save_custom_emoji
from tests.federation.conftest import RemoteActor
from timelines.models import Status
from timelines.services.statuses import StatusInput, do_create_status

AP = "application/activity+json"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png(colour: str = "red", side: int = 20) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (side, side), colour).save(out, "PNG")
    return out.getvalue()


def local_emoji(shortcode: str) -> CustomEmoji:
    upload = SimpleUploadedFile(f"{shortcode}.png", png(), "image/png")
    return do_save_custom_emoji(emoji=CustomEmoji(shortcode=shortcode), image=upload)


def emoji_tag(shortcode: str, url: str, updated: str) -> dict[str, Any]:
    return {
        "id": f"{url.rsplit('/', 1)[0]}/emojis/{shortcode}",
        "type": "Emoji",
        "name": f":{shortcode}:",
        "updated": updated,
        "icon": {"type": "Image", "mediaType": "image/png", "url": url},
    }


def serve_png(server: HTTPServer, path: str, colour: str = "blue") -> str:
    server.expect_request(path).respond_with_data(png(colour), content_type="image/png")
    return server.url_for(path)


def test_local_note_and_actor_carry_emoji_tags(alice: User) -> None:
    blobcat, wave = local_emoji("blobcat"), local_emoji("wave")
    local_emoji("unused")
    Account.objects.filter(pk=alice.account.pk).update(display_name="Alice :wave:")
    status = do_create_status(
        account=alice.account, data=StatusInput(text="Hi :blobcat: #tag", spoiler_text="cw")
    )
    note = Client().get(f"/users/alice/statuses/{status.pk}", HTTP_ACCEPT=AP).json()
    emoji_tags = [t for t in note["tag"] if t["type"] == "Emoji"]
    assert emoji_tags == [
        {
            "id": f"http://testserver/emojis/{blobcat.pk}",
            "type": "Emoji",
            "name": ":blobcat:",
            "updated": blobcat.updated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "icon": {
                "type": "Image",
                "mediaType": "image/png",
                "url": f"http://testserver/system/{blobcat.image.name}",
            },
        }
    ]
    assert {"Emoji": "toot:Emoji"}.items() <= note["@context"][-1].items()
    actor = Client().get("/users/alice", HTTP_ACCEPT=AP).json()
    assert [t["name"] for t in actor["tag"]] == [":wave:"]
    assert actor["tag"][0]["id"] == f"http://testserver/emojis/{wave.pk}"
    document = Client().get(f"/emojis/{blobcat.pk}", HTTP_ACCEPT=AP)
    assert document.status_code == 200 and document.json()["name"] == ":blobcat:"
    assert Client().get("/emojis/999999").status_code == 404


def test_remote_post_with_emoji_tags_shows_cached_emoji(
    alice: User, remote: RemoteActor, httpserver: HTTPServer
) -> None:
    follow = remote.activity("Follow", "http://testserver/users/alice")
    assert remote.deliver(Client(), follow).status_code == 202
    bob = Account.objects.get(uri=remote.uri)
    Follow.objects.create(account=alice.account, target_account=bob)
    url = serve_png(httpserver, "/files/blob.png")
    poll_url = serve_png(httpserver, "/files/ballot.png", "green")
    odd = serve_png(httpserver, "/files/odd.png")
    note = {
        "id": remote.url("/notes/7"),
        "type": "Question",
        "attributedTo": remote.uri,
        "content": "<p>Hello :blob: and :local_only:</p>",
        "to": [PUBLIC],
        "cc": [remote.uri + "/followers"],
        "published": "2024-05-01T12:00:00Z",
        "oneOf": [{"type": "Note", "name": "yes :ballot:", "replies": {"totalItems": 0}}],
        "endTime": "2099-01-01T00:00:00Z",
        "tag": [
            emoji_tag("blob", url, "2024-05-01T00:00:00Z"),
            emoji_tag("ballot", poll_url, "2024-05-01T00:00:00Z"),
            emoji_tag("odd code", odd, "2024-05-01T00:00:00Z"),
            emoji_tag("<script>", odd, "2024-05-01T00:00:00Z"),
        ],
    }
    local_emoji("local_only")
    assert remote.deliver(Client(), remote.activity("Create", note)).status_code == 202
    status = Status.objects.get(uri=note["id"])
    stored = CustomEmoji.objects.filter(domain=remote.domain).order_by("shortcode")
    assert [e.shortcode for e in stored] == ["ballot", "blob"]
    assert all(default_storage.exists(e.image.name) for e in stored)
    assert all(default_storage.exists(e.static_image.name) for e in stored)
    entity = Client().get(f"/api/v1/statuses/{status.pk}").json()
    assert [e["shortcode"] for e in entity["emojis"]] == ["blob", "ballot"]
    blob = stored.get(shortcode="blob")
    assert entity["emojis"][0]["url"] == f"http://testserver/system/{blob.image.name}"
    assert entity["emojis"][0]["static_url"] == f"http://testserver/system/{blob.static_image.name}"
    assert [e["shortcode"] for e in entity["poll"]["emojis"]] == ["ballot"]


def test_remote_actor_emoji_are_stored_and_refreshed(
    alice: User, make_remote: Any, httpserver: HTTPServer
) -> None:
    url = serve_png(httpserver, "/files/wave.png", "blue")
    remote: RemoteActor = make_remote(
        "carol",
        extra={
            "name": "Carol :wave:",
            "tag": [emoji_tag("wave", url, "2024-01-01T00:00:00Z")],
        },
    )
    follow = remote.activity("Follow", "http://testserver/users/alice")
    assert remote.deliver(Client(), follow).status_code == 202
    carol = Account.objects.get(uri=remote.uri)
    wave = CustomEmoji.objects.get(domain=remote.domain, shortcode="wave")
    first = wave.image.name
    assert first and default_storage.exists(first)
    entity = Client().get(f"/api/v1/accounts/{carol.pk}").json()
    assert [e["shortcode"] for e in entity["emojis"]] == ["wave"]
    # The remote server replaces the emoji's image: an Update of the actor brings it anew.
    new_url = serve_png(httpserver, "/files/wave2.png", "yellow")
    document = remote.document()
    document["tag"] = [emoji_tag("wave", new_url, "2024-06-01T00:00:00Z")]
    update = remote.activity("Update", document)
    assert remote.deliver(Client(), update).status_code == 202
    wave.refresh_from_db()
    assert wave.image_remote_url == new_url and wave.image.name != first
    assert default_storage.exists(wave.image.name) and not default_storage.exists(first)
