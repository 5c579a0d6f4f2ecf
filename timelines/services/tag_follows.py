"""Following hashtags: public posts carrying a followed tag come into the follower's home
timeline (see timelines.selectors.home_timeline)."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from accounts.models import Account
from fediverse.formatting import HASHTAG_RE
from timelines import feed_events
from timelines.models import Tag
from timelines.models_curation import TagFollow
from timelines.services.hashtags import tags_named

NAME_MAX_LENGTH = 255


def valid_tag_name(name: str) -> bool:
    """What Mastodon accepts as a hashtag name in a URL: the characters of a #hashtag."""
    return 0 < len(name) <= NAME_MAX_LENGTH and HASHTAG_RE.fullmatch("#" + name) is not None


def find_tag(name: str) -> Tag | None:
    return Tag.objects.filter(name__iexact=name).first()


def find_or_create_tag(name: str) -> Tag:
    return tags_named([name])[0]


def do_follow_tag(*, account: Account, name: str) -> Tag:
    if not valid_tag_name(name):
        raise Tag.DoesNotExist
    tag = find_or_create_tag(name)
    try:
        with transaction.atomic():
            _, created = TagFollow.objects.get_or_create(account=account, tag=tag)
            if created:  # the tag's posts join home: it is rebuilt on next read
                feed_events.schedule_reset(home_of=account.pk)
    except IntegrityError:  # followed in parallel: the result is the same
        pass
    return tag


def do_unfollow_tag(*, account: Account, tag: Tag) -> None:
    with transaction.atomic():
        if TagFollow.objects.filter(account=account, tag=tag).delete()[0]:
            feed_events.schedule_reset(home_of=account.pk)


def followed_tag_ids(account: Account | None, tags: Iterable[Tag]) -> set[int]:
    ids = [t.pk for t in tags if t.pk is not None]
    if account is None or not ids:
        return set()
    rows = TagFollow.objects.filter(account=account, tag_id__in=ids)
    return set(rows.values_list("tag_id", flat=True))


def tag_follows(account: Account) -> QuerySet[TagFollow]:
    return TagFollow.objects.filter(account=account).select_related("tag")
