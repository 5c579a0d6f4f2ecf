"""Objects deleted or undone before they arrived: remembered, so that when they come late
they change nothing (a Delete or an Undo that overtakes its Create or Follow wins)."""

from __future__ import annotations

from federation.models import Tombstone, uri_digest


def record_tombstone(uri: str) -> None:
    Tombstone.objects.get_or_create(uri_digest=uri_digest(uri), defaults={"uri": uri[:2048]})


def is_tombstoned(uri: str | None) -> bool:
    return uri is not None and Tombstone.objects.filter(uri_digest=uri_digest(uri)).exists()
