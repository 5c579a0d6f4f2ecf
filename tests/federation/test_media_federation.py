"""Media across federation: our posts' attachments as Documents in their Notes, remote posts'
Documents as attachments copied here, and remote avatars, headers and custom emoji."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.test import Client
from PIL import Image
from pytest_httpserver import HTTPServer

from accounts.models import Account, Follow, User
from federation.render.context import PUBLIC
from media import storage
from media.models import MediaAttachment
from moderation.models import CustomEmoji
from tests.federation.conftest import RemoteActor
from timelines.models import Status, StatusEdit
from timelines.services.statuses import StatusInput, do_create_status

AP = "application/activity+json"
BLURHASH_A = "LEHV6nWB2yk8pyo0adR*.7kCMdnj"
BLURHASH_B = "L6PZfSi_.AyE_3t7t7R**0o#DgR4"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def png_bytes(width: int, height: int, colour: str) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def serve_image(server: HTTPServer, path: str, width: int = 64, height: int = 48) -> str:
    server.expect_request(path).respond_with_data(
        png_bytes(width, height, "blue"), content_type="image/png"
    )
    return server.url_for(path)


def document(url: str, name: str | None, blurhash: str, focus: list[float]) -> dict[str, Any]:
    return {
        "type": "Document",
        "mediaType": "image/png",
        "url": url,
        "name": name,
        "blurhash": blurhash,
        "focalPoint": focus,
        "width": 64,
        "height": 48,
    }


def remote_note(remote: RemoteActor, attachments: list[dict[str, Any]], **extra: Any) -> dict:
    return {
        "id": remote.url("/notes/1"),
        "type": "Note",
        "attributedTo": remote.uri,
        "content": "<p>Look</p>",
        "to": [PUBLIC],
        "cc": [remote.uri + "/followers"],
        "published": "2024-05-01T12:00:00Z",
        "sensitive": True,
        "attachment": attachments,
        **extra,
    }


def followed(remote: RemoteActor, alice: User) -> Account:
    """The remote author, followed from here so that its posts concern this server."""
    follow = remote.activity("Follow", "http://testserver/users/alice")
    assert remote.deliver(Client(), follow).status_code == 202
    bob = Account.objects.get(uri=remote.uri)
    Follow.objects.create(account=alice.account, target_account=bob)
    return bob


def local_media(user: User, position: int, **fields: Any) -> MediaAttachment:
    return MediaAttachment.objects.create(
        account=user.account, position=position, type="image",
        file_content_type="image/jpeg", **fields,
    )  # fmt: skip


def test_local_note_carries_its_attachments_as_documents(alice: User) -> None:
    first = local_media(
        alice, 1, file="media_attachments/original/b.jpg", description="A red square",
        blurhash=BLURHASH_A,
        meta={"original": {"width": 640, "height": 480}, "focus": {"x": 0.5, "y": -0.25}},
    )  # fmt: skip
    second = local_media(
        alice, 0, file="media_attachments/original/a.jpg", blurhash=BLURHASH_B,
        meta={"original": {"width": 32, "height": 16}},
    )  # fmt: skip
    data = StatusInput(text="Pictures", visibility="public", sensitive=True,
                       media_ids=(second.pk, first.pk))  # fmt: skip
    status = do_create_status(account=alice.account, data=data)
    response = Client().get(f"/users/alice/statuses/{status.pk}", HTTP_ACCEPT=AP)
    assert response.status_code == 200
    note = response.json()
    assert note["sensitive"] is True
    assert note["attachment"] == [
        {
            "type": "Document",
            "mediaType": "image/jpeg",
            "url": storage.url("media_attachments/original/a.jpg"),
            "name": None,
            "blurhash": BLURHASH_B,
            "focalPoint": [0.0, 0.0],
            "width": 32,
            "height": 16,
        },
        {
            "type": "Document",
            "mediaType": "image/jpeg",
            "url": storage.url("media_attachments/original/b.jpg"),
            "name": "A red square",
            "blurhash": BLURHASH_A,
            "focalPoint": [0.5, -0.25],
            "width": 640,
            "height": 480,
        },
    ]
    assert note["attachment"][0]["url"].startswith("http://testserver/")


def deliver_create(remote: RemoteActor, note: dict[str, Any]) -> Status:
    response = remote.deliver(Client(), remote.activity("Create", note))
    assert response.status_code == 202
    return Status.objects.get(uri=note["id"])


def test_remote_note_documents_become_cached_attachments(
    alice: User, remote: RemoteActor, httpserver: HTTPServer
) -> None:
    followed(remote, alice)
    one = serve_image(httpserver, "/files/one.png")
    two = serve_image(httpserver, "/files/two.png")
    emoji = serve_image(httpserver, "/files/blob.png", 32, 32)
    tag = {"type": "Emoji", "id": remote.url("/emojis/1"), "name": ":blob:",
           "icon": {"type": "Image", "mediaType": "image/png", "url": emoji}}  # fmt: skip
    note = remote_note(
        remote,
        [document(one, "First picture", BLURHASH_A, [0.25, 0.5]),
         document(two, "", BLURHASH_B, [0, 0])],
        tag=[tag],
    )  # fmt: skip
    status = deliver_create(remote, note)
    assert status.sensitive
    rows = list(MediaAttachment.objects.filter(status=status).order_by("position"))
    assert [(m.remote_url, m.description, m.blurhash) for m in rows] == [
        (one, "First picture", BLURHASH_A),
        (two, "", BLURHASH_B),
    ]
    assert rows[0].meta["focus"] == {"x": 0.25, "y": 0.5}
    assert rows[0].meta["original"]["width"] == 64
    # Fetched from the author's server on the media queue (eager here) and stored locally.
    assert all(m.file and default_storage.exists(m.file.name) for m in rows)
    entity = Client().get(f"/api/v1/statuses/{status.pk}").json()
    assert entity["sensitive"] is True
    media = entity["media_attachments"]
    assert [(m["remote_url"], m["description"], m["blurhash"]) for m in media] == [
        (one, "First picture", BLURHASH_A),
        (two, None, BLURHASH_B),
    ]
    assert all(m["url"].startswith("http://testserver/") for m in media)
    blob = CustomEmoji.objects.get(shortcode="blob", domain=remote.domain)
    assert blob.image_remote_url == emoji and blob.image and default_storage.exists(blob.image.name)


def test_remote_note_keeps_at_most_four_attachments(
    alice: User, remote: RemoteActor, httpserver: HTTPServer
) -> None:
    followed(remote, alice)
    urls = [serve_image(httpserver, f"/files/{n}.png") for n in range(6)]
    status = deliver_create(
        remote, remote_note(remote, [document(u, None, "", [0, 0]) for u in urls])
    )
    kept = MediaAttachment.objects.filter(status=status).order_by("position")
    assert [m.remote_url for m in kept] == urls[:4]


def test_update_note_changes_the_attachments(
    alice: User, remote: RemoteActor, httpserver: HTTPServer
) -> None:
    followed(remote, alice)
    one, two, three = (serve_image(httpserver, f"/files/{n}.png") for n in ("a", "b", "c"))
    status = deliver_create(
        remote,
        remote_note(remote, [document(one, "One", BLURHASH_A, [0, 0]),
                             document(two, "Two", BLURHASH_B, [0, 0])]),
    )  # fmt: skip
    kept_before = MediaAttachment.objects.get(status=status, remote_url=two)
    edited = remote_note(
        remote,
        [document(two, "Two, described better", BLURHASH_B, [0.1, 0.2]),
         document(three, "Three", BLURHASH_A, [0, 0])],
        updated="2024-05-01T13:00:00Z",
    )  # fmt: skip
    update = remote.activity("Update", edited)
    assert remote.deliver(Client(), update).status_code == 202
    rows = list(MediaAttachment.objects.filter(status=status).order_by("position"))
    assert [(m.remote_url, m.description) for m in rows] == [
        (two, "Two, described better"),
        (three, "Three"),
    ]
    assert rows[0].pk == kept_before.pk and rows[0].meta["focus"] == {"x": 0.1, "y": 0.2}
    assert not MediaAttachment.objects.filter(remote_url=one).exists()
    assert rows[1].file and default_storage.exists(rows[1].file.name)
    revisions = list(StatusEdit.objects.filter(status=status).order_by("created_at"))
    assert revisions[-1].media_ids == [m.pk for m in rows]
    assert len(revisions[0].media_ids) == 2
    entity = Client().get(f"/api/v1/statuses/{status.pk}").json()
    assert [m["description"] for m in entity["media_attachments"]] == [
        "Two, described better",
        "Three",
    ]


def test_remote_actor_avatar_and_header_are_cached(
    alice: User, httpserver: HTTPServer, allow_loopback: None
) -> None:
    icon = serve_image(httpserver, "/files/avatar.png", 120, 120)
    image = serve_image(httpserver, "/files/header.png", 300, 100)
    remote = RemoteActor(
        httpserver,
        extra={"icon": {"type": "Image", "mediaType": "image/png", "url": icon},
               "image": {"type": "Image", "mediaType": "image/png", "url": image}},
    ).serve()  # fmt: skip
    follow = remote.activity("Follow", "http://testserver/users/alice")
    assert remote.deliver(Client(), follow).status_code == 202
    bob = Account.objects.get(uri=remote.uri)
    assert bob.avatar and default_storage.exists(bob.avatar.name)
    assert bob.header and default_storage.exists(bob.header.name)
    with Image.open(default_storage.open(bob.avatar.name)) as avatar:
        assert avatar.size[0] == avatar.size[1]
