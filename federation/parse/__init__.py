"""Inbound ActivityPub JSON, parsed into typed values that only parse and validate."""

from federation.parse.activity import Activity, parse_activity
from federation.parse.actor import RemoteActor, parse_actor
from federation.parse.document import MalformedDocument, load_document
from federation.parse.note import RemoteNote, parse_note
from federation.parse.values import ParseError

__all__ = [
    "Activity",
    "MalformedDocument",
    "ParseError",
    "RemoteActor",
    "RemoteNote",
    "load_document",
    "parse_activity",
    "parse_actor",
    "parse_note",
]
