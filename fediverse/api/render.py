"""Value formats every API entity shares."""

from datetime import UTC, date, datetime


def iso(moment: datetime | None) -> str | None:
    """Mastodon's timestamps: UTC, milliseconds, Z."""
    if moment is None:
        return None
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def iso_date(moment: datetime | date | None) -> str | None:
    if moment is None:
        return None
    return moment.strftime("%Y-%m-%d")
