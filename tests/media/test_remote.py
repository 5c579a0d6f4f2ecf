"""Remote media from real HTTP servers on loopback: what can be cached is, the rest is refused
within the time limit, and cached copies go after the admin's retention period."""

import socket
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from pytest_httpserver import HTTPServer

from accounts.models import Account
from media.models import MediaAttachment
from media.services.remote import RemoteMedia, do_add_remote_media
from media.tasks import cache_remote_emoji, cache_remote_profile_image, purge_remote_media_cache
from moderation.models import CustomEmoji, InstanceSettings
from tests.media import files
from tests.media.conftest import served_image
from timelines.models import Status

TIMEOUT = 1.5


@pytest.fixture(autouse=True)
def loopback_allowed(settings: Any) -> None:
    settings.FEDIVERSE_ALLOWED_PRIVATE_ADDRESSES = ["127.0.0.0/8", "::1/128"]
    settings.MEDIA_FETCH_TIMEOUT = TIMEOUT


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts the connection and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    host, port = server.getsockname()
    yield f"http://{host}:{port}/hang.png"
    server.close()


@pytest.fixture
def remote_post() -> Status:
    carol = Account.objects.create(username="carol", domain="remote.example",
                                   uri="https://remote.example/users/carol")  # fmt: skip
    return Status.objects.create(account=carol, text="", content="<p>holiday</p>", local=False,
                                 uri="https://remote.example/notes/1")  # fmt: skip


def add(status: Status, *items: RemoteMedia) -> list[MediaAttachment]:
    with transaction.atomic():  # fetched on commit, as when the inbox stores a post
        return do_add_remote_media(account=status.account, status_id=status.pk, items=items)


def test_remote_attachments_are_cached_or_refused_in_time(
    httpserver: HTTPServer, silent_server: str, remote_post: Status
) -> None:
    httpserver.expect_request("/cat.jpg").respond_with_data(
        files.rotated_jpeg_with_gps((80, 40)), content_type="image/jpeg"
    )
    huge = b"\xff\xd8\xff\xe0" + b"\x00" * (17 * 1024 * 1024)
    httpserver.expect_request("/huge.jpg").respond_with_data(huge, content_type="image/jpeg")
    httpserver.expect_request("/page.png").respond_with_data(b"<html>hi</html>")
    started = time.monotonic()
    cat, big, hang, page = add(
        remote_post,
        RemoteMedia(httpserver.url_for("/cat.jpg"), "image/jpeg", "A cat", focus=(0.5, 2.0),
                    blurhash="LEHV6nWB2yk8pyo0adR*.7kCMdnj", width=80, height=40),
        RemoteMedia(httpserver.url_for("/huge.jpg"), "image/jpeg"),
        RemoteMedia(silent_server, "image/png", "never arrives"),
        RemoteMedia(httpserver.url_for("/page.png"), "image/png"),
    )  # fmt: skip
    assert time.monotonic() - started < TIMEOUT + 3  # the hanging server held us up no longer
    for media in (cat, big, hang, page):
        media.refresh_from_db()
    assert cat.file and cat.preview and cat.meta["original"]["size"] == "40x80"
    assert cat.meta["focus"] == {"x": 0.5, "y": 1.0} and cat.description == "A cat"
    assert cat.blurhash == "LEHV6nWB2yk8pyo0adR*.7kCMdnj"  # the sender's own
    image = served_image("/system/" + cat.file.name)
    assert image.size == (40, 80) and not image.getexif()
    assert not big.file and not hang.file and not page.file


def test_entity_points_at_our_copy_or_the_proxy(
    httpserver: HTTPServer, remote_post: Status, alice, api_for
) -> None:
    httpserver.expect_request("/a.png").respond_with_data(files.image_bytes())
    httpserver.expect_request("/gone.png").respond_with_data("", status=404)
    add(remote_post, RemoteMedia(httpserver.url_for("/a.png"), "image/png"),
        RemoteMedia(httpserver.url_for("/gone.png"), "image/png"))  # fmt: skip
    entity = api_for(alice).status(remote_post.pk)
    cached, missing = entity["media_attachments"]
    assert cached["url"].startswith("http://testserver/system/media_attachments/")
    assert cached["remote_url"] == httpserver.url_for("/a.png")
    assert missing["url"] == f"http://testserver/media_proxy/{missing['id']}/original"
    assert missing["preview_url"] == f"http://testserver/media_proxy/{missing['id']}/small"
    assert Client().get(f"/media_proxy/{missing['id']}/original").status_code == 404


def test_retention_removes_copies_and_the_proxy_fetches_them_again(
    httpserver: HTTPServer, remote_post: Status
) -> None:
    httpserver.expect_request("/p.png").respond_with_data(files.transparent_png())
    (media,) = add(remote_post, RemoteMedia(httpserver.url_for("/p.png"), "image/png"))
    media.refresh_from_db()
    assert media.file
    assert purge_remote_media_cache.delay().get() == 0  # no retention set: kept for good
    settings_row = InstanceSettings.current()
    settings_row.media_cache_retention_days = 7
    settings_row.save()
    MediaAttachment.objects.filter(pk=media.pk).update(
        created_at=timezone.now() - timedelta(days=8)
    )
    assert purge_remote_media_cache.delay().get() == 1
    media.refresh_from_db()
    assert not media.file and not media.preview and media.remote_url
    response = Client().get(f"/media_proxy/{media.pk}/small")
    assert response.status_code == 302
    media.refresh_from_db()
    assert media.file and response["Location"].endswith(media.preview.name)
    assert served_image(response["Location"]).mode == "RGBA"


def test_proxy_only_for_visible_posts(httpserver: HTTPServer, remote_post: Status) -> None:
    httpserver.expect_request("/p.png").respond_with_data(files.image_bytes())
    (media,) = add(remote_post, RemoteMedia(httpserver.url_for("/p.png"), "image/png"))
    Status.objects.filter(pk=remote_post.pk).update(visibility="direct")
    assert Client().get(f"/media_proxy/{media.pk}/original").status_code == 404


def test_remote_avatar_and_emoji_are_processed_as_ours(
    httpserver: HTTPServer, remote_post: Status
) -> None:
    httpserver.expect_request("/avatar.gif").respond_with_data(files.animated_gif(3, (50, 50)))
    httpserver.expect_request("/emoji.png").respond_with_data(files.image_bytes("PNG", (32, 32)))
    httpserver.expect_request("/big.png").respond_with_data(files.image_bytes("PNG", (900, 900)))
    account = remote_post.account
    assert cache_remote_profile_image.delay(account.pk, "avatar",
                                            httpserver.url_for("/avatar.gif")).get()  # fmt: skip
    account.refresh_from_db()
    assert served_image("/system/" + account.avatar.name).size == (400, 400)
    source = httpserver.url_for("/emoji.png")
    emoji = CustomEmoji.objects.create(
        shortcode="blob", domain="remote.example", image_remote_url=source
    )
    assert cache_remote_emoji.delay(emoji.pk).get()
    emoji.refresh_from_db()
    assert served_image("/system/" + emoji.image.name).size == (32, 32)
    assert served_image("/system/" + emoji.static_image.name).format == "PNG"
    # A large picture is scaled down to what an emoji may be.
    emoji.image_remote_url = httpserver.url_for("/big.png")
    emoji.save()
    assert len(files.image_bytes("PNG", (900, 900))) < 256 * 1024
    assert cache_remote_emoji.delay(emoji.pk).get()
    emoji.refresh_from_db()
    assert served_image("/system/" + emoji.image.name).size == (400, 400)


def test_loopback_is_refused_without_the_setting(
    httpserver: HTTPServer, remote_post: Status, settings: Any
) -> None:
    settings.FEDIVERSE_ALLOWED_PRIVATE_ADDRESSES = []
    httpserver.expect_request("/a.png").respond_with_data(files.image_bytes())
    (media,) = add(remote_post, RemoteMedia(httpserver.url_for("/a.png"), "image/png"))
    media.refresh_from_db()
    assert not media.file
