"""Read markers: where a person stopped reading home and notifications, shared by their apps."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Account
from timelines.models_inbox import Marker


class MarkerConflict(Exception):
    """Another app moved the marker between our read and our write."""


def check_positions(positions: dict[str, object]) -> dict[str, int]:
    """{timeline: last_read_id} for the known timelines; ids must be numbers."""
    cleaned: dict[str, int] = {}
    for timeline, value in positions.items():
        if timeline not in Marker.TIMELINES:
            continue
        if not str(value or "").isdigit():
            raise ValidationError({"last_read_id": ValidationError("can't be blank")})
        cleaned[timeline] = int(str(value))
    return cleaned


def save_position(marker: Marker, last_read_id: int) -> Marker:
    """Move a loaded marker; the version it was loaded at must still be current."""
    if marker.pk is not None and marker.last_read_id == last_read_id:
        return marker
    now = timezone.now()
    if marker.pk is None:
        marker.last_read_id, marker.updated_at = last_read_id, now
        try:
            with transaction.atomic():
                marker.save()
        except IntegrityError as error:
            raise MarkerConflict from error
        return marker
    moved = Marker.objects.filter(pk=marker.pk, version=marker.version).update(
        last_read_id=last_read_id, version=marker.version + 1, updated_at=now
    )
    if not moved:
        raise MarkerConflict
    marker.last_read_id, marker.version, marker.updated_at = last_read_id, marker.version + 1, now
    return marker


def do_set_markers(*, account: Account, positions: dict[str, object]) -> dict[str, Marker]:
    cleaned = check_positions(positions)
    existing = {m.timeline: m for m in Marker.objects.filter(account=account)}
    saved: dict[str, Marker] = {}
    with transaction.atomic():
        for timeline, last_read_id in cleaned.items():
            marker = existing.get(timeline) or Marker(account=account, timeline=timeline)
            saved[timeline] = save_position(marker, last_read_id)
    return saved


def markers_of(account: Account, timelines: list[str]) -> dict[str, Marker]:
    return {m.timeline: m for m in Marker.objects.filter(account=account, timeline__in=timelines)}
