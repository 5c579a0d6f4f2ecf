import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "purple").save(buffer, format="PNG")
    return buffer.getvalue()


def profile_data(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {"display_name": "Alice A.", "note": "Hi, I like #tea and @bob",
                               "field_0_name": "Site", "field_0_value": "https://alice.example",
                               "locked": "on", "bot": "on"}  # fmt: skip
    data.update(overrides)
    return data


def test_edit_profile_with_fields_images_and_flags(alice, bob, client_for) -> None:
    client = client_for(alice)
    avatar = SimpleUploadedFile("../../evil.txt", png_bytes(), content_type="text/plain")
    response = client.post("/settings/profile", profile_data(avatar=avatar))
    assert response.status_code == 302
    account = alice.account
    account.refresh_from_db()
    assert account.display_name == "Alice A." and account.locked and account.bot
    assert account.fields == [{"name": "Site", "value": "https://alice.example"}]
    assert 'href="http://testserver/tags/tea"' in account.note
    assert account.avatar.name.startswith("avatars/") and account.avatar.name.endswith(".png")
    assert "evil" not in account.avatar.name
    page = Client().get("/@alice").content.decode()
    assert "Alice A." in page and "https://alice.example" in page and account.avatar.url in page
    served = Client().get(account.avatar.url)
    assert served.status_code == 200
    assert served["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'none'" in served["Content-Security-Policy"]


def test_bad_profile_input_stores_nothing(alice, client_for) -> None:
    client = client_for(alice)
    cases = [
        profile_data(display_name="x" * 31),
        profile_data(note="x" * 501),
        profile_data(field_1_name="y" * 256, field_1_value="v"),
        profile_data(avatar=SimpleUploadedFile("a.png", b"not an image")),
    ]
    for data in cases:
        response = client.post("/settings/profile", data)
        assert response.status_code == 200
        assert response.context["form"].errors
    alice.account.refresh_from_db()
    assert alice.account.display_name == "" and not alice.account.locked
    assert not alice.account.avatar
