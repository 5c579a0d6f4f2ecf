"""Mastodon 4.3's notification filtering: each recipient's policy decides whether a notification
from a stranger is accepted, held back behind a notification request, or dropped."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from accounts.models import Account, Follow, Role
from fediverse.effects import enqueue
from timelines.models import Mention, Notification, NotificationType, Status, Visibility
from timelines.models_inbox import (
    ADMIN_REPORT,
    FilteredNotification,
    NotificationPermission,
    NotificationPolicy,
    NotificationReport,
    NotificationRequest,
    PolicyChoice,
)
from timelines.services.conversations import add_recipient
from timelines.services.push import schedule_push
from timelines.streaming import events as streaming_events

NEW_ACCOUNT_AGE = timedelta(days=30)
NEW_FOLLOWER_AGE = timedelta(days=3)
MAX_MEANINGFUL_COUNT = 100
# A person chose to hear about these, or they come from the server itself.
FILTERABLE_TYPES = frozenset(
    {
        NotificationType.MENTION,
        NotificationType.REBLOG,
        NotificationType.FOLLOW,
        NotificationType.FOLLOW_REQUEST,
        NotificationType.FAVOURITE,
    }
)
ROLE_RANK = {Role.USER: 0, Role.MODERATOR: 1, Role.ADMIN: 2, Role.OWNER: 3}


def policy_of(account: Account) -> NotificationPolicy:
    """The saved policy, or Mastodon's defaults (unsaved) for someone who never changed it."""
    found = NotificationPolicy.objects.filter(account=account).first()
    return found or NotificationPolicy(account=account)


def check_policy(changes: dict[str, Any]) -> dict[str, str]:
    allowed = set(PolicyChoice.values)
    errors = {
        name: ValidationError("is not included in the list", code="inclusion")
        for name in NotificationPolicy.FIELDS
        if name in changes and changes[name] not in allowed
    }
    if errors:
        raise ValidationError(errors)  # type: ignore[arg-type]
    return {name: str(changes[name]) for name in NotificationPolicy.FIELDS if name in changes}


def do_update_policy(*, account: Account, changes: dict[str, Any]) -> NotificationPolicy:
    cleaned = check_policy(changes)
    with transaction.atomic():
        policy, _ = NotificationPolicy.objects.select_for_update().get_or_create(account=account)
        for name, value in cleaned.items():
            setattr(policy, name, value)
        policy.updated_at = timezone.now()
        policy.save()
    return policy


def pending_summary(account: Account) -> tuple[int, int]:
    """Requests waiting (capped as Mastodon caps them) and the notifications they hold."""
    ids = NotificationRequest.objects.filter(account=account).values("id")[:MAX_MEANINGFUL_COUNT]
    summary = NotificationRequest.objects.filter(id__in=ids).aggregate(
        held=Sum("notifications_count")
    )
    return len(ids), summary["held"] or 0


class _Sender:
    """The facts about a sender that the policy asks, each looked up at most once."""

    def __init__(self, recipient: Account, sender: Account) -> None:
        self.recipient, self.sender = recipient, sender
        self._following: bool | None = None

    @property
    def not_followed(self) -> bool:
        if self._following is None:
            self._following = Follow.objects.filter(
                account=self.recipient, target_account=self.sender
            ).exists()
        return not self._following

    def not_follower(self) -> bool:
        since = timezone.now() - NEW_FOLLOWER_AGE
        follow = Follow.objects.filter(account=self.sender, target_account=self.recipient).first()
        return follow is None or follow.created_at > since

    def is_new(self) -> bool:
        return self.sender.created_at > timezone.now() - NEW_ACCOUNT_AGE

    def is_limited(self) -> bool:
        return self.sender.silenced_at is not None

    def outranks_recipient(self) -> bool:
        """Staff writing to people below them are never filtered (Mastodon's bypass)."""
        sender_user = getattr(self.sender, "user", None) if self.sender.local else None
        recipient_user = getattr(self.recipient, "user", None)
        if sender_user is None or recipient_user is None:
            return False
        return ROLE_RANK.get(sender_user.role, 0) > ROLE_RANK.get(recipient_user.role, 0)


def _answers_own_private_mention(recipient: Account, sender: Account, status: Status) -> bool:
    """True when the thread above holds a direct post by the recipient that mentions the
    sender: an answer in a conversation the recipient started is never filtered."""
    if status.in_reply_to_id is None:
        return False
    statuses, mentions = Status._meta.db_table, Mention._meta.db_table
    sql = f"""
        WITH RECURSIVE ancestors(id, in_reply_to_id, depth) AS (
            SELECT id, in_reply_to_id, 0 FROM {statuses} WHERE id = %s
            UNION ALL
            SELECT s.id, s.in_reply_to_id, a.depth + 1
            FROM {statuses} s JOIN ancestors a ON s.id = a.in_reply_to_id
            WHERE a.depth < 100
        )
        SELECT COUNT(*) FROM ancestors a
        JOIN {statuses} s ON s.id = a.id
        JOIN {mentions} m ON m.status_id = s.id AND m.account_id = %s AND NOT m.silent
        WHERE s.account_id = %s AND s.visibility = %s
    """  # only our own table names are interpolated; the values are bound
    with connection.cursor() as cursor:
        cursor.execute(sql, [status.in_reply_to_id, sender.pk, recipient.pk, Visibility.DIRECT])
        row = cursor.fetchone()
    return bool(row and row[0])


def _unsolicited_private_mention(facts: _Sender, type: str, status: Status | None) -> bool:
    if type != NotificationType.MENTION or status is None:
        return False
    if status.visibility != Visibility.DIRECT or not facts.not_followed:
        return False
    return not _answers_own_private_mention(facts.recipient, facts.sender, status)


def _triggered(
    policy: NotificationPolicy, facts: _Sender, type: str, status: Status | None
) -> set[str]:
    """The choices of every policy line this notification falls under; each line's facts
    are looked up only when its choice is not accept."""
    lines: list[tuple[str, Callable[[], bool]]] = [
        (policy.for_limited_accounts, lambda: facts.is_limited() and facts.not_followed),
        (policy.for_not_following, lambda: facts.not_followed),
        (policy.for_not_followers, facts.not_follower),
        (policy.for_new_accounts, lambda: facts.is_new() and facts.not_followed),
        (policy.for_private_mentions, lambda: _unsolicited_private_mention(facts, type, status)),
    ]
    return {choice for choice, applies in lines if choice != PolicyChoice.ACCEPT and applies()}


def verdict(*, recipient: Account, sender: Account, type: str, status: Status | None) -> str:
    """accept, filter or drop, as Mastodon's NotifyService decides past blocks and mutes."""
    if type not in FILTERABLE_TYPES:
        return PolicyChoice.ACCEPT
    if NotificationPermission.objects.filter(account=recipient, from_account=sender).exists():
        return PolicyChoice.ACCEPT
    facts = _Sender(recipient, sender)
    if type == NotificationType.MENTION and facts.outranks_recipient():
        return PolicyChoice.ACCEPT
    choices = _triggered(policy_of(recipient), facts, type, status)
    if PolicyChoice.DROP in choices:
        return PolicyChoice.DROP
    return PolicyChoice.FILTER if choices else PolicyChoice.ACCEPT


def create_under_policy(
    *, account_id: int, from_account_id: int, type: str, status_id: int | None
) -> Notification | None:
    """Create the notification the recipient's policy lets through: as is, held back, or
    not at all."""
    accounts = Account.objects.select_related("user").in_bulk([account_id, from_account_id])
    status = Status.objects.filter(pk=status_id).first() if status_id is not None else None
    choice = verdict(
        recipient=accounts[account_id], sender=accounts[from_account_id], type=type, status=status
    )
    if choice == PolicyChoice.DROP:
        return None
    with transaction.atomic():
        notification = Notification.objects.create(
            account_id=account_id, from_account_id=from_account_id, type=type, status_id=status_id
        )
        if choice == PolicyChoice.FILTER:
            hold_back(notification)
        elif type == NotificationType.MENTION and status is not None:
            add_recipient(account=accounts[account_id], status=status)
        if choice != PolicyChoice.FILTER:
            streaming_events.schedule_notification(notification)
            schedule_push(notification)
        if type == ADMIN_REPORT:
            _link_report(notification)
    return notification


def _link_report(notification: Notification) -> None:
    """Staff are told of a report right after it is filed: it is the reporter's newest."""
    from moderation.models import Report

    report = Report.objects.filter(account_id=notification.from_account_id).order_by("-id").first()
    if report is not None:
        NotificationReport.objects.create(notification=notification, report=report)


def hold_back(notification: Notification) -> None:
    """Mark a new notification filtered; a mention also opens or refreshes the request."""
    FilteredNotification.objects.create(notification=notification)
    if notification.type != NotificationType.MENTION:
        return
    request, _ = NotificationRequest.objects.get_or_create(
        account_id=notification.account_id, from_account_id=notification.from_account_id
    )
    request.last_status_id = notification.status_id
    request.notifications_count = held_mentions(request)
    request.updated_at = timezone.now()
    request.save()


def held_mentions(request: NotificationRequest) -> int:
    return (
        Notification.objects.filter(
            account_id=request.account_id,
            from_account_id=request.from_account_id,
            type=NotificationType.MENTION,
            filtered__isnull=False,
        )
        .values("id")[:MAX_MEANINGFUL_COUNT]
        .count()
    )


def reconsider_requests(*, account_id: int, from_account_ids: set[int]) -> None:
    """After filtered notifications went away: recount each request, drop the empty ones."""
    for request in NotificationRequest.objects.filter(
        account_id=account_id, from_account_id__in=from_account_ids
    ):
        count = held_mentions(request)
        if count:
            NotificationRequest.objects.filter(pk=request.pk).update(notifications_count=count)
        else:
            request.delete()


def do_dismiss_notifications(*, account: Account, notifications: QuerySet[Notification]) -> None:
    """Delete the account's notifications among these; requests they were held behind are
    recounted, and go away when nothing is left behind them."""
    with transaction.atomic():
        mine = notifications.filter(account=account)
        senders = set(mine.filter(filtered__isnull=False).values_list("from_account_id", flat=True))
        mine.delete()
        if senders:
            reconsider_requests(account_id=account.pk, from_account_ids=senders)


def do_accept_request(*, request: NotificationRequest) -> None:
    """Future notifications from the sender are accepted; held ones rejoin the list (in a
    task, as Mastodon merges them in the background)."""
    from timelines.tasks import unfilter_notifications

    with transaction.atomic():
        NotificationPermission.objects.get_or_create(
            account_id=request.account_id, from_account_id=request.from_account_id
        )
        request.delete()
        enqueue(unfilter_notifications, request.account_id, request.from_account_id)


def do_dismiss_request(*, request: NotificationRequest) -> None:
    with transaction.atomic():
        Notification.objects.filter(
            account_id=request.account_id,
            from_account_id=request.from_account_id,
            filtered__isnull=False,
        ).delete()
        request.delete()


def do_unfilter_notifications(*, account_id: int, from_account_id: int) -> None:
    """Held notifications rejoin the list; held private mentions join the conversations."""
    held = FilteredNotification.objects.filter(
        notification__account_id=account_id, notification__from_account_id=from_account_id
    )
    mentions = Status.objects.filter(
        pk__in=held.filter(notification__type=NotificationType.MENTION).values(
            "notification__status_id"
        ),
        visibility=Visibility.DIRECT,
    ).select_related("account")
    recipient = Account.objects.get(pk=account_id)
    with transaction.atomic():
        for status in mentions.order_by("id"):
            add_recipient(account=recipient, status=status)
        held.delete()


def merged(account: Account) -> bool:
    """Whether every accepted sender's held notifications have rejoined the list."""
    accepted = NotificationPermission.objects.filter(account=account).values("from_account_id")
    return not FilteredNotification.objects.filter(
        notification__account=account, notification__from_account_id__in=accepted
    ).exists()
