"""Posting with media: attaching, limits, other people's uploads, edits and timelines."""

import pytest
from django.test import Client
from mastodon import MastodonAPIError

from media.models import MediaAttachment, Processing
from tests.media import files
from timelines.models import Status


def upload(api, description: str | None = None, size: tuple[int, int] = (64, 48)) -> dict:
    return api.media_post(files.image_bytes("PNG", size), mime_type="image/png",
                          description=description)  # fmt: skip


def test_post_with_media_in_the_given_order(alice, api_for) -> None:
    api = api_for(alice)
    first, second = upload(api, "first"), upload(api, "second", (30, 30))
    status = api.status_post("Look", media_ids=[second, first], sensitive=True)
    attached = status["media_attachments"]
    assert [m["id"] for m in attached] == [second["id"], first["id"]]
    assert attached[0]["description"] == "second" and attached[0]["url"] == second["url"]
    assert status["sensitive"] is True
    again = api.status(status["id"])
    assert [m["description"] for m in again["media_attachments"]] == ["second", "first"]
    # Once attached, an upload is no longer the author's to change through the media API.
    with pytest.raises(MastodonAPIError):
        api.media(first["id"])
    timeline = api.timeline_public(only_media=True)
    assert [s["id"] for s in timeline] == [status["id"]]


def test_media_alone_needs_no_text(alice, api_for) -> None:
    api = api_for(alice)
    status = api.status_post("", media_ids=[upload(api, "just a picture")])
    assert status["content"] == "" and len(status["media_attachments"]) == 1


def test_more_than_four_attachments(alice, http_for) -> None:
    http = http_for(alice)
    ids = [
        http.post("/api/v2/media", files={"file": ("a.png", files.image_bytes())}).json()["id"]
        for _ in range(5)
    ]
    response = http.post("/api/v1/statuses", data={"status": "Five", "media_ids[]": ids})
    assert response.status_code == 422
    assert response.json() == {"error": "Cannot attach more than 4 files"}
    assert not Status.objects.exists()
    assert not MediaAttachment.objects.filter(status__isnull=False).exists()


def test_someone_elses_media_id(alice, bob, http_for) -> None:
    theirs = http_for(bob).post("/api/v2/media", files={"file": ("a.png", files.image_bytes())})
    media_id = theirs.json()["id"]
    response = http_for(alice).post(
        "/api/v1/statuses", json={"status": "Mine now", "media_ids": [media_id, "12345"]}
    )
    assert response.status_code == 422
    assert response.json() == {
        "error": f"Media {media_id}, 12345 not found or already attached to another post"
    }
    assert not Status.objects.exists()
    assert MediaAttachment.objects.get(pk=media_id).status_id is None


def test_already_attached_and_unfinished_media(alice, http_for) -> None:
    http = http_for(alice)
    media_id = http.post("/api/v2/media", files={"file": ("a.png", files.image_bytes())}).json()[
        "id"
    ]
    assert http.post("/api/v1/statuses", json={"status": "1", "media_ids": [media_id]}).is_success
    again = http.post("/api/v1/statuses", json={"status": "2", "media_ids": [media_id]})
    assert again.status_code == 422 and "already attached" in again.json()["error"]
    waiting = http.post("/api/v2/media", files={"file": ("b.png", files.image_bytes())}).json()
    MediaAttachment.objects.filter(pk=waiting["id"]).update(processing=Processing.QUEUED)
    response = http.post("/api/v1/statuses", json={"status": "3", "media_ids": [waiting["id"]]})
    assert response.status_code == 422
    assert response.json() == {
        "error": "Cannot attach files that have not finished processing. Try again in a moment!"
    }


def test_edit_changes_the_attachments(alice, api_for) -> None:
    api = api_for(alice)
    first, second, third = upload(api, "1"), upload(api, "2"), upload(api, "3")
    status = api.status_post("Pictures", media_ids=[first, second])
    edited = api.status_update(status["id"], "Pictures, changed", media_ids=[third, first])
    assert [m["id"] for m in edited["media_attachments"]] == [third["id"], first["id"]]
    assert edited["edited_at"] is not None
    # The one taken off is unattached again: its author may use it or delete it.
    assert api.media(second["id"])["description"] == "2"
    text_only = api.status_update(status["id"], "Pictures, changed", media_ids=[third, first])
    assert len(text_only["media_attachments"]) == 2


def test_deleting_a_post_frees_its_media_for_a_redraft(alice, api_for) -> None:
    api = api_for(alice)
    media = upload(api, "kept for redraft")
    status = api.status_post("First draft", media_ids=[media])
    api.status_delete(status["id"])
    redraft = api.status_post("Second draft", media_ids=[media])
    assert redraft["media_attachments"][0]["description"] == "kept for redraft"


def test_web_page_shows_attachments_with_alt_text(alice, api_for) -> None:
    api = api_for(alice)
    media = upload(api, 'A "quoted" <b>description</b>')
    status = api.status_post("With a picture", media_ids=[media])
    page = Client().get(f"/@alice/{status['id']}").content.decode()
    assert 'alt="A &quot;quoted&quot; &lt;b&gt;description&lt;/b&gt;"' in page
    assert media["preview_url"].split("/system/")[1] in page
