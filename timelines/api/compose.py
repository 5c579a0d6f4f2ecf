"""Composing through the API: reading poll, media and schedule parameters from a request,
publishing now or later under an Idempotency-Key, and editing (PUT /api/v1/statuses/:id)."""

from typing import Any

from django.utils import timezone
from rest_framework.request import Request

from accounts.models import Account
from fediverse.api.errors import ApiError
from fediverse.api.parsers import to_bool
from timelines import selectors
from timelines.api.present import present_status
from timelines.api.scheduled import scheduled_at_from, scheduled_entity
from timelines.models import ScheduledStatus, Status
from timelines.services import idempotency
from timelines.services.edits import EditInput, do_edit_status
from timelines.services.polls import PollInput, poll_input
from timelines.services.scheduled import do_schedule_status
from timelines.services.statuses import StatusInput, do_create_status

BUSY = "There was a temporary problem serving your request, please try again"


def _as_list(value: Any) -> list[Any]:
    if value is None or value == "":
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _whole_number(value: Any) -> int:
    """Rails' to_i: leading digits, else 0 (which then fails validation, as in Mastodon)."""
    digits = str(value).strip()
    count = len(digits) - len(digits.lstrip("0123456789"))
    return int(digits[:count]) if count else 0


def poll_from(data: Any) -> PollInput | None:
    raw = data.get("poll")
    if not isinstance(raw, dict) or not raw:
        return None
    expires_in = raw.get("expires_in")
    return poll_input(
        options=[str(option) for option in _as_list(raw.get("options"))],
        expires_in=None if expires_in in (None, "") else _whole_number(expires_in),
        multiple=to_bool(raw.get("multiple")),
        hide_totals=to_bool(raw.get("hide_totals")),
    )


def media_ids_from(data: Any) -> tuple[int, ...]:
    return tuple(_whole_number(media_id) for media_id in _as_list(data.get("media_ids")))


def create(*, account: Account, data: StatusInput, request: Request) -> Status | ScheduledStatus:
    """A time in the past posts at once, as Mastodon does; a future one schedules."""
    scheduled_at = scheduled_at_from(request.data)

    def make() -> Status | ScheduledStatus:
        if scheduled_at is not None and scheduled_at > timezone.now():
            return do_schedule_status(account=account, data=data, scheduled_at=scheduled_at)
        return do_create_status(account=account, data=data)

    try:
        key = request.headers.get("Idempotency-Key")
        return idempotency.once(account_id=account.pk, key=key, make=make)
    except idempotency.Busy as error:
        raise ApiError(BUSY, 503) from error
    except (Status.DoesNotExist, ScheduledStatus.DoesNotExist) as error:
        raise ApiError("Record not found", 404) from error


def present_created(viewer: Account | None, made: Status | ScheduledStatus) -> dict[str, Any]:
    if isinstance(made, ScheduledStatus):
        return scheduled_entity(made)
    return present_status(viewer, selectors.hydrate(Status.objects.filter(pk=made.pk)).get())


def edit(*, account: Account, status: Status, request: Request) -> Status:
    """Only one's own posts can be edited; any other answers as missing, as in Mastodon."""
    if status.account_id != account.pk or status.reblog_id is not None:
        raise ApiError("Record not found", 404)
    data = request.data
    return do_edit_status(
        account=account,
        status=status,
        data=EditInput(
            text=str(data.get("status") or ""),
            spoiler_text=str(data.get("spoiler_text") or ""),
            sensitive=to_bool(data.get("sensitive")),
            language=str(data.get("language") or "") or None,
            poll=poll_from(data),
            media_ids=media_ids_from(data),
        ),
    )
