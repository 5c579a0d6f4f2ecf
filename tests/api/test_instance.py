"""The instance API's smaller documents and the custom emoji list, through Mastodon.py and raw
HTTP, checked against Mastodon's entities."""

import re
from datetime import timedelta
from io import BytesIO

import httpx
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import Account, Role
from moderation.models import CustomEmoji, InstanceSettings, Rule
from moderation.services.custom_emojis import do_save_custom_emoji
from timelines.models import Status
from timelines.services.statuses import StatusInput, do_create_status

PUBLIC_PATHS = [
    "peers", "activity", "rules", "domain_blocks", "extended_description", "privacy_policy",
    "languages", "translation_languages",
]  # fmt: skip


def image_bytes(fmt: str = "PNG", frames: int = 1) -> bytes:
    pictures = [Image.new("RGBA", (32, 32), (40 * n, 120, 200, 255)) for n in range(frames)]
    out = BytesIO()
    if frames > 1:
        pictures[0].save(out, format=fmt, save_all=True, append_images=pictures[1:])
    else:
        pictures[0].save(out, format=fmt)
    return out.getvalue()


def make_emoji(shortcode: str, **fields: object) -> CustomEmoji:
    upload = SimpleUploadedFile(f"{shortcode}.gif", image_bytes("GIF", frames=2), "image/gif")
    return do_save_custom_emoji(emoji=CustomEmoji(shortcode=shortcode, **fields), image=upload)


def test_public_documents_ignore_tokens(base_url) -> None:
    # The list of blocked servers is hidden unless the admin shows it.
    InstanceSettings.objects.filter(pk=InstanceSettings.current().pk).update(
        show_domain_blocks="all"
    )
    for name in PUBLIC_PATHS:
        plain = httpx.get(f"{base_url}/api/v1/instance/{name}")
        assert plain.status_code == 200, (name, plain.text)
        assert plain.headers["content-type"].startswith("application/json")
        # Mastodon never checks a token on these: a wrong one changes nothing.
        bad = httpx.get(
            f"{base_url}/api/v1/instance/{name}/", headers={"Authorization": "Bearer nope"}
        )
        assert bad.status_code == 200 and bad.json() == plain.json()


def test_peers_lists_each_known_remote_domain_once(base_url, alice) -> None:
    for username, domain in [("a", "Social.Example"), ("b", "social.example"), ("c", "b.test")]:
        Account.objects.create(username=username, domain=domain)
    peers = httpx.get(f"{base_url}/api/v1/instance/peers").json()
    assert peers == ["b.test", "social.example"]


def test_activity_counts_posts_logins_and_sign_ups_per_week(base_url, alice, bob, http_for) -> None:
    do_create_status(account=alice.account, data=StatusInput(text="this week"))
    old = do_create_status(account=alice.account, data=StatusInput(text="last week"))
    Status.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=3))
    Account.objects.create(username="far", domain="remote.example")  # not a local sign-up
    bob.created_at = timezone.now() - timedelta(days=10)
    bob.save()
    with http_for(alice) as client:  # alice's API use counts as a login today
        assert client.get("/api/v1/accounts/verify_credentials").status_code == 200
    weeks = httpx.get(f"{base_url}/api/v1/instance/activity").json()
    assert len(weeks) == 12
    assert all(set(w) == {"week", "statuses", "logins", "registrations"} for w in weeks)
    assert all(isinstance(v, str) and v.isdigit() for w in weeks for v in w.values())
    # Week 0 is today, week 1 the seven days before it, and so on.
    assert [w["statuses"] for w in weeks[:3]] == ["1", "1", "0"]
    assert [w["registrations"] for w in weeks[:3]] == ["1", "0", "1"]
    assert [w["logins"] for w in weeks[:3]] == ["1", "0", "0"]
    starts = [int(w["week"]) for w in weeks]
    assert all(a - b == 7 * 86400 for a, b in zip(starts, starts[1:], strict=False))
    assert starts[0] % 86400 == 0  # midnight UTC


def test_rules_and_empty_domain_blocks(base_url) -> None:
    second = Rule.objects.create(text="Be kind", hint="Really", priority=2)
    first = Rule.objects.create(text="No spam", priority=1)
    rules = httpx.get(f"{base_url}/api/v1/instance/rules").json()
    assert rules == [
        {"id": str(first.pk), "text": "No spam", "hint": ""},
        {"id": str(second.pk), "text": "Be kind", "hint": "Really"},
    ]
    # Hidden by default, as on Mastodon; shown once the admin chooses to.
    assert httpx.get(f"{base_url}/api/v1/instance/domain_blocks").status_code == 404
    InstanceSettings.objects.filter(pk=InstanceSettings.current().pk).update(
        show_domain_blocks="all"
    )
    assert httpx.get(f"{base_url}/api/v1/instance/domain_blocks").json() == []


def test_extended_description_is_html_from_the_long_description(base_url) -> None:
    empty = httpx.get(f"{base_url}/api/v1/instance/extended_description").json()
    assert empty == {"updated_at": None, "content": ""}
    instance = InstanceSettings.current()
    instance.description = "Welcome <friends>\n\nSecond paragraph"
    instance.save()
    body = httpx.get(f"{base_url}/api/v1/instance/extended_description").json()
    assert body["content"] == "<p>Welcome &lt;friends&gt;</p>\n\n<p>Second paragraph</p>"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", body["updated_at"])


def test_privacy_policy_has_a_default_and_names_the_server(base_url) -> None:
    body = httpx.get(f"{base_url}/api/v1/instance/privacy_policy").json()
    assert set(body) == {"updated_at", "content"}
    assert body["content"].startswith("<p>") and "testserver" in body["content"]
    assert "%{domain}" not in body["content"]


def test_terms_of_service_are_missing_until_an_admin_writes_them(
    base_url, make_user, client_for
) -> None:
    missing = httpx.get(f"{base_url}/api/v1/instance/terms_of_service")
    assert missing.status_code == 404 and missing.json() == {"error": "Record not found"}
    admin = client_for(make_user("boss", role=Role.ADMIN))
    instance = InstanceSettings.current()
    form = {
        "title": instance.title, "short_description": instance.short_description,
        "description": "", "contact_account": "", "contact_email": "",
        "registrations_mode": "open", "character_limit": "500",
        "privacy_policy": "We keep little on %{domain}.", "terms_of_service": "Be excellent.",
    }  # fmt: skip
    page = admin.post(f"/admin/moderation/instancesettings/{instance.pk}/change/", form)
    assert page.status_code == 302, page.content
    terms = httpx.get(f"{base_url}/api/v1/instance/terms_of_service").json()
    today = timezone.now().date().isoformat()
    assert terms == {
        "effective_date": today,
        "effective": True,
        "content": "<p>Be excellent.</p>",
        "succeeded_by": None,
    }
    dated = httpx.get(f"{base_url}/api/v1/instance/terms_of_service/{today}")
    assert dated.json() == terms
    assert httpx.get(f"{base_url}/api/v1/instance/terms_of_service/2001-01-01").status_code == 404
    policy = httpx.get(f"{base_url}/api/v1/instance/privacy_policy").json()
    assert policy["content"] == "<p>We keep little on testserver.</p>"
    assert policy["updated_at"].startswith(today)


def test_languages_and_translation_languages(alice, api_for) -> None:
    api = api_for(alice)
    languages = api.instance_languages()
    codes = [lang["code"] for lang in languages]
    assert len(codes) == len(set(codes)) == 184
    assert all(re.fullmatch(r"[a-z]{2}", code) for code in codes)
    assert {"code": "en", "name": "English"} in languages
    assert {"code": "de", "name": "German"} in languages
    assert api.instance_translation_languages() == {}


def test_custom_emojis_lists_the_local_picker_emojis(base_url, alice, api_for) -> None:
    make_emoji("blobcat", category="Blobs")
    make_emoji("party")
    make_emoji("hidden", visible_in_picker=False)
    make_emoji("off", disabled=True)
    remote = CustomEmoji.objects.create(shortcode="far", domain="remote.example", image="x.png")
    emojis = api_for(alice).custom_emojis()
    assert [e["shortcode"] for e in emojis] == ["party", "blobcat"]
    party, blobcat = httpx.get(f"{base_url}/api/v1/custom_emojis").json()
    # As Mastodon: "category" only where the emoji has one.
    assert set(party) == {"shortcode", "url", "static_url", "visible_in_picker"}
    assert blobcat["category"] == "Blobs" and blobcat["visible_in_picker"] is True
    # URLs name this server's domain; fetch the same paths from the live server.
    assert blobcat["url"].startswith("http://testserver/system/emojis/")
    animated = httpx.get(base_url + blobcat["url"].removeprefix("http://testserver"))
    still = httpx.get(base_url + blobcat["static_url"].removeprefix("http://testserver"))
    assert animated.status_code == still.status_code == 200
    assert animated.content.startswith(b"GIF8") and still.content.startswith(b"\x89PNG")
    assert remote.shortcode not in {e["shortcode"] for e in emojis}


def test_admin_uploads_a_custom_emoji(make_user, client_for, base_url) -> None:
    admin = client_for(make_user("boss", role=Role.ADMIN))
    upload = SimpleUploadedFile("wave.png", image_bytes(), "image/png")
    form = {"shortcode": "wave", "image": upload, "category": "", "visible_in_picker": "on"}
    assert admin.post("/admin/moderation/customemoji/add/", form).status_code == 302
    listed = httpx.get(f"{base_url}/api/v1/custom_emojis").json()
    assert [e["shortcode"] for e in listed] == ["wave"]
    for bad in ({"shortcode": "wave"}, {"shortcode": "a"}, {"shortcode": "bad code"}):
        again = SimpleUploadedFile("x.png", image_bytes(), "image/png")
        page = admin.post("/admin/moderation/customemoji/add/", {**bad, "image": again})
        assert page.status_code == 200 and b"errorlist" in page.content
    text = SimpleUploadedFile("fake.png", b"not an image", "image/png")
    page = admin.post("/admin/moderation/customemoji/add/", {"shortcode": "fake", "image": text})
    assert page.status_code == 200
    assert CustomEmoji.objects.count() == 1


def test_moderators_cannot_add_emojis(make_user, client_for) -> None:
    moderator = client_for(make_user("mod", role=Role.MODERATOR))
    upload = SimpleUploadedFile("wave.png", image_bytes(), "image/png")
    page = moderator.post("/admin/moderation/customemoji/add/", {"shortcode": "w", "image": upload})
    assert page.status_code == 403
    assert not CustomEmoji.objects.exists()
