"""Web Push subscriptions, one per access token: what an app asks for is checked here, and
each new notification is handed to the delivery task of every subscription that wants it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Account, Follow
from federation import http
from fediverse import webpush
from fediverse.api.parsers import to_bool
from fediverse.effects import enqueue
from timelines.models import Notification
from timelines.models_push import ALERT_TYPES, PushPolicy, WebPushSubscription

# Deliveries to push services are outbound requests like ActivityPub deliveries, and share
# their queue and workers: a slow push service never holds up the default queue.
PUSH_QUEUE = "push"
MAX_ENDPOINT_LENGTH = 2048


@dataclass(frozen=True)
class Preferences:
    alerts: dict[str, bool]
    policy: str


@dataclass(frozen=True)
class Endpoint:
    url: str
    p256dh: str
    auth: str
    standard: bool


def check_preferences(data: Any, policy_fallback: Any = None) -> Preferences:
    """`data[alerts][<type>]` and `data[policy]`, as Mastodon reads them: a type left out is
    not pushed, and no policy means everyone's notifications."""
    data = data if isinstance(data, dict) else {}
    given = data.get("alerts")
    given = given if isinstance(given, dict) else {}
    alerts = {type: to_bool(given.get(type)) for type in ALERT_TYPES}
    policy = data.get("policy", policy_fallback)
    if policy in (None, ""):
        policy = PushPolicy.ALL
    if policy not in PushPolicy.values:
        raise ValidationError({"policy": "is not included in the list"})
    return Preferences(alerts, str(policy))


def check_endpoint(subscription: Any) -> Endpoint:
    """The endpoint must be an http(s) URL on a public address, and the keys a P-256 public
    key and a 16-byte secret, so that nothing is stored that could never be delivered."""
    subscription = subscription if isinstance(subscription, dict) else {}
    keys = subscription.get("keys")
    keys = keys if isinstance(keys, dict) else {}
    url, p256dh, auth = (
        str(value or "").strip()
        for value in (subscription.get("endpoint"), keys.get("p256dh"), keys.get("auth"))
    )
    errors: dict[str, str] = {}
    for name, value in (("endpoint", url), ("key_p256dh", p256dh), ("key_auth", auth)):
        if not value:
            errors[name] = "can't be blank"
    if url and not _endpoint_usable(url):
        errors["endpoint"] = "is invalid"
    if p256dh and not _valid(webpush.subscriber_key, p256dh):
        errors["key_p256dh"] = "is invalid"
    if auth and not _valid(webpush.auth_secret, auth):
        errors["key_auth"] = "is invalid"
    if errors:
        raise ValidationError(errors)  # type: ignore[arg-type]
    return Endpoint(url, p256dh, auth, to_bool(subscription.get("standard")))


def _valid(check: Any, value: str) -> bool:
    try:
        check(value)
    except webpush.InvalidKey:
        return False
    return True


def _endpoint_usable(url: str) -> bool:
    if len(url) > MAX_ENDPOINT_LENGTH:
        return False
    try:
        http.check_public_url(url)
    except http.FetchError:
        return False
    return True


def do_subscribe(
    *, account: Account, token: Any, endpoint: Endpoint, preferences: Preferences
) -> WebPushSubscription:
    """A new subscription replaces the token's previous one."""
    with transaction.atomic():
        WebPushSubscription.objects.filter(access_token=token).delete()
        return WebPushSubscription.objects.create(
            account=account,
            access_token=token,
            endpoint=endpoint.url,
            key_p256dh=endpoint.p256dh,
            key_auth=endpoint.auth,
            standard=endpoint.standard,
            alerts=preferences.alerts,
            policy=preferences.policy,
        )


def do_update(
    *, subscription: WebPushSubscription, preferences: Preferences
) -> WebPushSubscription:
    subscription.alerts = preferences.alerts
    subscription.policy = preferences.policy
    subscription.updated_at = timezone.now()
    subscription.save(update_fields=["alerts", "policy", "updated_at"])
    return subscription


def do_unsubscribe(*, token: Any) -> None:
    WebPushSubscription.objects.filter(access_token=token).delete()


def policy_admits(subscription: WebPushSubscription, notification: Notification) -> bool:
    recipient, sender = notification.account_id, notification.from_account_id
    if subscription.policy == PushPolicy.ALL:
        return True
    if subscription.policy == PushPolicy.FOLLOWED:
        return Follow.objects.filter(account_id=recipient, target_account_id=sender).exists()
    if subscription.policy == PushPolicy.FOLLOWER:
        return Follow.objects.filter(account_id=sender, target_account_id=recipient).exists()
    return False


def pushable(subscription: WebPushSubscription, notification: Notification) -> bool:
    return subscription.alert_enabled(notification.type) and policy_admits(
        subscription, notification
    )


def schedule_push(notification: Notification) -> None:
    """Called inside the transaction that creates the notification: each subscription that
    wants it gets its own delivery, sent and retried on its own, after commit."""
    from timelines.tasks import deliver_web_push

    subscriptions = WebPushSubscription.objects.filter(account_id=notification.account_id)
    for subscription in subscriptions:
        if pushable(subscription, notification):
            enqueue(deliver_web_push, subscription.pk, notification.pk, queue=PUSH_QUEUE)
