"""Bad uploads: each refused with Mastodon's status and a JSON error, leaving no row and no
file behind."""

import os

import pytest

from tests.media import files
from tests.media.files import needs_ffmpeg

SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
)
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
# Valid GIF header, and also a script: `GIF89a=…` parses as JavaScript.
GIF_SCRIPT = b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=1;alert(1)//<script>alert(2)</script>;"


def png_with_html_chunk() -> bytes:
    """A valid PNG that a sniffing browser would read as HTML: markup in its first bytes."""
    png = files.image_bytes("PNG", (8, 8))
    text = b"tEXt" + b"Comment\x00<html><script>alert(1)</script></html>"
    import zlib

    chunk = (len(text) - 4).to_bytes(4, "big") + text + zlib.crc32(text).to_bytes(4, "big")
    return png[:33] + chunk + png[33:]


REFUSALS = [
    ("empty", b"", "Validation failed: File can't be blank"),
    ("truncated", files.rotated_jpeg_with_gps((400, 300))[:700],
     "File type of uploaded media could not be verified"),
    ("bomb", files.png_bomb(20_000), "Images of 400000000 pixels are not supported"),
    ("large_canvas", files.png_bomb(6_000), "6000x6000 images are not supported"),
    ("too_large", b"\xff\xd8\xff\xe0" + b"\x00" * (16 * 1024 * 1024),
     "Validation failed: File file size must be less than 16 MB"),
    ("svg", SVG, "Validation failed: File content type is invalid"),
    ("html", HTML, "Validation failed: File content type is invalid"),
    ("text", b"just some words", "Validation failed: File content type is invalid"),
    ("gif_script", GIF_SCRIPT,
     "Validation failed: File has contents that are not what they are reported to be"),
    ("png_html", png_with_html_chunk(),
     "Validation failed: File has contents that are not what they are reported to be"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "data", "error"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_bad_upload_is_refused(alice, http_for, nothing_stored, name, data, error) -> None:
    http = http_for(alice)
    for path in ("/api/v1/media", "/api/v2/media"):
        response = http.post(path, files={"file": ("picture.png", data, "image/png")})
        assert response.status_code == 422, response.text
        assert response.json() == {"error": error}
    nothing_stored()


def test_missing_file_and_long_description(alice, http_for, nothing_stored) -> None:
    http = http_for(alice)
    response = http.post("/api/v2/media", data={"description": "no file"})
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: File can't be blank"}
    response = http.post("/api/v2/media", files={"file": ("a.png", files.image_bytes())},
                         data={"description": "x" * 1501})  # fmt: skip
    assert response.status_code == 422
    assert response.json()["error"] == (
        "Validation failed: Description is too long (maximum is 1500 characters)"
    )
    nothing_stored()


def test_big_gif_and_thumbnail_on_an_image_are_refused(alice, http_for, nothing_stored) -> None:
    http = http_for(alice)
    big = files.animated_gif(frames=2, size=(1300, 720))
    response = http.post("/api/v2/media", files={"file": ("a.gif", big)})
    assert response.status_code == 422
    assert response.json() == {"error": "1300x720 GIF files are not supported"}
    response = http.post(
        "/api/v2/media",
        files={"file": ("a.png", files.image_bytes()), "thumbnail": ("t.png", files.image_bytes())},
    )
    assert response.status_code == 422
    assert response.json() == {"error": "Validation failed: Thumbnail must be blank"}
    nothing_stored()


def test_no_token_or_wrong_scope(alice, http_for, base_url) -> None:
    import httpx

    anonymous = httpx.post(f"{base_url}/api/v2/media", files={"file": ("a.png", b"x")})
    assert anonymous.status_code == 401
    reader = http_for(alice, scope="read")
    response = reader.post("/api/v2/media", files={"file": ("a.png", files.image_bytes())})
    assert response.status_code == 403


@needs_ffmpeg
@pytest.mark.parametrize(
    ("clip", "error"),
    [
        (lambda: files.mp4_video(seconds=0.2, rate=240, audio=False),
         "240fps videos are not supported"),
        (lambda: files.mp4_video(seconds=0.04, size="4096x2160", rate=25, audio=False),
         "4096x2160 videos are not supported"),
    ],
    ids=["frame_rate", "frame_size"],
)  # fmt: skip
def test_video_over_the_limits(alice, http_for, nothing_stored, clip, error) -> None:
    response = http_for(alice).post("/api/v2/media", files={"file": ("v.mp4", clip())})
    assert response.status_code == 422
    assert response.json() == {"error": error}
    nothing_stored()


@needs_ffmpeg
def test_stream_that_is_not_a_stream(alice, http_for, nothing_stored) -> None:
    # An MP3 frame header followed by garbage: ffprobe cannot make sense of it.
    response = http_for(alice).post(
        "/api/v2/media", files={"file": ("a.mp3", b"\xff\xfb" + os.urandom(64))}
    )
    assert response.status_code == 422
    assert response.json() == {"error": "File type of uploaded media could not be verified"}
    nothing_stored()


def test_without_ffmpeg_video_is_refused_and_images_still_work(
    alice, http_for, nothing_stored, monkeypatch
) -> None:
    http = http_for(alice)
    monkeypatch.setenv("PATH", "/nonexistent")  # as on a machine without the package
    for name, data in (("v.mp4", b"\x00\x00\x00\x18ftypisom" + b"\x00" * 64),
                       ("a.gif", files.animated_gif())):  # fmt: skip
        response = http.post("/api/v2/media", files={"file": (name, data)})
        assert response.status_code == 422
        assert "ffmpeg is not installed" in response.json()["error"]
    nothing_stored()
    image = http.post("/api/v2/media", files={"file": ("a.png", files.image_bytes())})
    assert image.status_code == 200 and image.json()["type"] == "image"


def test_reading_stops_once_an_upload_is_too_large() -> None:
    from django.test import RequestFactory

    from fediverse.api.errors import ApiError
    from media.api.views import UploadLimit

    handler = UploadLimit(RequestFactory().post("/api/v2/media"))
    handler.new_file("file", "big.mp4", "video/mp4", None)
    chunk = b"\x00" * (1024 * 1024)
    for start in range(99):
        assert handler.receive_data_chunk(chunk, start * len(chunk)) == chunk
    with pytest.raises(ApiError, match="must be less than 99 MB"):
        handler.receive_data_chunk(b"\x00", 99 * len(chunk))
    handler.new_file("thumbnail", "t.png", "image/png", None)  # each file counts alone
    assert handler.receive_data_chunk(chunk, 0) == chunk
