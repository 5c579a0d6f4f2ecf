"""The downloadable archive: Mastodon's layout, one request per 7 days, its owner alone, and a
round trip into a new account."""

import io
import json
import zipfile
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accounts.services.profile import do_update_profile
from fediverse.formatting import sanitize_html
from media.services.uploads import MediaInput, do_create_media
from tests.media.files import image_bytes
from tests.portability.conftest import last_import, upload
from timelines.models import Backup, JobState, Status
from timelines.services.interactions import do_bookmark, do_favourite, do_reblog
from timelines.services.statuses import StatusInput, do_create_status


def seed(alice, bob) -> dict[str, Status]:
    picture = SimpleUploadedFile("p.png", image_bytes("PNG", (50, 40)), "image/png")
    media = do_create_media(
        account=alice.account, data=MediaInput(file=picture, description="Red"), wait=True
    )
    avatar = SimpleUploadedFile("a.png", image_bytes("PNG", (120, 120)), "image/png")
    do_update_profile(
        account=alice.account,
        display_name="Alice",
        note="",
        fields=[],
        locked=False,
        bot=False,
        avatar=avatar,
    )
    first = do_create_status(account=alice.account, data=StatusInput(text="Hello #world"))
    reply = do_create_status(
        account=alice.account,
        data=StatusInput(
            text="With a picture",
            in_reply_to_id=first.pk,
            media_ids=(media.pk,),
            spoiler_text="Colours",
            visibility="unlisted",
        ),
    )
    secret = do_create_status(
        account=alice.account, data=StatusInput(text="Friends only", visibility="private")
    )
    theirs = do_create_status(account=bob.account, data=StatusInput(text="Bob's post"))
    boost = do_reblog(account=alice.account, status=theirs)
    do_favourite(account=alice.account, status=theirs)
    do_bookmark(account=alice.account, status=theirs)
    return {"first": first, "reply": reply, "secret": secret, "theirs": theirs, "boost": boost}


def export(client: Client) -> zipfile.ZipFile:
    assert client.post("/settings/archive/export").status_code == 302
    backup = Backup.objects.order_by("-created_at").first()
    assert backup is not None and backup.state == JobState.FINISHED, backup and backup.error
    response = client.get(f"/settings/archive/export/{backup.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return zipfile.ZipFile(io.BytesIO(body))


def test_archive_has_mastodons_layout(alice, bob, client_for) -> None:
    posts = seed(alice, bob)
    archive = export(client_for(alice))
    names = set(archive.namelist())
    assert {"actor.json", "outbox.json", "likes.json", "bookmarks.json", "avatar.png"} <= names
    outbox = json.loads(archive.read("outbox.json"))
    assert outbox["type"] == "OrderedCollection" and outbox["totalItems"] == 4
    items = outbox["orderedItems"]
    assert [i["type"] for i in items] == ["Create", "Create", "Create", "Announce"]
    assert "@context" not in items[0]
    first, reply, secret, boost = items
    assert first["object"]["id"] == posts["first"].uri
    assert first["object"]["published"] == posts["first"].created_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert reply["object"]["inReplyTo"] == posts["first"].uri
    assert reply["object"]["summary"] == "Colours"
    assert secret["object"]["to"] == [f"{posts['first'].account.uri}/followers"]
    assert boost["object"] == posts["theirs"].uri
    document = reply["object"]["attachment"][0]
    assert document["url"].startswith("media_attachments/") and document["url"] in names
    media = posts["reply"].media_attachments.get()
    with media.file.open("rb") as handle:
        assert archive.read(document["url"]) == handle.read()
    actor = json.loads(archive.read("actor.json"))
    assert actor["icon"]["url"] == "avatar.png" and actor["outbox"] == "outbox.json"
    assert actor["preferredUsername"] == "alice"
    for name in ("likes.json", "bookmarks.json"):
        listed = json.loads(archive.read(name))
        assert listed["orderedItems"] == [posts["theirs"].uri] and listed["totalItems"] == 1


def test_one_archive_per_seven_days_kept_seven_days(alice, client_for) -> None:
    client = client_for(alice)
    export(client)
    again = client.post("/settings/archive/export", follow=True)
    assert b"once every 7 days" in again.content
    assert Backup.objects.count() == 1
    backup = Backup.objects.get()
    Backup.objects.filter(pk=backup.pk).update(created_at=timezone.now() - timedelta(days=8))
    assert client.get(f"/settings/archive/export/{backup.pk}").status_code == 404
    export(client)
    assert Backup.objects.count() == 2


def test_only_the_owner_downloads(alice, bob, client_for) -> None:
    export(client_for(alice))
    backup = Backup.objects.get()
    assert client_for(bob).get(f"/settings/archive/export/{backup.pk}").status_code == 404
    anonymous = Client().get(f"/settings/archive/export/{backup.pk}")
    assert anonymous.status_code == 302 and "/auth/sign_in" in anonymous["Location"]


def test_round_trip_into_a_new_account(alice, bob, make_user, client_for) -> None:
    posts = seed(alice, bob)
    archive = export(client_for(alice))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as copy:
        for info in archive.infolist():
            copy.writestr(info, archive.read(info))
    carol = make_user("carol")
    upload(client_for(carol), buffer.getvalue())
    job = last_import()
    assert job.state == JobState.FINISHED, job.error
    originals = [posts["first"], posts["reply"], posts["secret"]]
    copies = list(Status.objects.filter(account=carol.account).order_by("id"))
    assert [c.content for c in copies] == [sanitize_html(o.content) for o in originals]
    assert [c.created_at for c in copies] == [
        o.created_at.replace(microsecond=0) for o in originals
    ]
    assert [c.visibility for c in copies] == ["public", "unlisted", "private"]
    assert copies[1].in_reply_to_id == copies[0].pk and copies[1].spoiler_text == "Colours"
    original_media, copied_media = (p.media_attachments.get() for p in (posts["reply"], copies[1]))
    assert copied_media.description == "Red"
    with original_media.file.open("rb") as one, copied_media.file.open("rb") as two:
        assert one.read() == two.read()
