"""Web Push subscriptions: where an app wants its user's notifications pushed, one per access
token, as Mastodon keeps them."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from oauth2_provider.settings import oauth2_settings

from accounts.models import Account
from fediverse.ids import generate_snowflake
from timelines.models import NotificationType
from timelines.models_inbox import ADMIN_REPORT, ADMIN_SIGN_UP

__all__ = ["ALERT_TYPES", "PushPolicy", "WebPushSubscription"]

# Every notification type an app may ask to have pushed, in Mastodon's order.
ALERT_TYPES: tuple[str, ...] = (*NotificationType.values, ADMIN_SIGN_UP, ADMIN_REPORT)


class PushPolicy(models.TextChoices):
    """Whose notifications are pushed: everyone's, people the user follows, people who
    follow the user, or no one's."""

    ALL = "all"
    FOLLOWED = "followed"
    FOLLOWER = "follower"
    NONE = "none"


class WebPushSubscription(models.Model):
    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="web_push_subscriptions"
    )
    # Revoking or deleting the token ends the subscription with it.
    access_token = models.OneToOneField(
        oauth2_settings.ACCESS_TOKEN_MODEL,
        on_delete=models.CASCADE,
        related_name="web_push_subscription",
    )
    endpoint = models.CharField(max_length=2048)
    key_p256dh = models.CharField(max_length=128)
    key_auth = models.CharField(max_length=64)
    # RFC 8291 aes128gcm when true; the draft aesgcm scheme older apps expect otherwise.
    standard = models.BooleanField(default=False)
    # Notification type -> whether to push it; a type left out is not pushed.
    alerts = models.JSONField(default=dict, blank=True)
    policy = models.CharField(max_length=16, choices=PushPolicy.choices, default=PushPolicy.ALL)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    def alert_enabled(self, type: str) -> bool:
        return self.alerts.get(type) is True
