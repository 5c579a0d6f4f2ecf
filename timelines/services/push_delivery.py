"""One notification pushed to one subscription: Mastodon's payload, encrypted and signed
(fediverse.webpush), POSTed through the outbound client. The answer decides what follows:
delivered, subscription gone, or try again later."""

from __future__ import annotations

import html
import json
import logging
import re
from dataclasses import dataclass
from typing import Any

from accounts.api.serializers import avatar_url
from accounts.models import Account
from federation import http
from fediverse import uris, webpush
from timelines.models import Notification, NotificationType, Status
from timelines.models_inbox import ADMIN_REPORT, ADMIN_SIGN_UP
from timelines.models_push import WebPushSubscription
from timelines.services.push import pushable

logger = logging.getLogger(__name__)

# Mastodon's values: a push may wait two days for an offline device, at normal urgency.
TTL_SECONDS = 48 * 3600
URGENCY = "normal"
BODY_LENGTH = 140
OMISSION = "..."
# Push services keep payloads under 4 KB; a longer note or post is cut well before that.
LIMITS = http.Limits(connect=5.0, total=30.0, max_bytes=64 * 1024, max_redirects=0)

# Mastodon's English notification subjects, which its push titles reuse.
TITLES = {
    NotificationType.MENTION: "You were mentioned by {name}",
    NotificationType.STATUS: "{name} just posted",
    NotificationType.REBLOG: "{name} boosted your post",
    NotificationType.FOLLOW: "{name} is now following you",
    NotificationType.FOLLOW_REQUEST: "Pending follower: {name}",
    NotificationType.FAVOURITE: "{name} favourited your post",
    NotificationType.POLL: "A poll by {name} has ended",
    NotificationType.UPDATE: "{name} edited a post",
    ADMIN_SIGN_UP: "{name} signed up",
    ADMIN_REPORT: "{name} submitted a report",
}

TAG = re.compile(r"<[^>]*>")
BREAK = re.compile(r"<br\s*/?>|</p>\s*<p[^>]*>", re.IGNORECASE)


@dataclass(frozen=True)
class Outcome:
    result: str  # delivered, gone, retry, skipped
    status: int | None = None
    retry_after: int | None = None


class PushFailed(Exception):
    """The push service did not take the message this time."""


def plain_text(markup: str) -> str:
    return html.unescape(TAG.sub("", BREAK.sub("\n", markup))).strip()


def truncate(text: str, length: int = BODY_LENGTH) -> str:
    """Rails' truncate, as Mastodon applies it: the omission counts toward the length."""
    if len(text) <= length:
        return text
    return text[: length - len(OMISSION)] + OMISSION


def _status_text(status: Status) -> str:
    if status.spoiler_text:
        return status.spoiler_text
    if status.local and status.text:
        return status.text
    return plain_text(status.content)


def body_of(notification: Notification) -> str:
    status = notification.status
    if status is not None:
        raw = _status_text(status.reblog if status.reblog_id else status)  # type: ignore[arg-type]
    else:
        raw = plain_text(notification.from_account.note)
    return truncate(raw)


def title_of(notification: Notification) -> str:
    sender: Account = notification.from_account
    template = TITLES.get(notification.type, "{name}")
    # Remote display names can be long; a push message must fit in one 4 KB record.
    return truncate(template.format(name=sender.display_name or sender.username))


def payload_of(subscription: WebPushSubscription, notification: Notification) -> dict[str, Any]:
    user = getattr(subscription.account, "user", None)
    return {
        "access_token": subscription.access_token.token,
        "preferred_locale": (user.locale if user is not None else "") or "en",
        "notification_id": notification.pk,
        "notification_type": notification.type,
        "icon": avatar_url(notification.from_account, still=True),
        "title": title_of(notification),
        "body": body_of(notification),
    }


def vapid_subject() -> str:
    """Who push services can contact: the instance's contact address, else its URL."""
    from moderation.models import InstanceSettings

    email = InstanceSettings.current().contact_email
    return f"mailto:{email}" if email else uris.base_url()


def send(subscription: WebPushSubscription, notification: Notification) -> Outcome:
    payload = json.dumps(payload_of(subscription, notification)).encode()
    message = webpush.build_message(
        subscription.endpoint,
        payload,
        p256dh=subscription.key_p256dh,
        auth=subscription.key_auth,
        standard=subscription.standard,
        subject=vapid_subject(),
    )
    headers = {
        **message.headers,
        "Content-Type": "application/octet-stream",
        "TTL": str(TTL_SECONDS),
        "Urgency": URGENCY,
    }
    try:
        response = http.request(
            "POST",
            subscription.endpoint,
            headers=headers,
            body=message.body,
            follow_redirects=False,
            limits=LIMITS,
        )
    except http.UnsafeAddress:
        logger.warning("push endpoint of subscription %s is not public", subscription.pk)
        return Outcome("skipped")
    except http.FetchError as error:
        logger.info("push to subscription %s failed: %s", subscription.pk, error)
        return Outcome("retry")
    return _judge(response)


def _judge(response: http.Response) -> Outcome:
    """As Mastodon: a 4xx other than a timeout or rate limit means the subscription is no
    longer valid (expired, unsubscribed, keys replaced); anything else not 2xx is retried."""
    if response.ok:
        return Outcome("delivered", response.status)
    if 400 <= response.status < 500 and response.status not in (408, 429):
        return Outcome("gone", response.status)
    retry_after = response.headers.get("retry-after", "")
    return Outcome("retry", response.status, int(retry_after) if retry_after.isdigit() else None)


def deliver(*, subscription_id: int, notification_id: int) -> Outcome:
    subscription = (
        WebPushSubscription.objects.select_related("access_token", "account__user")
        .filter(pk=subscription_id)
        .first()
    )
    notification = (
        Notification.objects.select_related("from_account", "status__reblog")
        .filter(pk=notification_id)
        .first()
    )
    if subscription is None or notification is None:
        return Outcome("skipped")  # unsubscribed or dismissed in the meantime
    if not pushable(subscription, notification):
        return Outcome("skipped")
    outcome = send(subscription, notification)
    if outcome.result == "gone":
        WebPushSubscription.objects.filter(pk=subscription.pk).delete()
    return outcome
