"""Posts from a Twitter/X archive: dates, expanded links, media, own threads, and the choice
about retweets and replies to others."""

from datetime import UTC, datetime

from tests.media.files import image_bytes
from tests.portability import archives as a
from tests.portability.conftest import last_import, upload
from timelines.models import JobState, Status


def sample_zip() -> bytes:
    photo = {"id_str": "9001", "type": "photo", "url": "https://t.co/pic1",
             "media_url_https": "https://pbs.twimg.com/media/Fabc.jpg",
             "ext_alt_text": "A red square"}  # fmt: skip
    part0 = [
        a.tweet("100", "Hello &amp; welcome https://t.co/abc #Launch",
                "Wed Oct 10 20:19:24 +0000 2018",
                urls=[("https://t.co/abc", "https://example.org/page")], hashtags=["Launch"]),
        a.tweet("101", "And a picture https://t.co/pic1", "Wed Oct 10 20:25:00 +0000 2018",
                reply_to="100", media=[photo]),
        a.tweet("102", "RT @bob: something good", "Thu Oct 11 08:00:00 +0000 2018"),
        a.tweet("103", "@carl I disagree", "Thu Oct 11 09:00:00 +0000 2018", reply_to="555",
                reply_to_user="77"),
    ]  # fmt: skip
    part1 = [a.tweet("90", "My first tweet", "Mon Jan 02 10:00:00 +0000 2017")]
    return (
        a.Zip()
        .add("data/tweets.js", a.tweets_js(part0))
        .add("data/tweets-part1.js", a.tweets_js(part1, part=1))
        .add("data/tweets_media/101-Fabc.jpg", image_bytes("JPEG", (60, 60)))
        .build()
    )


def test_tweets_become_posts_with_links_media_and_threads(alice, client_for) -> None:
    upload(client_for(alice), sample_zip(), source="twitter")
    job = last_import()
    assert job.state == JobState.FINISHED, job.error
    assert (job.total_items, job.imported_count, job.skipped_count) == (5, 3, 2)
    oldest, hello, picture = Status.objects.filter(account=alice.account).order_by("id")
    assert oldest.created_at == datetime(2017, 1, 2, 10, tzinfo=UTC)
    assert hello.created_at == datetime(2018, 10, 10, 20, 19, 24, tzinfo=UTC)
    assert 'href="https://example.org/page"' in hello.content and "t.co" not in hello.content
    assert "Hello &amp; welcome" in hello.content and "&amp;amp;" not in hello.content
    assert [t.name for t in hello.tags.all()] == ["Launch"]
    assert picture.in_reply_to_id == hello.pk and "t.co" not in picture.content
    media = picture.media_attachments.get()
    assert media.description == "A red square" and media.meta["original"]["width"] == 60
    assert hello.language == "en" and hello.visibility == "public"


def test_retweets_and_replies_to_others_kept_as_links(alice, client_for) -> None:
    upload(client_for(alice), sample_zip(), source="twitter", others="link")
    job = last_import()
    assert (job.imported_count, job.skipped_count) == (5, 0)
    retweet = Status.objects.get(created_at=datetime(2018, 10, 11, 8, tzinfo=UTC))
    assert 'href="https://x.com/i/web/status/102"' in retweet.content
    reply = Status.objects.get(created_at=datetime(2018, 10, 11, 9, tzinfo=UTC))
    assert 'href="https://x.com/someone/status/555"' in reply.content
    assert reply.in_reply_to_id is None and "I disagree" in reply.content


def test_an_archive_without_tweets_is_refused(alice, client_for, nothing_left) -> None:
    upload(client_for(alice), a.Zip().add("data/like.js", b"window.YTD.like.part0 = []").build(),
           source="twitter")  # fmt: skip
    job = last_import()
    assert job.state == JobState.FAILED and "tweets.js" in job.error
    nothing_left()
