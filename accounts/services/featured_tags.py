"""Hashtags an account features on its profile (Mastodon allows ten)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.models import Account, FeaturedTag
from fediverse.formatting import HASHTAG_RE
from timelines.services.hashtags import tags_named

FEATURED_TAGS_LIMIT = 10
TAG_NAME_MAX_LENGTH = 255


def check_feature_tag(*, account: Account, name: str) -> None:
    if not name:
        raise ValidationError({"name": "can't be blank"}, code="blank")
    if len(name) > TAG_NAME_MAX_LENGTH or not HASHTAG_RE.fullmatch("#" + name):
        raise ValidationError({"name": "is invalid"}, code="invalid")
    if FeaturedTag.objects.filter(account=account).count() >= FEATURED_TAGS_LIMIT:
        raise ValidationError(
            "You have already featured the maximum number of hashtags", code="limit"
        )


def do_feature_tag(*, account: Account, name: str) -> FeaturedTag:
    """Featuring a tag already featured returns it unchanged."""
    name = name.strip().removeprefix("#")
    existing = FeaturedTag.objects.filter(account=account, tag__name__iexact=name).first()
    if existing is not None:
        return existing
    check_feature_tag(account=account, name=name)
    with transaction.atomic():
        tag = tags_named([name])[0]
        featured, _ = FeaturedTag.objects.get_or_create(account=account, tag=tag)
    return featured


def do_unfeature_tag(*, featured_tag: FeaturedTag) -> None:
    featured_tag.delete()
