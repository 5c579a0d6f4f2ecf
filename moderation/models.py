"""Instance settings that admins change at run time, server rules, and invites."""

from __future__ import annotations

import secrets

from django.db import models
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
