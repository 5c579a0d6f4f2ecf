"""Finding hashtags by name, creating the missing ones. Posts arriving together often share a
new tag: the insert skips names another transaction created meanwhile instead of failing on
the unique index, and waits for that transaction rather than reading past it."""

from collections.abc import Iterable

from django.db.models.functions import Lower

from timelines.models import Tag


def tags_named(names: Iterable[str]) -> list[Tag]:
    """One Tag per distinct name (case-insensitive), in the order first named; a new tag keeps
    the case it was first written in."""
    wanted: dict[str, str] = {}
    for name in names:
        wanted.setdefault(name.lower(), name)
    if not wanted:
        return []
    found = _existing(wanted)
    # In one order everywhere, so that two posts inserting the same new tags cannot deadlock.
    missing = [wanted[key] for key in sorted(wanted) if key not in found]
    if missing:
        Tag.objects.bulk_create([Tag(name=name) for name in missing], ignore_conflicts=True)
        found = _existing(wanted)
    return [found[key] for key in wanted]


def _existing(wanted: dict[str, str]) -> dict[str, Tag]:
    rows = Tag.objects.annotate(lname=Lower("name")).filter(lname__in=list(wanted))
    return {tag.lname: tag for tag in rows}  # type: ignore[attr-defined]
