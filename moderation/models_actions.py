"""What moderators did: strikes against accounts (with appeals), the audit log, and blocks of
whole remote domains. Named after Mastodon's AccountWarning, Appeal, Admin::ActionLog and
DomainBlock."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from fediverse.ids import generate_snowflake


class WarningAction(models.TextChoices):
    NONE = "none", "Warning"
    DISABLE = "disable", "Login disabled"
    MARK_STATUSES_AS_SENSITIVE = "mark_statuses_as_sensitive", "Posts marked as sensitive"
    DELETE_STATUSES = "delete_statuses", "Posts deleted"
    SENSITIVE = "sensitive", "Media marked as sensitive"
    SILENCE = "silence", "Account limited"
    SUSPEND = "suspend", "Account suspended"


class AccountWarning(models.Model):
    """A strike: what was done to an account, why, and about which posts."""

    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    # The moderator; None once their account is gone, or for the operator at a shell.
    account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_account = models.ForeignKey(
        "accounts.Account", on_delete=models.CASCADE, related_name="strikes"
    )
    action = models.CharField(max_length=32, choices=WarningAction.choices)
    text = models.TextField(blank=True, default="")
    # Ids, as reports keep them: deleted posts stay named.
    status_ids = models.JSONField(default=list, blank=True)
    report = models.ForeignKey(
        "moderation.Report", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    overruled_at = models.DateTimeField(null=True, blank=True)
    # When its owner opened it on the web: until then every page shows a banner about it.
    read_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.target_account}"


class Appeal(models.Model):
    """The one appeal an account may make against a strike."""

    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+")
    account_warning = models.OneToOneField(
        AccountWarning, on_delete=models.CASCADE, related_name="appeal"
    )
    text = models.TextField()
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by_account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejected_by_account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Appeal by {self.account}"

    @property
    def pending(self) -> bool:
        return self.approved_at is None and self.rejected_at is None


class AuditLog(models.Model):
    """Who did what to which object, when and why: every moderation action leaves one row."""

    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(
        "accounts.Account", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=64)
    target_type = models.CharField(max_length=64)
    target_id = models.BigIntegerField(null=True, blank=True)
    # What the target was called, kept after the target itself is gone.
    human_identifier = models.CharField(max_length=2048, blank=True, default="")
    reason = models.TextField(blank=True, default="")
    report = models.ForeignKey(
        "moderation.Report", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-id"]
        verbose_name = "audit log entry"
        verbose_name_plural = "audit log"

    def __str__(self) -> str:
        return f"{self.action} {self.target_type} {self.human_identifier}"


class DomainBlockSeverity(models.TextChoices):
    SILENCE = "silence", "Limit"
    SUSPEND = "suspend", "Suspend"
    NOOP = "noop", "None"


class DomainBlock(models.Model):
    """An instance-wide block of a remote server and its subdomains."""

    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    domain = models.CharField(max_length=255, unique=True)
    severity = models.CharField(
        max_length=16, choices=DomainBlockSeverity.choices, default=DomainBlockSeverity.SILENCE
    )
    reject_media = models.BooleanField(default=False)
    reject_reports = models.BooleanField(default=False)
    private_comment = models.TextField(blank=True, default="")
    public_comment = models.TextField(blank=True, default="")
    obfuscate = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain

    @property
    def public_domain(self) -> str:
        """The domain as the public list shows it: obfuscated ones keep only their ends."""
        if not self.obfuscate:
            return self.domain
        shown = len(self.domain) // 4
        last = len(self.domain) - shown
        return "".join(
            "*" if shown < i < last and c != "." else c for i, c in enumerate(self.domain)
        )


class DomainAllow(models.Model):
    """A server this one federates with in limited federation mode (an allow list)."""

    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    domain = models.CharField(max_length=255, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class EmailDomainBlock(models.Model):
    """An email provider refused (or sent to the approval queue) at sign-up."""

    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    domain = models.CharField(max_length=255, unique=True)
    allow_with_approval = models.BooleanField(
        default=False, help_text="Let sign-ups through, but into the approval queue"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


class IpBlockSeverity(models.TextChoices):
    SIGN_UP_REQUIRES_APPROVAL = "sign_up_requires_approval", "Sign-ups need approval"
    SIGN_UP_BLOCK = "sign_up_block", "Sign-ups refused"


class IpBlock(models.Model):
    """An address or network (CIDR) whose sign-ups are refused or queued for approval."""

    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    ip = models.CharField(max_length=64, unique=True, help_text="An address or a network (CIDR)")
    severity = models.CharField(max_length=32, choices=IpBlockSeverity.choices)
    comment = models.TextField(blank=True, default="")
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: never expires")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["ip"]
        verbose_name = "IP block"

    def __str__(self) -> str:
        return self.ip
