"""Activities as typed values: who did what to which object, and for whom."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from federation.parse.values import (
    ParseError,
    first,
    id_of,
    ids_of,
    is_http_uri,
    require_uri,
    type_of,
)


@dataclass(frozen=True)
class Activity:
    type: str
    actor: str
    id: str | None
    object: Any
    object_id: str | None
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def embedded_object(self) -> dict[str, Any] | None:
        """The object when the activity carries it whole, not only its id."""
        return self.object if isinstance(self.object, dict) else None

    @property
    def object_type(self) -> str | None:
        return type_of(self.embedded_object)


def parse_activity(document: dict[str, Any]) -> Activity:
    activity_type = type_of(document)
    if activity_type is None:
        raise ParseError("The activity has no type.")
    activity_id = id_of(document.get("id"))
    if activity_id is not None and not is_http_uri(activity_id):
        raise ParseError("The activity's id is not an http(s) URI.")
    obj = first(document.get("object"))
    object_id = id_of(obj)
    return Activity(
        type=activity_type,
        actor=require_uri(document.get("actor"), "The activity's actor"),
        id=activity_id,
        object=obj,
        object_id=object_id if is_http_uri(object_id) else None,
        to=ids_of(document.get("to")),
        cc=ids_of(document.get("cc")),
        raw=document,
    )
