"""Actor, post and collection documents, checked against the shapes Mastodon serves, and
content negotiation on the shared URLs."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from accounts.models import Follow, User
from accounts.services.featured_tags import do_feature_tag
from accounts.services.profile import do_update_profile
from federation.instance_actor import signing_key_for
from federation.render.context import PUBLIC
from federation.signatures import RequestParts, cavage
from timelines.models import Status
from timelines.services.interactions import do_favourite, do_reblog
from timelines.services.pins import do_pin
from timelines.services.statuses import StatusInput, do_create_status

AP = "application/activity+json"
LD = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
BASE = "http://testserver"


def get_json(path: str, accept: str = AP, **extra: Any) -> dict[str, Any]:
    response = Client().get(path, HTTP_ACCEPT=accept, **extra)
    assert response.status_code == 200, (path, response.status_code)
    assert response["Content-Type"] == "application/activity+json; charset=utf-8"
    assert "Accept" in response["Vary"]
    return response.json()


def signed_get(path: str, user: User) -> Any:
    """A GET signed with a local account's key, as another server would sign it."""
    headers = {"Host": "testserver", "Accept": AP}
    parts = RequestParts("GET", f"{BASE}{path}", headers)
    signed = {**headers, **cavage.sign(parts, signing_key_for(user.account))}
    return Client().get(path, headers=signed)


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile("a.png", buffer.getvalue(), content_type="image/png")


def post(user: User, text: str, visibility: str = "public", **options: Any) -> Status:
    data = StatusInput(text=text, visibility=visibility, **options)
    return do_create_status(account=user.account, data=data)


def test_actor_document_has_every_mastodon_field(alice: User) -> None:
    do_update_profile(
        account=alice.account, display_name="Alice A.", note="Hello #world",
        fields=[{"name": "Site", "value": "https://alice.example"}], locked=True, bot=False,
        avatar=png(), header=png(),
    )  # fmt: skip
    actor = get_json("/users/alice")
    uri = f"{BASE}/users/alice"
    assert actor["@context"][:2] == [
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/v1",
    ]
    terms = actor["@context"][2]
    for term in (
        "manuallyApprovesFollowers",
        "featured",
        "featuredTags",
        "alsoKnownAs",
        "movedTo",
        "PropertyValue",
        "discoverable",
        "indexable",
        "suspended",
    ):
        assert term in terms, term  # fmt: skip
    expected = {
        "id": uri, "type": "Person", "following": f"{uri}/following",
        "followers": f"{uri}/followers", "inbox": f"{uri}/inbox", "outbox": f"{uri}/outbox",
        "featured": f"{uri}/collections/featured", "featuredTags": f"{uri}/collections/tags",
        "preferredUsername": "alice", "name": "Alice A.", "url": f"{BASE}/@alice",
        "manuallyApprovesFollowers": True, "discoverable": True, "indexable": False,
        "memorial": False, "tag": [], "endpoints": {"sharedInbox": f"{BASE}/inbox"},
    }  # fmt: skip
    assert {k: actor[k] for k in expected} == expected
    assert "#<span>world</span>" in actor["summary"]
    assert actor["published"].endswith("T00:00:00Z")
    assert actor["publicKey"] == {
        "id": f"{uri}#main-key",
        "owner": uri,
        "publicKeyPem": alice.account.public_key,
    }
    [field] = actor["attachment"]
    assert field["type"] == "PropertyValue" and field["name"] == "Site"
    assert 'href="https://alice.example"' in field["value"]
    for key in ("icon", "image"):
        assert actor[key]["type"] == "Image" and actor[key]["mediaType"] == "image/png"
        assert actor[key]["url"].startswith(f"{BASE}/system/")


def test_negotiation_on_profile_and_post_urls(alice: User) -> None:
    status = post(alice, "Hi")
    for accept in (AP, LD, "application/activity+json, text/html;q=0.9"):
        assert get_json("/@alice", accept)["id"] == f"{BASE}/users/alice"
        assert get_json(f"/@alice/{status.pk}", accept)["id"] == status.uri
        assert get_json(f"/users/alice/statuses/{status.pk}", accept)["type"] == "Note"
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    page = Client().get("/@alice", HTTP_ACCEPT=browser)
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert "Accept" in page["Vary"]
    assert (
        Client()
        .get(f"/@alice/{status.pk}", HTTP_ACCEPT=browser)["Content-Type"]
        .startswith("text/html")
    )
    redirect = Client().get("/users/alice", HTTP_ACCEPT=browser)
    assert (redirect.status_code, redirect["Location"]) == (302, f"{BASE}/@alice")
    redirect = Client().get(f"/users/alice/statuses/{status.pk}", HTTP_ACCEPT=browser)
    assert redirect["Location"] == f"{BASE}/@alice/{status.pk}"


def test_notes_address_the_four_visibilities_as_mastodon(alice: User, bob: User) -> None:
    followers, bob_uri = f"{BASE}/users/alice/followers", f"{BASE}/users/bob"
    cases = {
        "public": ([PUBLIC], [followers, bob_uri]),
        "unlisted": ([followers], [PUBLIC, bob_uri]),
        "private": ([followers], [bob_uri]),
        "direct": ([bob_uri], []),
    }
    Follow.objects.create(account=bob.account, target_account=alice.account)
    for visibility, (to, cc) in cases.items():
        status = post(alice, "Hey @bob #Herd", visibility)
        # Signed by bob, who may see all four.
        note = signed_get(f"/users/alice/statuses/{status.pk}", bob).json()
        assert (note["to"], note["cc"]) == (to, cc), visibility
        anonymous = Client().get(f"/users/alice/statuses/{status.pk}", HTTP_ACCEPT=AP)
        assert anonymous.status_code == (200 if visibility in ("public", "unlisted") else 404)


def test_note_shape(alice: User, bob: User) -> None:
    parent = post(bob, "Question?")
    status = post(
        alice, "@bob Answer #Herd", spoiler_text="cw", language="en", in_reply_to_id=parent.pk
    )
    do_favourite(account=bob.account, status=status)
    self_reply = post(alice, "And more", in_reply_to_id=status.pk)
    note = get_json(f"/users/alice/statuses/{status.pk}")
    assert note["@context"][0] == "https://www.w3.org/ns/activitystreams"
    assert {"sensitive", "conversation", "atomUri", "Hashtag"} <= set(note["@context"][1])
    assert note["id"] == note["atomUri"] == status.uri
    assert note["url"] == f"{BASE}/@alice/{status.pk}"
    assert note["attributedTo"] == f"{BASE}/users/alice"
    assert note["summary"] == "cw" and note["sensitive"] is True
    assert note["inReplyTo"] == note["inReplyToAtomUri"] == parent.uri
    assert note["conversation"] == note["context"] == parent.uri
    assert note["content"] == status.content
    assert note["contentMap"] == {"en": status.content}
    assert note["published"].endswith("Z") and "updated" not in note
    assert note["tag"] == [
        {"type": "Mention", "href": f"{BASE}/users/bob", "name": "@bob"},
        {"type": "Hashtag", "href": f"{BASE}/tags/Herd", "name": "#Herd"},
    ]
    assert note["likes"] == {"id": f"{status.uri}/likes", "type": "Collection", "totalItems": 1}
    assert note["shares"]["totalItems"] == 0
    first = note["replies"]["first"]
    assert first["items"] == [self_reply.uri]
    assert first["next"] == f"{status.uri}/replies?min_id={self_reply.pk}&page=true"
    activity = get_json(f"/users/alice/statuses/{status.pk}/activity")
    assert (activity["type"], activity["id"]) == ("Create", f"{status.uri}/activity")
    assert activity["object"]["id"] == status.uri and "@context" not in activity["object"]


def test_outbox_lists_public_and_unlisted_only(alice: User, bob: User) -> None:
    shown = [post(alice, "one"), post(alice, "two", "unlisted")]
    post(alice, "three", "private")
    post(alice, "four", "direct")
    boost = do_reblog(account=alice.account, status=post(bob, "boost me"))
    outbox = get_json("/users/alice/outbox")
    base = f"{BASE}/users/alice/outbox"
    assert outbox == {
        "@context": "https://www.w3.org/ns/activitystreams",
        "id": base, "type": "OrderedCollection", "totalItems": 3,
        "first": f"{base}?page=true", "last": f"{base}?min_id=0&page=true",
    }  # fmt: skip
    page = get_json("/users/alice/outbox?page=true")
    assert page["type"] == "OrderedCollectionPage" and page["partOf"] == base
    items = page["orderedItems"]
    assert [i["type"] for i in items] == ["Announce", "Create", "Create"]
    assert items[0]["object"] == boost.reblog.uri  # type: ignore[union-attr]
    assert [i["object"]["id"] for i in items[1:]] == [s.uri for s in reversed(shown)]
    assert page["next"] == f"{base}?max_id={shown[0].pk}&page=true"
    older = get_json(f"/users/alice/outbox?max_id={shown[0].pk}&page=true")
    assert older["orderedItems"] == []


def test_follow_collections_and_hidden_pages(make_user: Callable[..., User]) -> None:
    alice = make_user("alice")
    fans = [make_user(f"fan{n}") for n in range(13)]
    for fan in fans:
        Follow.objects.create(account=fan.account, target_account=alice.account)
    base = f"{BASE}/users/alice/followers"
    root = get_json("/users/alice/followers")
    assert (root["type"], root["totalItems"], root["first"]) == (
        "OrderedCollection", 13, f"{base}?page=1"
    )  # fmt: skip
    first = get_json("/users/alice/followers?page=1")
    assert len(first["orderedItems"]) == 12 and first["next"] == f"{base}?page=2"
    assert first["orderedItems"][0] == fans[-1].account.uri
    second = get_json("/users/alice/followers?page=2")
    assert second["orderedItems"] == [fans[0].account.uri] and "next" not in second
    assert get_json("/users/fan0/following")["totalItems"] == 1
    alice.account.hide_collections = True
    alice.account.save()
    assert get_json("/users/alice/followers")["totalItems"] == 13
    hidden = Client().get("/users/alice/followers?page=1", HTTP_ACCEPT=AP)
    assert hidden.status_code == 403


def test_featured_posts_and_tags(alice: User) -> None:
    pinned = post(alice, "pinned")
    do_pin(account=alice.account, status=pinned)
    post(alice, "not pinned")
    do_feature_tag(account=alice.account, name="Cats")
    featured = get_json("/users/alice/collections/featured")
    assert featured["type"] == "OrderedCollection" and featured["totalItems"] == 1
    assert [n["id"] for n in featured["orderedItems"]] == [pinned.uri]
    tags = get_json("/users/alice/collections/tags")
    assert tags["type"] == "Collection" and tags["totalItems"] == 1
    assert tags["items"] == [{"type": "Hashtag", "href": f"{BASE}/tags/Cats", "name": "#Cats"}]


def test_replies_collection(alice: User, bob: User) -> None:
    status = post(alice, "root")
    own = post(alice, "own reply", in_reply_to_id=status.pk)
    other = post(bob, "@alice other reply", in_reply_to_id=status.pk)
    post(bob, "@alice hidden reply", "private", in_reply_to_id=status.pk)
    replies = get_json(f"/users/alice/statuses/{status.pk}/replies")
    assert replies["type"] == "Collection" and replies["first"]["items"] == [own.uri]
    others = get_json(
        f"/users/alice/statuses/{status.pk}/replies?only_other_accounts=true&page=true"
    )
    assert others["type"] == "CollectionPage" and others["items"] == [other.uri]


def test_instance_actor() -> None:
    actor = get_json("/actor")
    assert actor["id"] == f"{BASE}/actor" and actor["type"] == "Application"
    assert actor["inbox"] == f"{BASE}/actor/inbox"
    assert actor["outbox"] == f"{BASE}/actor/outbox"
    assert actor["manuallyApprovesFollowers"] is True
    assert actor["publicKey"]["id"] == f"{BASE}/actor#main-key"
    assert actor["endpoints"] == {"sharedInbox": f"{BASE}/inbox"}
    assert get_json("/actor/outbox")["totalItems"] == 0


def test_suspended_accounts(alice: User) -> None:
    status = post(alice, "gone")
    from django.utils import timezone

    alice.account.suspended_at = timezone.now()
    alice.account.save()
    actor = get_json("/users/alice")
    assert actor["suspended"] is True and actor["summary"] == "" and actor["attachment"] == []
    for path in ("/users/alice/outbox", f"/users/alice/statuses/{status.pk}"):
        assert Client().get(path, HTTP_ACCEPT=AP).status_code == 404


def test_authorized_fetch_requires_signatures(alice: User, bob: User, settings: Any) -> None:
    status = post(alice, "signed eyes only")
    settings.AUTHORIZED_FETCH = True
    for path in (
        f"/users/alice/statuses/{status.pk}",
        "/users/alice/outbox",
        "/users/alice/followers",
        f"/@alice/{status.pk}",
    ):
        assert Client().get(path, HTTP_ACCEPT=AP).status_code == 401, path  # fmt: skip
    # The actor stays fetchable without a signature, reduced to what verifying needs.
    actor = get_json("/users/alice")
    assert set(actor) == {"@context", "id", "type", "preferredUsername", "inbox", "outbox",
                          "publicKey", "endpoints"}  # fmt: skip
    assert get_json("/actor")["type"] == "Application"
    signed = signed_get(f"/users/alice/statuses/{status.pk}", bob)
    assert signed.status_code == 200 and signed.json()["id"] == status.uri
