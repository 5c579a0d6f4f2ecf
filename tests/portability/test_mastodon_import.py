"""Posts from a Mastodon archive: dates, content warnings, visibility, threads, media, and the
choice about boosts and replies to others."""

from datetime import UTC, datetime
from io import BytesIO

from PIL import Image

from tests.media.files import image_bytes
from tests.portability import archives as a
from tests.portability.conftest import last_import, upload
from timelines.models import JobState, Status

PICTURE = "media_attachments/files/109/000/001/original/cat.png"


def sample_items() -> list[dict]:
    picture = {"type": "Document", "mediaType": "image/png", "url": f"/system/{PICTURE}",
               "name": "A cat"}  # fmt: skip
    return [
        a.create(1, "First post #Old", "2019-03-01T10:00:00Z", tags=["Old"]),
        a.create(
            2,
            "Spoilers ahead",
            "2019-03-02T11:00:00Z",
            visibility="unlisted",
            summary="Film talk",
            sensitive=True,
            language="fr",
        ),  # fmt: skip
        a.create(
            3,
            "A follow-up",
            "2019-03-03T12:00:00Z",
            visibility="private",
            in_reply_to=a.note_uri(1),
            attachments=[picture],
        ),  # fmt: skip
        a.create(4, "Just between us", "2019-03-04T12:00:00Z", visibility="direct"),
        a.create(
            5,
            "Replying to Bea",
            "2019-03-05T12:00:00Z",
            in_reply_to="https://else.example/users/bea/statuses/9",
        ),  # fmt: skip
        a.announce(6, "https://else.example/users/bea/statuses/10", "2019-03-06T12:00:00Z"),
    ]


def sample_zip() -> bytes:
    return a.mastodon_zip(sample_items(), {PICTURE: image_bytes("PNG", (40, 30))})


def test_posts_come_with_dates_warnings_visibility_threads_and_media(alice, client_for) -> None:
    response = upload(client_for(alice), sample_zip())
    assert response.status_code == 302
    job = last_import()
    assert job.state == JobState.FINISHED, job.error
    assert (job.total_items, job.done_items, job.imported_count, job.skipped_count) == (6, 6, 3, 3)
    assert not job.file  # the upload is removed once done
    first, second, third = Status.objects.filter(account=alice.account).order_by("id")
    assert [s.created_at for s in (first, second, third)] == [
        datetime(2019, 3, d, h, tzinfo=UTC) for d, h in ((1, 10), (2, 11), (3, 12))
    ]
    assert all(s.imported_at is not None and s.local for s in (first, second, third))
    assert datetime.fromtimestamp((first.pk >> 16) / 1000, UTC).year == 2019
    assert first.content == "<p>First post #Old</p>" and first.visibility == "public"
    assert [t.name for t in first.tags.all()] == ["Old"]
    assert (second.visibility, second.spoiler_text, second.sensitive, second.language) == (
        "unlisted", "Film talk", True, "fr",
    )  # fmt: skip
    assert third.visibility == "private" and third.in_reply_to_id == first.pk
    assert third.in_reply_to_account_id == alice.account.pk
    media = third.media_attachments.get()
    assert media.description == "A cat" and media.type == "image"
    with media.file.open("rb") as handle:
        assert Image.open(BytesIO(handle.read())).size == (40, 30)


def test_boosts_and_replies_to_others_can_be_kept_as_links(alice, client_for) -> None:
    upload(client_for(alice), sample_zip(), others="link")
    job = last_import()
    assert job.state == JobState.FINISHED, job.error
    assert (job.imported_count, job.skipped_count) == (5, 1)  # only the direct message is left
    boost = Status.objects.get(created_at=datetime(2019, 3, 6, 12, tzinfo=UTC))
    assert 'href="https://else.example/users/bea/statuses/10"' in boost.content
    assert boost.reblog_id is None
    reply = Status.objects.get(created_at=datetime(2019, 3, 5, 12, tzinfo=UTC))
    assert 'href="https://else.example/users/bea/statuses/9"' in reply.content
    assert "Replying to Bea" in reply.content and reply.in_reply_to_id is None


def test_links_kept_from_an_archive_are_only_web_addresses(alice, client_for) -> None:
    items = [
        a.announce(1, "javascript:alert(document.cookie)", "2019-03-01T10:00:00Z"),
        a.create(2, "Hmm", "2019-03-02T10:00:00Z", in_reply_to="data:text/html,<script>x</script>"),
    ]
    upload(client_for(alice), a.mastodon_zip(items), others="link")
    job = last_import()
    assert job.state == JobState.FINISHED, job.error
    contents = " ".join(
        Status.objects.filter(account=alice.account).values_list("content", flat=True)
    )
    assert "javascript:alert" in contents and 'href="javascript' not in contents
    assert 'href="data:' not in contents and "<script>" not in contents
