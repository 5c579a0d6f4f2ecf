"""Announcements: the list each user sees, dismissing, and emoji reactions."""

from datetime import timedelta
from io import BytesIO

import httpx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import Role
from fediverse import uris
from moderation.models import Announcement, AnnouncementReaction, CustomEmoji
from moderation.services.announcements import is_unicode_emoji
from moderation.services.custom_emojis import do_save_custom_emoji
from timelines.services.statuses import StatusInput, do_create_status

ENTITY_FIELDS = {
    "id", "content", "starts_at", "ends_at", "all_day", "published_at", "updated_at", "read",
    "mentions", "statuses", "tags", "emojis", "reactions",
}  # fmt: skip


def announce(text: str = "Hello", **fields: object) -> Announcement:
    fields.setdefault("published_at", timezone.now() - timedelta(minutes=1))
    return Announcement.objects.create(text=text, **fields)


def blobcat() -> CustomEmoji:
    out = BytesIO()
    Image.new("RGBA", (16, 16), (200, 100, 0, 255)).save(out, format="PNG")
    upload = SimpleUploadedFile("blobcat.png", out.getvalue(), "image/png")
    return do_save_custom_emoji(emoji=CustomEmoji(shortcode="blobcat"), image=upload)


def test_users_see_current_announcements_with_links_resolved(alice, bob, http_for) -> None:
    blobcat()
    status = do_create_status(account=bob.account, data=StatusInput(text="see this"))
    link = uris.status_url("bob", status.pk)
    now = timezone.now()
    shown = announce(
        f"Welcome @bob and @nobody! #News :blobcat: {link}",
        starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=1),
    )  # fmt: skip
    announce("draft", published_at=None)
    announce("later", published_at=now + timedelta(hours=1))
    announce("over", ends_at=now - timedelta(minutes=1))
    with http_for(alice, scope="read") as client:
        response = client.get("/api/v1/announcements")
    assert response.status_code == 200
    [entity] = response.json()
    assert set(entity) == ENTITY_FIELDS
    assert entity["id"] == str(shown.pk) and entity["read"] is False
    assert entity["all_day"] is False and entity["reactions"] == []
    assert entity["starts_at"].endswith("Z") and entity["ends_at"].endswith("Z")
    assert entity["mentions"] == [
        {"id": str(bob.account.pk), "username": "bob", "acct": "bob",
         "url": uris.account_url("bob")},
    ]  # fmt: skip
    assert entity["tags"] == [{"name": "news", "url": uris.tag_url("news")}]
    assert entity["statuses"] == [{"id": str(status.pk), "url": link}]
    assert [e["shortcode"] for e in entity["emojis"]] == ["blobcat"]
    content = entity["content"]
    assert content.startswith("<p>") and 'class="u-url mention"' in content
    assert "@nobody" in content and 'rel="tag"' in content and ":blobcat:" in content


def test_dismissing_marks_an_announcement_read_for_that_user_only(
    alice, bob, api_for, http_for
) -> None:
    shown = announce()
    hidden = announce("draft", published_at=None)
    api = api_for(alice)
    api.announcement_dismiss(shown.pk)
    api.announcement_dismiss(shown.pk)  # again: still fine
    assert [a["read"] for a in api.announcements()] == [True]
    assert [a["read"] for a in api_for(bob).announcements()] == [False]
    with http_for(alice) as client:
        for missing in (hidden.pk, 99999, "abc"):
            response = client.post(f"/api/v1/announcements/{missing}/dismiss")
            assert response.status_code == 404
            assert response.json() == {"error": "Record not found"}


def test_reactions_are_counted_per_name_with_me(alice, bob, api_for, http_for) -> None:
    emoji = blobcat()
    shown = announce()
    alice_api, bob_api = api_for(alice), api_for(bob)
    alice_api.announcement_reaction_create(shown.pk, "👍")
    bob_api.announcement_reaction_create(shown.pk, "👍")
    alice_api.announcement_reaction_create(shown.pk, "blobcat")
    with http_for(alice) as client:
        [entity] = client.get("/api/v1/announcements").json()
    thumbs, cat = entity["reactions"]
    assert thumbs == {"name": "👍", "count": 2, "me": True}
    assert cat["name"] == "blobcat" and cat["count"] == 1 and cat["me"] is True
    assert cat["url"] == uris.absolute(emoji.image.url)
    assert cat["static_url"] == uris.absolute(emoji.static_image.url)
    [seen_by_bob] = bob_api.announcements()
    assert [(r["name"], r["me"]) for r in seen_by_bob["reactions"]] == [
        ("👍", True),
        ("blobcat", False),
    ]
    with http_for(bob) as client:
        assert client.delete(f"/api/v1/announcements/{shown.pk}/reactions/👍").json() == {}
        again = client.delete(f"/api/v1/announcements/{shown.pk}/reactions/👍")
    assert again.status_code == 404
    assert list(AnnouncementReaction.objects.values_list("name", "account__username")) in (
        [("👍", "alice"), ("blobcat", "alice")],
        [("blobcat", "alice"), ("👍", "alice")],
    )


def test_bad_reactions_are_refused(alice, bob, http_for) -> None:
    shown = announce()
    with http_for(alice) as client:
        base = f"/api/v1/announcements/{shown.pk}/reactions"
        assert client.put(f"{base}/🎉").status_code == 200
        duplicate = client.put(f"{base}/🎉")
        assert duplicate.status_code == 422
        assert duplicate.json() == {"error": "Duplicate record"}
        for name in ("nope", "a", "🎉x", "unknownemoji"):
            response = client.put(f"{base}/{name}")
            assert response.status_code == 422, name
            assert response.json() == {"error": "Validation failed: Name is not a recognized emoji"}
        for name in ("😀", "😁", "😂", "🤣", "😃", "😄", "😅"):
            assert client.put(f"{base}/{name}").status_code == 200
        ninth = client.put(f"{base}/😆")
        assert ninth.status_code == 422
        assert ninth.json() == {"error": "Validation failed: Limit of different reactions reached"}
        unknown = client.put("/api/v1/announcements/424242/reactions/🎉")
        assert unknown.status_code == 404
    # A name already in use may still be added by someone else.
    with http_for(bob) as client:
        assert client.put(f"{base}/😀").status_code == 200
    assert AnnouncementReaction.objects.count() == 9


def test_announcements_need_a_user_and_the_right_scopes(alice, http_for, base_url) -> None:
    shown = announce()
    anonymous = httpx.get(f"{base_url}/api/v1/announcements")
    assert anonymous.status_code == 401
    with http_for(alice, scope="write") as client:
        refused = client.get("/api/v1/announcements")
        assert refused.status_code == 403
        assert refused.json() == {"error": "This action is outside the authorized scopes"}
    with http_for(alice, scope="read") as client:
        assert client.post(f"/api/v1/announcements/{shown.pk}/dismiss").status_code == 403
        assert client.put(f"/api/v1/announcements/{shown.pk}/reactions/🎉").status_code == 403
    with http_for(alice, scope="write:accounts write:favourites") as client:
        assert client.post(f"/api/v1/announcements/{shown.pk}/dismiss").status_code == 200
        assert client.put(f"/api/v1/announcements/{shown.pk}/reactions/🎉").status_code == 200
    assert not AnnouncementReaction.objects.exclude(name="🎉").exists()


def test_only_admins_write_announcements_in_the_admin(make_user, client_for, api_for) -> None:
    admin = client_for(make_user("boss", role=Role.ADMIN))
    moderator = client_for(make_user("mod", role=Role.MODERATOR))
    form = {"text": "Maintenance tonight", "published_at_0": "2020-01-01",
            "published_at_1": "00:00:00"}  # fmt: skip
    assert moderator.post("/admin/moderation/announcement/add/", form).status_code == 403
    assert admin.post("/admin/moderation/announcement/add/", form).status_code == 302
    reader = make_user("reader")
    assert [a["content"] for a in api_for(reader).announcements()] == ["<p>Maintenance tonight</p>"]


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("👍", True), ("👍🏽", True), ("❤️", True), ("🇫🇷", True), ("👩‍👩‍👧", True), ("1️⃣", True),
        ("🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f", True),
        ("", False), ("a", False), ("👍a", False), ("1", False), ("\u200d", False),
        ("👍" * 20, False),
    ],
)  # fmt: skip
def test_unicode_emoji_names(name: str, valid: bool) -> None:
    assert is_unicode_emoji(name) is valid
