"""Posts scheduled for later: validated when scheduled (as if posted then), kept with their
parameters, and published by a periodic task through the same do_create_status."""

import logging
from datetime import UTC, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Account
from timelines.models import ScheduledStatus, Status
from timelines.services.polls import PollInput
from timelines.services.statuses import StatusInput, check_status, do_create_status

log = logging.getLogger(__name__)

MIN_OFFSET = timedelta(minutes=5)
TOTAL_LIMIT = 300
DAILY_LIMIT = 25
PUBLISH_BATCH = 500


def params_of(data: StatusInput) -> dict[str, Any]:
    """The parameters as Mastodon shows them back in the ScheduledStatus entity."""
    poll = data.poll
    return {
        "text": data.text,
        "poll": None
        if poll is None
        else {
            "options": list(poll.options),
            "expires_in": str(poll.expires_in),
            "multiple": poll.multiple,
            "hide_totals": poll.hide_totals,
        },
        "media_ids": [str(media_id) for media_id in data.media_ids] or None,
        "sensitive": data.sensitive,
        "spoiler_text": data.spoiler_text,
        "visibility": data.visibility,
        "scheduled_at": None,
        "in_reply_to_id": str(data.in_reply_to_id) if data.in_reply_to_id else None,
        "language": data.language,
        "application_id": data.application_id,
        "idempotency": None,
        "with_rate_limit": False,
        "allowed_mentions": None,
    }


def input_of(params: dict[str, Any]) -> StatusInput:
    poll = params.get("poll")
    reply_to = params.get("in_reply_to_id")
    return StatusInput(
        text=params.get("text") or "",
        spoiler_text=params.get("spoiler_text") or "",
        visibility=params.get("visibility") or "public",
        sensitive=bool(params.get("sensitive")),
        language=params.get("language"),
        in_reply_to_id=int(reply_to) if reply_to else None,
        application_id=params.get("application_id"),
        poll=None
        if not poll
        else PollInput(
            options=tuple(poll["options"]),
            expires_in=int(poll["expires_in"]),
            multiple=bool(poll.get("multiple")),
            hide_totals=bool(poll.get("hide_totals")),
        ),
        media_ids=tuple(int(media_id) for media_id in params.get("media_ids") or ()),
    )


def check_scheduled_at(
    *, account: Account, scheduled_at: datetime, scheduled: ScheduledStatus | None = None
) -> None:
    """Mastodon's rules: at least five minutes ahead, 25 a day and 300 in all."""
    errors: dict[str, ValidationError] = {}
    if scheduled_at <= timezone.now() + MIN_OFFSET:
        errors["scheduled_at"] = ValidationError("Date must be in the future.", code="too_soon")
    others = ScheduledStatus.objects.filter(account=account)
    if scheduled is not None:
        others = others.exclude(pk=scheduled.pk)
    day = scheduled_at.astimezone(UTC).date()
    problems = []
    if others.filter(scheduled_at__date=day).count() >= DAILY_LIMIT:
        problems.append(
            ValidationError(
                f"You have exceeded the limit of {DAILY_LIMIT} scheduled posts for today.",
                code="daily_limit",
            )
        )
    if others.count() >= TOTAL_LIMIT:
        problems.append(
            ValidationError(
                f"You have exceeded the limit of {TOTAL_LIMIT} scheduled posts.",
                code="total_limit",
            )
        )
    if problems:
        errors["__all__"] = ValidationError(problems)
    if errors:
        raise ValidationError(errors)  # type: ignore[arg-type]


def do_schedule_status(
    *, account: Account, data: StatusInput, scheduled_at: datetime
) -> ScheduledStatus:
    check_status(account=account, data=data)
    check_scheduled_at(account=account, scheduled_at=scheduled_at)
    return ScheduledStatus.objects.create(
        account=account, scheduled_at=scheduled_at, params=params_of(data)
    )


def do_reschedule(*, scheduled: ScheduledStatus, scheduled_at: datetime) -> ScheduledStatus:
    check_scheduled_at(account=scheduled.account, scheduled_at=scheduled_at, scheduled=scheduled)
    scheduled.scheduled_at = scheduled_at
    scheduled.save(update_fields=["scheduled_at"])
    return scheduled


def do_cancel(*, scheduled: ScheduledStatus) -> None:
    scheduled.delete()


def publish_due_statuses() -> int:
    """Publish every scheduled post whose time has come; returns how many were published."""
    due = list(
        ScheduledStatus.objects.filter(scheduled_at__lte=timezone.now())
        .order_by("scheduled_at")
        .values_list("pk", flat=True)[:PUBLISH_BATCH]
    )
    return sum(1 for scheduled_id in due if publish_scheduled(scheduled_id) is not None)


def publish_scheduled(scheduled_id: int) -> Status | None:
    with transaction.atomic():
        # skip_locked: a post another worker is publishing is left to it.
        scheduled = (
            ScheduledStatus.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk=scheduled_id, scheduled_at__lte=timezone.now())
            .select_related("account__user")
            .first()
        )
        if scheduled is None:
            return None
        scheduled.delete()
        account = scheduled.account
        if not account.user.is_active:
            return None  # suspended or disabled since: the post goes, unpublished
        try:
            with transaction.atomic():
                return do_create_status(account=account, data=input_of(scheduled.params))
        except ValidationError as error:
            # Mastodon drops a post that can no longer be made (its reply target is gone…).
            log.info("Dropped scheduled status %s: %s", scheduled_id, error.messages)
            return None
