"""Turning bytes from another server into a JSON object, with limits: the document must be
an object, valid UTF-8 JSON, and nested no deeper than any real activity is."""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 32


class MalformedDocument(ValueError):
    pass


def _depth_exceeds(value: Any, limit: int) -> bool:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        if isinstance(item, dict):
            stack.extend((child, depth + 1) for child in item.values())
        elif isinstance(item, list):
            stack.extend((child, depth + 1) for child in item)
    return False


def load_document(body: bytes | str, *, max_depth: int = MAX_DEPTH) -> dict[str, Any]:
    try:
        text = body.decode("utf-8") if isinstance(body, bytes) else body
    except UnicodeDecodeError as error:
        raise MalformedDocument("The document is not UTF-8.") from error
    try:
        # The C parser stops at the interpreter's recursion limit with RecursionError.
        document = json.loads(text)
    except (ValueError, RecursionError) as error:
        raise MalformedDocument("The document is not JSON.") from error
    if not isinstance(document, dict):
        raise MalformedDocument("The document is not a JSON object.")
    if _depth_exceeds(document, max_depth):
        raise MalformedDocument("The document is nested too deeply.")
    return document
