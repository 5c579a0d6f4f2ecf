"""Statuses and what hangs on them, and notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Account, Block, Follow
from fediverse.ids import generate_snowflake


class Visibility(models.TextChoices):
    PUBLIC = "public", "Public"
    UNLISTED = "unlisted", "Unlisted"
    PRIVATE = "private", "Followers only"
    DIRECT = "direct", "Mentioned people only"


class StatusQuerySet(models.QuerySet["Status"]):
    def visible_to(self, viewer: Account | None) -> StatusQuerySet:
        """What `viewer` may see: public and unlisted to all, followers-only to followers and
        the mentioned, direct to the mentioned; own posts always. Blocks hide in both ways."""
        open_to_all = Q(visibility__in=(Visibility.PUBLIC, Visibility.UNLISTED))
        # A suspended account's posts are gone for everyone, as if deleted.
        self = self.filter(account__suspended_at__isnull=True)
        if viewer is None:
            return self.filter(open_to_all)
        followed = Follow.objects.filter(account=viewer).values("target_account_id")
        mentioned = Mention.objects.filter(account=viewer).values("status_id")
        allowed = (
            open_to_all
            | Q(account=viewer)
            | Q(visibility=Visibility.PRIVATE, account_id__in=followed)
            | Q(id__in=mentioned)
        )
        blocked = Block.objects.filter(account=viewer).values("target_account_id")
        blockers = Block.objects.filter(target_account=viewer).values("account_id")
        return self.filter(allowed).exclude(account_id__in=blocked).exclude(account_id__in=blockers)

    def listed(self) -> StatusQuerySet:
        return self.filter(visibility=Visibility.PUBLIC, reblog__isnull=True)


class Status(models.Model):
    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    uri = models.CharField(max_length=2048, blank=True, default="", db_index=True)
    url = models.CharField(max_length=2048, blank=True, default="")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="statuses")
    text = models.TextField(blank=True, default="", help_text="The source as typed (local)")
    content = models.TextField(blank=True, default="", help_text="Rendered HTML")
    spoiler_text = models.TextField(blank=True, default="")
    sensitive = models.BooleanField(default=False)
    visibility = models.CharField(
        max_length=16, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    language = models.CharField(max_length=16, null=True, blank=True)
    in_reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    in_reply_to_account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reblog = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="reblogs"
    )
    local = models.BooleanField(default=True)
    application = models.ForeignKey(
        settings.OAUTH2_PROVIDER_APPLICATION_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    # Set on posts brought in from an archive, which keep their original date.
    imported_at = models.DateTimeField(null=True, blank=True)
    tags = models.ManyToManyField("Tag", blank=True, related_name="statuses")  # type: ignore[var-annotated]

    objects = StatusQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "statuses"
        indexes = [
            models.Index(fields=["account", "-id"]),
            models.Index(fields=["visibility", "local", "-id"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "reblog"],
                condition=Q(reblog__isnull=False),
                name="one_reblog_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.account.acct}: {self.text[:40]}"


class Mention(models.Model):
    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="mentions")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="mentions")
    silent = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["status", "account"], name="mention_unique")]


class Tag(models.Model):
    name = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(models.functions.Lower("name"), name="tag_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Favourite(models.Model):
    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="favourites")
    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="favourites")
    uri = models.CharField(max_length=2048, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "status"], name="favourite_unique")
        ]


class Bookmark(models.Model):
    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="bookmarks")
    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "status"], name="bookmark_unique")
        ]


class NotificationType(models.TextChoices):
    MENTION = "mention"
    STATUS = "status"
    REBLOG = "reblog"
    FOLLOW = "follow"
    FOLLOW_REQUEST = "follow_request"
    FAVOURITE = "favourite"
    POLL = "poll"
    UPDATE = "update"


class Notification(models.Model):
    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="notifications")
    from_account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    type = models.CharField(max_length=32, choices=NotificationType.choices)
    status = models.ForeignKey(
        Status, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["account", "-id"])]


class StatusPin(models.Model):
    """A post the author pinned to their profile (Mastodon allows 5)."""

    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="pins")
    status = models.ForeignKey(Status, on_delete=models.CASCADE, related_name="pins")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["account", "status"], name="pin_unique")]


from timelines.models_archives import *  # noqa: E402,F401,F403
from timelines.models_cards import *  # noqa: E402,F401,F403
from timelines.models_curation import *  # noqa: E402,F401,F403
from timelines.models_inbox import *  # noqa: E402,F401,F403
from timelines.models_posts import *  # noqa: E402,F401,F403
from timelines.models_push import *  # noqa: E402,F401,F403
