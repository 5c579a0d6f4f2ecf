"""Uploads through Mastodon.py and raw HTTP against a live server, with real files."""

import io
import json
import subprocess
import tempfile
from pathlib import Path

import pytest
from PIL import Image, features

from media.models import MediaAttachment, Processing
from tests.media import files
from tests.media.conftest import fetch, served, served_image, stored_files
from tests.media.files import needs_ffmpeg


def probe(data: bytes) -> dict:
    with tempfile.NamedTemporaryFile() as handle:
        handle.write(data)
        handle.flush()
        done = subprocess.run(
            ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
             handle.name], capture_output=True, check=True)  # fmt: skip
    return json.loads(done.stdout)


def test_image_upload_with_alt_text_and_focus(alice, api_for) -> None:
    api = api_for(alice)
    media = api.media_post(files.image_bytes("JPEG", (1200, 900)), mime_type="image/jpeg",
                           description="Two squares, blue and red", focus=(-0.5, 0.25))  # fmt: skip
    assert media["type"] == "image" and media["url"] and media["preview_url"]
    assert media["description"] == "Two squares, blue and red"
    assert media["remote_url"] is None and len(media["blurhash"]) == 36  # 4x4 components
    meta = media["meta"]
    assert meta["original"] == {"width": 1200, "height": 900, "size": "1200x900", "aspect": 4 / 3}
    assert meta["small"]["width"] * meta["small"]["height"] <= 230_400
    assert meta["focus"] == {"x": -0.5, "y": 0.25}
    response = served(media["url"])
    assert response.headers["content-type"] == "image/jpeg"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "default-src 'none'" in response.headers["content-security-policy"]
    # Stored under a random name that says nothing about the upload.
    assert Path(media["url"]).suffix == ".jpeg" and "mastodon" not in media["url"]
    assert served_image(media["preview_url"]).size == (meta["small"]["width"],
                                                       meta["small"]["height"])  # fmt: skip


def test_rotated_jpeg_is_turned_upright_and_stripped(alice, api_for) -> None:
    upload = files.rotated_jpeg_with_gps((80, 40))
    assert b"Spy Camera Co" in upload
    media = api_for(alice).media_post(upload, mime_type="image/jpeg")
    assert media["meta"]["original"]["size"] == "40x80"
    data = served(media["url"]).content
    image = Image.open(io.BytesIO(data))
    assert image.size == (40, 80)
    assert not image.getexif() and b"Spy Camera Co" not in data and b"Exif" not in data
    # Orientation 6 turns the left (blue) half of the stored picture to the top.
    upright = image.convert("RGB")
    top, bottom = upright.getpixel((20, 5)), upright.getpixel((20, 75))
    assert isinstance(top, tuple) and isinstance(bottom, tuple)
    assert top[2] > 150 and bottom[0] > 150


def test_large_image_is_scaled_down_to_mastodon_size(alice, http_for) -> None:
    data = files.image_bytes("PNG", (4000, 2500))
    response = http_for(alice).post("/api/v2/media", files={"file": ("big.png", data)})
    assert response.status_code == 200
    original = response.json()["meta"]["original"]
    assert original["width"] * original["height"] <= 8_294_400
    assert abs(original["aspect"] - 1.6) < 0.01
    assert served_image(response.json()["url"]).size == (original["width"], original["height"])


def test_transparent_png_keeps_its_transparency(alice, api_for) -> None:
    media = api_for(alice).media_post(files.transparent_png(), mime_type="image/png")
    image = served_image(media["url"])
    assert image.format == "PNG" and image.mode == "RGBA"
    corner = image.getpixel((0, 0))
    assert isinstance(corner, tuple) and corner[3] == 0
    assert image.getpixel((20, 20)) == (0, 200, 0, 255)
    assert served_image(media["preview_url"]).mode == "RGBA"


def test_webp_stays_webp(alice, api_for) -> None:
    media = api_for(alice).media_post(files.image_bytes("WEBP"), mime_type="image/webp")
    assert media["type"] == "image"
    assert served(media["url"]).headers["content-type"] == "image/webp"
    assert served_image(media["url"]).size == (64, 48)


def test_name_and_claimed_type_do_not_matter(alice, http_for) -> None:
    upload = ("../../evil.exe", files.image_bytes("PNG"), "application/x-msdownload")
    response = http_for(alice).post("/api/v1/media", files={"file": upload})
    assert response.status_code == 200, response.text
    url = response.json()["url"]
    assert url.endswith(".png") and "evil" not in url


@needs_ffmpeg
def test_animated_gif_becomes_a_looping_silent_mp4(alice, api_for) -> None:
    api = api_for(alice)
    media = api.media_post(files.animated_gif(), mime_type="image/gif")
    assert media["url"] is None  # 202: converted on the media queue
    done = api.media(media["id"])
    assert done["type"] == "gifv" and done["url"].endswith(".mp4")
    found = probe(served(done["url"]).content)
    assert [s["codec_type"] for s in found["streams"]] == ["video"]
    assert found["streams"][0]["codec_name"] == "h264"
    assert done["meta"]["original"]["frame_rate"] == "10/1"
    assert done["preview_url"] and done["blurhash"]


@needs_ffmpeg
def test_video_is_converted_probed_and_stripped(alice, http_for) -> None:
    http = http_for(alice)
    upload = files.webm_video(seconds=1)
    response = http.post("/api/v2/media", files={"file": ("clip.webm", upload)},
                         data={"description": "A test card"})  # fmt: skip
    assert response.status_code == 202 and response.json()["url"] is None
    media = http.get(f"/api/v1/media/{response.json()['id']}")
    assert media.status_code == 200
    body = media.json()
    assert body["type"] == "video" and body["description"] == "A test card"
    original = body["meta"]["original"]
    assert original["width"] == 64 and original["height"] == 48
    assert original["frame_rate"] == "25/1" and 0.9 < original["duration"] < 1.2
    assert original["bitrate"] > 0 and body["meta"]["small"]["size"] == "64x48"
    data = served(body["url"]).content
    found = probe(data)
    codecs = sorted(s["codec_name"] for s in found["streams"])
    assert codecs == ["aac", "h264"] and b"secret title" not in data
    assert "title" not in found["format"].get("tags", {})
    assert served_image(body["preview_url"]).size == (64, 48)
    assert not any(name.startswith("incoming") for name in stored_files())


@needs_ffmpeg
def test_h264_mp4_is_copied_and_silent_video_is_gifv(alice, api_for) -> None:
    upload = files.mp4_video(audio=False)
    media = api_for(alice).media_post(upload, mime_type="video/mp4", synchronous=True)
    assert media["type"] == "gifv"
    data = served(media["url"]).content
    assert b"+48.85+002.29" not in data  # the location tag is gone
    assert probe(data)["streams"][0]["codec_name"] == "h264"


@needs_ffmpeg
def test_audio_becomes_mp3_without_tags(alice, http_for) -> None:
    response = http_for(alice).post("/api/v1/media", files={"file": ("a.ogg", files.ogg_audio())})
    assert response.status_code == 200  # v1 answers once converted
    body = response.json()
    assert body["type"] == "audio" and body["url"].endswith(".mp3")
    assert body["preview_url"] is None and 0.9 < body["meta"]["original"]["duration"] < 1.3
    found = probe(served(body["url"]).content)
    assert found["streams"][0]["codec_name"] == "mp3"
    assert "artist" not in {key.lower() for key in found["format"].get("tags", {})}


@needs_ffmpeg
def test_custom_thumbnail_for_audio(alice, api_for) -> None:
    api = api_for(alice)
    media = api.media_post(files.wav_audio(), mime_type="audio/wav", synchronous=True)
    updated = api.media_update(media, description="A beep", thumbnail=files.image_bytes("JPEG"),
                               thumbnail_mime_type="image/jpeg")  # fmt: skip
    assert updated["description"] == "A beep" and updated["preview_url"]
    assert updated["meta"]["small"]["size"] == "64x48" and updated["blurhash"]
    assert served_image(updated["preview_url"]).size == (64, 48)


def test_get_answers_206_while_processing_and_200_after(alice, http_for) -> None:
    http = http_for(alice)
    media_id = http.post("/api/v2/media", files={"file": ("a.png", files.image_bytes())}).json()[
        "id"
    ]
    MediaAttachment.objects.filter(pk=media_id).update(processing=Processing.IN_PROGRESS)
    waiting = http.get(f"/api/v1/media/{media_id}")
    assert waiting.status_code == 206 and waiting.json()["url"] is None
    MediaAttachment.objects.filter(pk=media_id).update(processing=Processing.COMPLETE)
    assert http.get(f"/api/v1/media/{media_id}").status_code == 200
    MediaAttachment.objects.filter(pk=media_id).update(processing=Processing.FAILED)
    failed = http.get(f"/api/v1/media/{media_id}")
    assert failed.status_code == 422
    assert failed.json() == {"error": "Error processing thumbnail for uploaded media"}


def test_update_description_and_focus(alice, bob, api_for, http_for) -> None:
    api = api_for(alice)
    media = api.media_post(files.image_bytes(), mime_type="image/png")
    updated = api.media_update(media, description="Now described", focus=(0.1, -1.0))
    assert updated["description"] == "Now described"
    assert updated["meta"]["focus"] == {"x": 0.1, "y": -1.0}
    assert updated["meta"]["original"]["width"] == 64
    assert api.media(media)["description"] == "Now described"
    # Someone else's upload is not there at all.
    response = http_for(bob).put(f"/api/v1/media/{media['id']}", data={"description": "x"})
    assert response.status_code == 404 and response.json() == {"error": "Record not found"}


def test_delete_unattached_upload(alice, http_for) -> None:
    http = http_for(alice)
    before = stored_files()
    media = http.post("/api/v2/media", files={"file": ("a.png", files.image_bytes())}).json()
    assert len(stored_files() - before) == 2  # the original and the preview
    response = http.delete(f"/api/v1/media/{media['id']}")
    assert response.status_code == 200 and response.json() == {}
    assert stored_files() == before and not MediaAttachment.objects.filter(pk=media["id"])
    assert http.delete(f"/api/v1/media/{media['id']}").status_code == 404
    posted = http.post("/api/v2/media", files={"file": ("a.png", files.image_bytes())}).json()
    http.post("/api/v1/statuses", json={"status": "with it", "media_ids": [posted["id"]]})
    response = http.delete(f"/api/v1/media/{posted['id']}")
    assert response.status_code == 422
    assert response.json() == {"error": "Media attachment is currently used by a status"}


def test_video_seeking_with_byte_ranges(alice, api_for) -> None:
    media = api_for(alice).media_post(files.image_bytes("PNG", (300, 200)), mime_type="image/png")
    whole = served(media["url"]).content
    part = fetch(media["url"], Range="bytes=10-19")
    assert part.status_code == 206 and part.content == whole[10:20]
    assert part.headers["content-range"] == f"bytes 10-19/{len(whole)}"
    assert part.headers["x-content-type-options"] == "nosniff"
    tail = fetch(media["url"], Range="bytes=-5")
    assert tail.status_code == 206 and tail.content == whole[-5:]
    beyond = fetch(media["url"], Range=f"bytes={len(whole)}-")
    assert beyond.status_code == 416


@pytest.mark.skipif(not features.check("avif"), reason="this Pillow cannot read AVIF")
def test_avif_is_converted_to_jpeg(alice, http_for) -> None:
    response = http_for(alice).post(
        "/api/v2/media", files={"file": ("photo.avif", files.image_bytes("AVIF", (40, 30)))}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["url"].endswith(".jpeg") and served_image(body["url"]).format == "JPEG"
    assert body["meta"]["original"]["size"] == "40x30"
