"""RSS feeds of profiles and hashtags, the oEmbed endpoint and the embeddable post page: only
public posts, each document shaped as its format says, invisible things answering 404."""

from __future__ import annotations

from io import BytesIO
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from accounts.models import Account, User
from fediverse import uris
from media.models import MediaAttachment
from moderation.models import CustomEmoji
from moderation.services.custom_emojis import do_save_custom_emoji
from timelines.models import Status
from timelines.services.statuses import StatusInput, do_create_status

MEDIA = "{http://search.yahoo.com/mrss/}"
RSS_TYPE = "application/rss+xml; charset=utf-8"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path


def post(user: User, text: str, visibility: str = "public", **fields: Any) -> Status:
    data = StatusInput(text=text, visibility=visibility, **fields)
    return do_create_status(account=user.account, data=data)


def picture(user: User, name: str, content_type: str, size: int, **fields: Any) -> int:
    media = MediaAttachment.objects.create(
        account=user.account, type="image", file=f"media_attachments/original/{name}",
        file_content_type=content_type, file_size=size, processing="complete", **fields,
    )  # fmt: skip
    return media.pk


def emoji(shortcode: str) -> CustomEmoji:
    out = BytesIO()
    Image.new("RGBA", (16, 16), (0, 200, 0, 255)).save(out, format="PNG")
    upload = SimpleUploadedFile("e.png", out.getvalue(), "image/png")
    return do_save_custom_emoji(emoji=CustomEmoji(shortcode=shortcode), image=upload)


def channel_of(response: Any) -> ET.Element:
    assert response.status_code == 200
    assert response["Content-Type"] == RSS_TYPE
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    assert channel is not None
    return channel


def test_profile_feed_has_public_posts_with_enclosures(alice: User, bob: User) -> None:
    emoji("blobcat")
    Account.objects.filter(pk=alice.account.pk).update(display_name="Alice A")
    first = picture(alice, "a.jpg", "image/jpeg", 1234, description="A field")
    second = picture(alice, "b.png", "image/png", 99)
    shown = post(alice, "Pictures :blobcat: #goats", media_ids=(first, second), sensitive=True)
    plain = post(alice, "Words <b>& more</b>", spoiler_text="careful")
    hidden = [post(alice, f"not public {v}", v) for v in ("unlisted", "private", "direct")]
    post(bob, "someone else's")
    channel = channel_of(Client().get("/@alice.rss"))
    assert channel.findtext("title") == "Alice A"
    assert channel.findtext("link") == uris.account_url("alice")
    assert channel.findtext("image/url", "").startswith("http://testserver/")
    assert channel.findtext("image/link") == uris.account_url("alice")
    items = channel.findall("item")
    assert [i.findtext("link") for i in items] == [
        uris.status_url("alice", plain.pk), uris.status_url("alice", shown.pk),
    ]  # fmt: skip
    assert all(str(s.pk) not in ET.tostring(channel, "unicode") for s in hidden)
    newest, older = items
    assert newest.findtext("guid") == newest.findtext("link")
    assert newest.find("guid").get("isPermaLink") == "true"  # type: ignore[union-attr]
    assert newest.findtext("pubDate", "").endswith("GMT")
    assert "CW: careful" in newest.findtext("description", "")
    assert "&lt;b&gt;&amp; more&lt;/b&gt;" in newest.findtext("description", "")
    assert newest.find("enclosure") is None
    [enclosure] = older.findall("enclosure")
    assert enclosure.attrib == {
        "url": "http://testserver/system/media_attachments/original/a.jpg",
        "type": "image/jpeg",
        "length": "1234",
    }
    contents = older.findall(f"{MEDIA}content")
    assert [c.get("url", "").rsplit("/", 1)[1] for c in contents] == ["a.jpg", "b.png"]
    assert contents[0].findtext(f"{MEDIA}description") == "A field"
    assert contents[0].findtext(f"{MEDIA}rating") == "adult"
    assert [c.text for c in older.findall("category")] == ["goats"]
    assert 'class="custom-emoji"' in older.findtext("description", "")


def test_tag_feed_has_public_posts_only(alice: User, bob: User) -> None:
    tagged = post(alice, "About #Goats")
    post(bob, "quiet #goats", "unlisted")
    post(bob, "secret #goats", "private")
    post(bob, "other #sheep")
    channel = channel_of(Client().get("/tags/goats.rss"))
    assert channel.findtext("title") == "#goats"
    assert [i.findtext("link") for i in channel.findall("item")] == [
        uris.status_url("alice", tagged.pk)
    ]
    empty = channel_of(Client().get("/tags/nothing.rss"))
    assert empty.findall("item") == []


def test_feeds_of_missing_or_suspended_accounts_are_404(alice: User) -> None:
    assert Client().get("/@nobody.rss").status_code == 404
    Account.objects.filter(pk=alice.account.pk).update(suspended_at=timezone.now())
    assert Client().get("/@alice.rss").status_code == 404


def test_profile_and_tag_pages_link_their_feeds(alice: User) -> None:
    profile = Client().get("/@alice").content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in profile
    assert 'href="/@alice.rss"' in profile
    tag = Client().get("/tags/goats").content.decode()
    assert 'type="application/rss+xml" title="#goats" href="/tags/goats.rss"' in tag


def test_oembed_describes_a_public_post(alice: User) -> None:
    Account.objects.filter(pk=alice.account.pk).update(display_name="Alice A")
    status = post(alice, "Embed me")
    url = uris.status_url("alice", status.pk)
    answer = Client().get("/api/oembed", {"url": url})
    assert answer.status_code == 200
    data = answer.json()
    embed = f"{url}/embed"
    assert data == {
        "type": "rich",
        "version": "1.0",
        "author_name": "Alice A",
        "author_url": uris.account_url("alice"),
        "provider_name": data["provider_name"],
        "provider_url": "http://testserver/",
        "cache_age": 86400,
        "html": data["html"],
        "width": 400,
        "height": None,
    }
    assert data["provider_name"]
    assert data["html"].startswith(f'<iframe src="{embed}"') and 'width="400"' in data["html"]
    assert "<script" not in data["html"]
    sized = Client().get("/api/oembed", {"url": url, "maxwidth": "300", "maxheight": "200"})
    assert sized.json()["width"] == 300 and sized.json()["height"] == 200
    assert 'height="200"' in sized.json()["html"]
    other_form = f"{uris.base_url()}/users/alice/statuses/{status.pk}"
    assert Client().get("/api/oembed", {"url": other_form}).status_code == 200


def test_oembed_refuses_what_is_not_a_public_post(alice: User) -> None:
    urls = [
        uris.status_url("alice", post(alice, v, v).pk) for v in ("unlisted", "private", "direct")
    ]
    urls += [
        uris.status_url("alice", 123456789),
        "https://elsewhere.example/@alice/1",
        "javascript:alert(1)",
        "",
    ]
    for url in urls:
        answer = Client().get("/api/oembed", {"url": url})
        assert answer.status_code == 404, url
        assert answer.json() == {"error": "Record not found"}
    public = uris.status_url("alice", post(alice, "fine").pk)
    bad = Client().get("/api/oembed", {"url": public, "maxwidth": "wide"})
    assert bad.status_code == 400 and "error" in bad.json()


def test_embed_page_can_be_framed_and_is_discoverable(alice: User) -> None:
    emoji("wave")
    Account.objects.filter(pk=alice.account.pk).update(display_name="Alice :wave:")
    status = post(alice, "Framed <script>alert(1)</script> :wave:")
    page = Client().get(f"/@alice/{status.pk}/embed")
    assert page.status_code == 200
    assert "X-Frame-Options" not in page.headers
    assert page["Content-Security-Policy"] == "frame-ancestors *"
    html = page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html
    assert 'class="topbar"' not in html and html.count('class="custom-emoji"') == 2
    # The site's own pages still refuse to be framed.
    assert Client().get(f"/@alice/{status.pk}")["X-Frame-Options"] == "DENY"
    post_page = Client().get(f"/@alice/{status.pk}").content.decode()
    assert '<link rel="alternate" type="application/json+oembed"' in post_page
    assert "/api/oembed?format=json&amp;url=" in post_page
    private = post(alice, "mine", "private")
    assert Client().get(f"/@alice/{private.pk}/embed").status_code == 404
    assert Client().get("/@alice/99999999/embed").status_code == 404
