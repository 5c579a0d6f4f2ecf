"""Avatars and headers go through the same processing as attachments."""

from pathlib import Path

from django.conf import settings

from tests.media import files
from tests.media.conftest import served_image


def profile_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for d in ("avatars", "headers") if (root / d).exists()
            for p in (root / d).rglob("*") if p.is_file()}  # fmt: skip


def test_avatar_is_cropped_and_header_scaled_down(alice, api_for) -> None:
    api = api_for(alice)
    me = api.account_update_credentials(
        avatar=files.rotated_jpeg_with_gps((800, 400)), avatar_mime_type="image/jpeg",
        header=files.image_bytes("PNG", (3000, 1000)), header_mime_type="image/png",
    )  # fmt: skip
    avatar = served_image(me["avatar"])
    assert avatar.size == (400, 400) and avatar.format == "JPEG" and not avatar.getexif()
    assert me["avatar_static"] == me["avatar"]
    header = served_image(me["header"])
    assert header.size[0] * header.size[1] <= 750_000 and header.size == (1500, 500)
    before = profile_files()
    again = api.account_update_credentials(avatar=files.image_bytes("WEBP", (100, 300)),
                                           avatar_mime_type="image/webp")  # fmt: skip
    assert served_image(again["avatar"]).size == (400, 400)
    # The replaced avatar's file is gone; the new one took its place.
    after = profile_files()
    assert len(after) == len(before) and after != before


def test_animated_avatar_has_a_still_version(alice, api_for) -> None:
    me = api_for(alice).account_update_credentials(
        avatar=files.animated_gif(frames=4, size=(60, 40)), avatar_mime_type="image/gif"
    )
    moving = served_image(me["avatar"])
    assert moving.format == "GIF" and moving.size == (400, 400)
    assert getattr(moving, "n_frames", 1) == 4
    still = served_image(me["avatar_static"])
    assert still.format == "PNG" and still.size == (400, 400)
    assert me["avatar_static"] != me["avatar"]


def test_bad_avatar_is_refused_and_stores_nothing(alice, http_for) -> None:
    http = http_for(alice)
    before = profile_files()
    for data in (b"<html><script>alert(1)</script></html>", files.png_bomb(20_000),
                 files.rotated_jpeg_with_gps((300, 200))[:400]):  # fmt: skip
        response = http.patch("/api/v1/accounts/update_credentials",
                              files={"avatar": ("me.png", data, "image/png")})  # fmt: skip
        assert response.status_code == 422, response.text
        assert response.json()["error"].startswith("Validation failed")
    assert profile_files() == before
    alice.account.refresh_from_db()
    assert not alice.account.avatar
