"""Custom emoji in the admin panel: uploads through the add form (processed into an image and
a still PNG), odd shortcodes and files refused, enabling and disabling, and copying another
server's emoji into the local set."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from accounts.models import Role
from media import storage
from moderation.models import CustomEmoji

ADD = "/admin/moderation/customemoji/add/"
LIST = "/admin/moderation/customemoji/"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def admin(make_user: Any, client_for: Any) -> Client:
    return client_for(make_user("boss", role=Role.ADMIN))


def picture(fmt: str, frames: int = 1, side: int = 32) -> bytes:
    mode = "RGB" if fmt == "JPEG" else "RGBA"
    colours = [(60 * n, 100, 200, 255)[: len(mode)] for n in range(frames)]
    images = [Image.new(mode, (side, side), colour) for colour in colours]
    out = BytesIO()
    if frames > 1:
        images[0].save(out, format=fmt, save_all=True, append_images=images[1:], duration=80)
    else:
        images[0].save(out, format=fmt)
    return out.getvalue()


def upload(admin: Client, shortcode: str, data: bytes, name: str = "e.png", **extra: Any) -> Any:
    form = {"shortcode": shortcode, "image": SimpleUploadedFile(name, data), "category": "",
            "visible_in_picker": "on", **extra}  # fmt: skip
    return admin.post(ADD, form)


def test_admin_uploads_png_gif_and_webp_emoji(admin: Client) -> None:
    assert upload(admin, "still", picture("PNG"), category="Faces").status_code == 302
    assert upload(admin, "moving", picture("GIF", frames=3), "m.gif").status_code == 302
    assert upload(admin, "web_p", picture("WEBP"), "w.webp").status_code == 302
    found = {e.shortcode: e for e in CustomEmoji.objects.all()}
    still, moving, webp = found["still"], found["moving"], found["web_p"]
    assert still.domain is None and still.category == "Faces" and still.visible_in_picker
    with default_storage.open(moving.image.name) as file, Image.open(file) as image:
        assert image.format == "GIF" and getattr(image, "n_frames", 1) == 3
    for emoji in (still, moving, webp):
        with default_storage.open(emoji.static_image.name) as file, Image.open(file) as image:
            assert image.format == "PNG" and getattr(image, "n_frames", 1) == 1
    assert webp.image.name.endswith(".webp")
    # Changing the category keeps the picture; a new upload replaces both files.
    change = f"{LIST}{still.pk}/change/"
    form = {"shortcode": "still", "category": "Other", "visible_in_picker": "on"}
    assert admin.post(change, form).status_code == 302
    kept = CustomEmoji.objects.get(pk=still.pk)
    assert kept.category == "Other" and kept.image.name == still.image.name
    new = {**form, "image": SimpleUploadedFile("n.png", picture("PNG", side=40))}
    assert admin.post(change, new).status_code == 302
    replaced = CustomEmoji.objects.get(pk=still.pk)
    assert replaced.image.name != still.image.name
    assert default_storage.exists(replaced.image.name)
    assert not default_storage.exists(still.image.name)
    assert not default_storage.exists(still.static_image.name)
    # The list shows each one's picture.
    page = admin.get(LIST).content.decode()
    assert f'src="{moving.image.url}"' in page and 'alt=":moving:"' in page


def test_admin_refuses_odd_shortcodes_and_files(admin: Client) -> None:
    assert upload(admin, "taken", picture("PNG")).status_code == 302
    bad_shortcodes = ["taken", "TAKEN", "a", "bad code", "emoji:x", "<b>", "é_accent", "x" * 129]
    for shortcode in bad_shortcodes:
        page = upload(admin, shortcode, picture("PNG"))
        assert page.status_code == 200 and b"errorlist" in page.content, shortcode
    bad_files = [
        (b"not an image at all", "fake.png"),
        (picture("JPEG"), "photo.png"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>", "x.png"),
        (picture("PNG", side=400) + b"\0" * 300_000, "huge.png"),
        (b"", "empty.png"),
    ]
    for data, name in bad_files:
        page = upload(admin, "fresh", data, name)
        assert page.status_code == 200 and b"errorlist" in page.content, name
    assert list(CustomEmoji.objects.values_list("shortcode", flat=True)) == ["taken"]


def test_admin_disables_enables_and_copies_remote_emoji(admin: Client) -> None:
    assert upload(admin, "mine", picture("PNG")).status_code == 302
    mine = CustomEmoji.objects.get(shortcode="mine")
    name = storage.save_bytes("emojis", "png", picture("PNG"))
    still = name.removesuffix(".png") + "_static.png"
    storage.save_as(still, picture("PNG"))
    theirs = CustomEmoji.objects.create(
        shortcode="theirs", domain="remote.example", image=name, static_image=still,
        image_remote_url="https://remote.example/theirs.png",
    )  # fmt: skip
    clash = CustomEmoji.objects.create(
        shortcode="mine", domain="remote.example", image=name, static_image=still
    )
    uncached = CustomEmoji.objects.create(shortcode="later", domain="remote.example")

    def act(action: str, *emojis: CustomEmoji) -> Any:
        chosen = [str(e.pk) for e in emojis]
        return admin.post(LIST, {"action": action, "_selected_action": chosen}, follow=True)

    act("disable", mine, theirs)
    assert set(CustomEmoji.objects.filter(disabled=True).values_list("pk", flat=True)) == {
        mine.pk, theirs.pk,
    }  # fmt: skip
    act("enable", mine, theirs)
    assert not CustomEmoji.objects.filter(disabled=True).exists()
    page = act("copy_to_local", theirs, clash, uncached)
    assert b"Copied 1 emoji" in page.content and b"2 not copied" in page.content
    copy = CustomEmoji.objects.get(shortcode="theirs", domain__isnull=True)
    assert copy.image.name != theirs.image.name and default_storage.exists(copy.image.name)
    assert default_storage.exists(copy.static_image.name)
    # The local emoji that had the same shortcode is left as it was.
    assert CustomEmoji.objects.get(pk=mine.pk).image.name == mine.image.name
    # A remote emoji's own fields cannot be edited here, only shown or hidden.
    change = admin.get(f"{LIST}{theirs.pk}/change/").content.decode()
    assert 'name="shortcode"' not in change and 'name="disabled"' in change


def test_moderators_cannot_upload_emoji(make_user: Any, client_for: Any) -> None:
    moderator = client_for(make_user("mod", role=Role.MODERATOR))
    assert upload(moderator, "nope", picture("PNG")).status_code == 403
    assert not CustomEmoji.objects.exists()
