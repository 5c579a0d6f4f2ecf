"""Instance settings that admins change at run time, server rules, and invites."""

from __future__ import annotations

import secrets

from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone

from fediverse.ids import generate_snowflake


class RegistrationMode(models.TextChoices):
    OPEN = "open", "Open: anyone can sign up"
    APPROVED = "approved", "Approval required"
    NONE = "none", "Closed: nobody can sign up"


class InstanceSettings(models.Model):
    """One row (pk=1) of settings edited in the admin panel; read through `current()`."""

    title = models.CharField(max_length=255, default="Herd")
    short_description = models.TextField(
        blank=True, default="A place on the fediverse, federated with Mastodon."
    )
    description = models.TextField(
        blank=True, default="", help_text="Long description shown on the about page"
    )
    contact_account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    contact_email = models.EmailField(blank=True, default="")
    registrations_mode = models.CharField(
        max_length=16, choices=RegistrationMode.choices, default=RegistrationMode.OPEN
    )
    require_sign_up_reason = models.BooleanField(
        default=False, help_text="Ask applicants why they want to join when approval is required"
    )
    users_can_invite = models.BooleanField(
        default=False, help_text="Let every user create invite links, not only admins"
    )
    character_limit = models.PositiveIntegerField(default=500)
    privacy_policy = models.TextField(
        blank=True, default="", help_text="Empty: the default privacy policy is shown"
    )
    terms_of_service = models.TextField(
        blank=True, default="", help_text="Empty: the server publishes no terms of service"
    )
    # Apps show when each text last changed, so each keeps its own date.
    description_updated_at = models.DateTimeField(null=True, blank=True)
    privacy_policy_updated_at = models.DateTimeField(null=True, blank=True)
    terms_of_service_updated_at = models.DateTimeField(null=True, blank=True)
    media_cache_retention_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Days to keep copies of remote servers' media; they are fetched again when "
        "needed. Empty: kept for good",
    )
    show_domain_blocks = models.CharField(
        max_length=16,
        choices=[("disabled", "Nobody"), ("users", "Logged-in users"), ("all", "Everyone")],
        default="disabled",
        help_text="Who may read the list of blocked servers (about page and API)",
    )
    show_domain_blocks_rationale = models.CharField(
        max_length=16,
        choices=[("disabled", "Nobody"), ("users", "Logged-in users"), ("all", "Everyone")],
        default="disabled",
        help_text="Who may read the public comment given for each blocked server",
    )
    limited_federation_mode = models.BooleanField(
        default=False, help_text="Federate only with the servers on the allow list"
    )
    preview_cards = models.BooleanField(
        default=True, help_text="Fetch the pages that posts link to and show a preview card"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "instance settings"
        verbose_name_plural = "instance settings"

    def __str__(self) -> str:
        return "Instance settings"

    @classmethod
    def current(cls) -> InstanceSettings:
        settings, _ = cls.objects.get_or_create(pk=1)
        return settings


class Rule(models.Model):
    text = models.CharField(max_length=300)
    hint = models.TextField(blank=True, default="")
    priority = models.IntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["priority", "id"]

    def __str__(self) -> str:
        return self.text


def generate_invite_code() -> str:
    return secrets.token_urlsafe(6)


class Invite(models.Model):
    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    user = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.CASCADE, related_name="invites"
    )
    code = models.CharField(max_length=32, unique=True, default=generate_invite_code)
    max_uses = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: no limit")
    uses = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: never expires")
    autofollow = models.BooleanField(default=False, help_text="New users follow the inviter")
    comment = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.code

    @property
    def valid_for_use(self) -> bool:
        if self.max_uses is not None and self.uses >= self.max_uses:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()


class ReportCategory(models.TextChoices):
    SPAM = "spam", "Spam"
    LEGAL = "legal", "Illegal content"
    VIOLATION = "violation", "Violation of server rules"
    OTHER = "other", "Other"


class Report(models.Model):
    """A user's (or a remote server's) complaint about an account and some of its posts."""

    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="reports_filed"
    )
    target_account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="reports_received"
    )
    # Ids rather than relations: the evidence stays listed even if a post is deleted.
    status_ids = models.JSONField(default=list, blank=True)
    rule_ids = models.JSONField(default=list, blank=True)
    category = models.CharField(
        max_length=16, choices=ReportCategory.choices, default=ReportCategory.OTHER
    )
    comment = models.TextField(blank=True, default="")
    forwarded = models.BooleanField(default=False)
    forward_to_domains = models.JSONField(default=list, blank=True)
    uri = models.CharField(max_length=2048, blank=True, default="")
    assigned_account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action_taken_at = models.DateTimeField(null=True, blank=True)
    action_taken_by_account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["target_account", "action_taken_at"])]

    def __str__(self) -> str:
        return f"Report {self.pk} on {self.target_account}"

    @property
    def action_taken(self) -> bool:
        return self.action_taken_at is not None


class CustomEmoji(models.Model):
    shortcode = models.CharField(max_length=128)
    # None for this server's emojis; the remote host otherwise.
    domain = models.CharField(max_length=255, null=True, blank=True)
    image = models.ImageField(upload_to="custom_emojis/")
    static_image = models.ImageField(upload_to="custom_emojis/static/", blank=True, default="")
    uri = models.CharField(max_length=2048, blank=True, default="")
    image_remote_url = models.CharField(max_length=2048, blank=True, default="")
    visible_in_picker = models.BooleanField(default=True)
    disabled = models.BooleanField(default=False)
    category = models.CharField(max_length=128, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "custom emoji"
        verbose_name_plural = "custom emojis"
        constraints = [
            models.UniqueConstraint(
                "shortcode", Coalesce("domain", models.Value("")), name="custom_emoji_shortcode"
            )
        ]

    def __str__(self) -> str:
        return f":{self.shortcode}:" if self.domain is None else f":{self.shortcode}@{self.domain}:"


class AnnouncementQuerySet(models.QuerySet["Announcement"]):
    def active(self) -> AnnouncementQuerySet:
        """Published and not yet ended, oldest first as Mastodon orders them."""
        now = timezone.now()
        return (
            self.filter(published_at__lte=now)
            .filter(models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=now))
            .order_by(Coalesce("starts_at", "published_at"), "id")
        )


class Announcement(models.Model):
    """A message from the admins shown to every local user until it ends or they dismiss it."""

    text = models.TextField(help_text="Plain text; links, @mentions and #hashtags are linked")
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty: a draft; a future time publishes it then"
    )
    starts_at = models.DateTimeField(null=True, blank=True)
    ends_at = models.DateTimeField(null=True, blank=True)
    all_day = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AnnouncementQuerySet.as_manager()

    def __str__(self) -> str:
        return self.text[:60]


class AnnouncementRead(models.Model):
    """A user dismissed (read) an announcement."""

    announcement = models.ForeignKey(Announcement, on_delete=models.CASCADE, related_name="reads")
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["announcement", "account"], name="announcement_read")
        ]


class AnnouncementReaction(models.Model):
    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="reactions"
    )
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    # A unicode emoji, or the shortcode of one of this server's custom emojis.
    name = models.CharField(max_length=128)
    custom_emoji = models.ForeignKey(
        CustomEmoji, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "account", "name"], name="announcement_reaction"
            )
        ]


from moderation.models_actions import *  # noqa: E402,F401,F403
