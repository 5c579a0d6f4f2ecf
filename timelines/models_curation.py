"""What a person arranges about their own reading: lists of accounts, keyword and post
filters, and followed hashtags. Mastodon's List, CustomFilter and TagFollow."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from accounts.models import Account, Follow
from fediverse.ids import generate_snowflake
from timelines.models import Status, Tag

__all__ = [
    "Filter",
    "FilterAction",
    "FilterContext",
    "FilterKeyword",
    "FilterStatus",
    "List",
    "ListAccount",
    "RepliesPolicy",
    "TagFollow",
]


class RepliesPolicy(models.TextChoices):
    FOLLOWED = "followed", "Replies to any followed user"
    LIST = "list", "Replies to members of the list"
    NONE = "none", "No replies"


class List(models.Model):
    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="lists")
    title = models.CharField(max_length=256)
    replies_policy = models.CharField(
        max_length=16, choices=RepliesPolicy.choices, default=RepliesPolicy.LIST
    )
    # Members of an exclusive list are read there and no longer on the home timeline.
    exclusive = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.title


class ListAccount(models.Model):
    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    list = models.ForeignKey(List, on_delete=models.CASCADE, related_name="memberships")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    # Unfollowing removes the account from the follower's lists, as in Mastodon; null for the
    # list owner's own account, which needs no follow.
    follow = models.ForeignKey(
        Follow, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["list", "account"], name="list_account_unique")
        ]


class FilterContext(models.TextChoices):
    HOME = "home"
    NOTIFICATIONS = "notifications"
    PUBLIC = "public"
    THREAD = "thread"
    ACCOUNT = "account"


class FilterAction(models.TextChoices):
    WARN = "warn"
    HIDE = "hide"
    BLUR = "blur"


class Filter(models.Model):
    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="filters")
    title = models.CharField(max_length=256)
    # A list of FilterContext values; JSON keeps it portable between PostgreSQL and SQLite.
    context = models.JSONField(default=list)
    filter_action = models.CharField(
        max_length=8, choices=FilterAction.choices, default=FilterAction.WARN
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.title

    @property
    def expired(self) -> bool:
        return self.expires_at is not None and self.expires_at <= timezone.now()


class FilterKeyword(models.Model):
    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    filter = models.ForeignKey(Filter, on_delete=models.CASCADE, related_name="keywords")
    keyword = models.CharField(max_length=512)
    whole_word = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.keyword


class FilterStatus(models.Model):
    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    filter = models.ForeignKey(Filter, on_delete=models.CASCADE, related_name="statuses")
    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = "filter statuses"
        constraints = [
            models.UniqueConstraint(fields=["filter", "status"], name="filter_status_unique")
        ]


class TagFollow(models.Model):
    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="tag_follows")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="follows")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "tag"], name="tag_follow_unique")]
