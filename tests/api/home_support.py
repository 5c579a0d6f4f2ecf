"""A home timeline holding every kind of post and every flag its reader can have on one."""

from dataclasses import dataclass
from typing import Any

from accounts.models import User
from media.models import MediaAttachment
from timelines.models import Status
from timelines.services.filters import KeywordChange, do_create_filter
from timelines.services.interactions import do_bookmark, do_favourite, do_reblog
from timelines.services.pins import do_pin
from timelines.services.polls import PollInput, do_vote
from timelines.services.statuses import StatusInput, do_create_status


def post(author: User, text: str, **options: Any) -> Status:
    return do_create_status(account=author.account, data=StatusInput(text=text, **options))


@dataclass(frozen=True)
class Posts:
    poll: Status  # voted for by the reader, and boosted by carol
    mention: Status  # of the reader, favourited and bookmarked
    own: Status  # the reader's own, pinned
    pictured: Status  # with an image
    warned: Status  # matched by the reader's "spoilers" filter (warn)


def every_kind_of_post(alice: User, bob: User, carol: User) -> Posts:
    """Posts by alice, bob and carol, with bob's votes, boosts, favourites, bookmarks, pins and
    a warning filter on them. Bob is expected to follow alice and carol."""
    poll = post(alice, "which one? #choice", poll=PollInput(("this", "that"), 3600, False))
    do_vote(account=bob.account, poll=poll.poll, choices=[1])
    mention = post(carol, "hello @bob and @alice #greetings")
    do_reblog(account=carol.account, status=poll)
    own = post(bob, "my own words")
    do_pin(account=bob.account, status=own)
    do_favourite(account=bob.account, status=mention)
    do_bookmark(account=bob.account, status=mention)
    pictured = post(alice, "a picture")
    MediaAttachment.objects.create(
        account=alice.account, status=pictured, type="image", file="home/1.png",
        file_content_type="image/png", meta={"original": {"width": 4, "height": 3}},
        description="four by three",
    )  # fmt: skip
    warned = post(carol, "sensitive matter spoiled")
    do_create_filter(
        account=bob.account, title="spoilers", context=["home"], filter_action="warn",
        keywords=[KeywordChange(keyword="spoiled", whole_word=True)],
    )  # fmt: skip
    return Posts(poll, mention, own, pictured, warned)
