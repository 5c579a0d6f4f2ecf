"""What a person's inbox keeps beside the notifications themselves: read markers, direct
conversations, and Mastodon 4.3's notification filtering (policy, permissions, requests)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from accounts.models import Account
from fediverse.ids import generate_snowflake
from timelines.models import Notification, NotificationType, Status

__all__ = [
    "ADMIN_REPORT",
    "ADMIN_SIGN_UP",
    "MODERATION_WARNING",
    "NOTIFICATION_TYPES",
    "AccountConversation",
    "Conversation",
    "ConversationStatus",
    "FilteredNotification",
    "Marker",
    "NotificationPermission",
    "NotificationPolicy",
    "NotificationReport",
    "NotificationRequest",
    "NotificationWarning",
    "PolicyChoice",
]

# Notification types sent to moderators and admins, beside the NotificationType choices.
ADMIN_SIGN_UP = "admin.sign_up"
ADMIN_REPORT = "admin.report"
# Told to the account a moderator acted on, from the instance actor (Mastodon 4.3).
MODERATION_WARNING = "moderation_warning"
NOTIFICATION_TYPES: tuple[str, ...] = (
    *NotificationType.values,
    ADMIN_SIGN_UP,
    ADMIN_REPORT,
    MODERATION_WARNING,
)


class Marker(models.Model):
    """Where a person stopped reading a timeline; `version` guards against lost updates when
    two apps move the same marker at once."""

    TIMELINES = ("home", "notifications")

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="markers")
    timeline = models.CharField(max_length=16)
    last_read_id = models.BigIntegerField()
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "timeline"], name="marker_unique")
        ]


class Conversation(models.Model):
    """A thread of direct posts; each participant sees it through an AccountConversation."""

    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    created_at = models.DateTimeField(default=timezone.now)


class ConversationStatus(models.Model):
    """Which conversation a post belongs to, so that replies join their parent's thread."""

    status = models.OneToOneField(
        Status, primary_key=True, on_delete=models.CASCADE, related_name="conversation_link"
    )
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="status_links"
    )


class AccountConversation(models.Model):
    """One person's view of a conversation with a given set of other participants."""

    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="account_conversations"
    )
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="account_conversations"
    )
    # The other participants' ids, sorted and comma-joined: the same people make one entry.
    participant_key = models.CharField(max_length=2048, blank=True, default="")
    participants = models.ManyToManyField(Account, blank=True, related_name="+")  # type: ignore[var-annotated]
    # Deleting a post drops it here; an entry left without posts is no longer listed.
    statuses = models.ManyToManyField(Status, blank=True, related_name="+")  # type: ignore[var-annotated]
    unread = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "conversation", "participant_key"],
                name="account_conversation_unique",
            )
        ]


class PolicyChoice(models.TextChoices):
    ACCEPT = "accept"
    FILTER = "filter"
    DROP = "drop"


def _policy_field(default: str) -> models.CharField:
    return models.CharField(max_length=8, choices=PolicyChoice.choices, default=default)


class NotificationPolicy(models.Model):
    """What to do with notifications from strangers, with Mastodon 4.3's defaults."""

    account = models.OneToOneField(
        Account, on_delete=models.CASCADE, related_name="notification_policy"
    )
    for_not_following = _policy_field(PolicyChoice.ACCEPT)
    for_not_followers = _policy_field(PolicyChoice.ACCEPT)
    for_new_accounts = _policy_field(PolicyChoice.ACCEPT)
    for_private_mentions = _policy_field(PolicyChoice.FILTER)
    for_limited_accounts = _policy_field(PolicyChoice.FILTER)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    FIELDS = (
        "for_not_following",
        "for_not_followers",
        "for_new_accounts",
        "for_private_mentions",
        "for_limited_accounts",
    )


class NotificationPermission(models.Model):
    """An accepted request: notifications from this sender are never filtered again."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    from_account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "from_account"], name="notification_permission_unique"
            )
        ]


class NotificationRequest(models.Model):
    """Filtered mentions from one sender, waiting for the recipient to accept or dismiss."""

    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="notification_requests"
    )
    from_account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    last_status = models.ForeignKey(
        Status, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    notifications_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "from_account"], name="notification_request_unique"
            )
        ]


class FilteredNotification(models.Model):
    """Marks a notification held back by the policy: it stays out of the notification list
    until its sender's request is accepted, and goes away when the request is dismissed."""

    notification = models.OneToOneField(
        Notification, primary_key=True, on_delete=models.CASCADE, related_name="filtered"
    )


class NotificationReport(models.Model):
    """The report an admin.report notification is about."""

    notification = models.OneToOneField(
        Notification, primary_key=True, on_delete=models.CASCADE, related_name="report_link"
    )
    report = models.ForeignKey("moderation.Report", on_delete=models.CASCADE, related_name="+")


class NotificationWarning(models.Model):
    """The strike a moderation_warning notification is about."""

    notification = models.OneToOneField(
        Notification, primary_key=True, on_delete=models.CASCADE, related_name="warning_link"
    )
    warning = models.ForeignKey(
        "moderation.AccountWarning", on_delete=models.CASCADE, related_name="+"
    )
