"""JSON read as a stream of events, so that a file of any length is walked in bounded
memory: the items of one array are built one at a time, the scalars at the top level are
kept, and nesting deeper than a limit is refused before it is built."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

import ijson

from timelines.archives.safezip import ArchiveRefused

MAX_DEPTH = 32
STARTS = ("start_map", "start_array")
ENDS = ("end_map", "end_array")
SCALARS = ("null", "boolean", "integer", "double", "number", "string")


class JsonStream:
    """Iterate `items()` for the elements of the array at `path` (ijson's dotted prefix, e.g.
    "orderedItems.item"); afterwards `top` holds the document's top-level scalars."""

    def __init__(self, source: IO[bytes], name: str, path: str, *, max_depth: int = MAX_DEPTH):
        self.source, self.name, self.path, self.max_depth = source, name, path, max_depth
        self.top: dict[str, Any] = {}
        self.root_type: str | None = None

    def items(self) -> Iterator[Any]:
        depth = 0
        builder: Any = None
        item_depth = self.path.count(".") + 1
        try:
            for prefix, event, value in ijson.parse(self.source, use_float=True):
                if event in STARTS:
                    depth += 1
                    if depth > self.max_depth:
                        raise ArchiveRefused(f"{self.name} is nested too deeply.")
                    if depth == 1:
                        self.root_type = event
                elif event in ENDS:
                    depth -= 1
                if builder is not None:
                    builder.event(event, value)
                    if depth == item_depth:
                        yield builder.value
                        builder = None
                elif prefix == self.path and depth <= item_depth + 1:
                    if event in STARTS:
                        builder = ijson.ObjectBuilder()
                        builder.event(event, value)
                    elif event in SCALARS:
                        yield value
                elif depth == 1 and event in SCALARS and prefix and "." not in prefix:
                    self.top[prefix] = value
        except ijson.JSONError as error:
            raise ArchiveRefused(f"{self.name} is not valid JSON, or it is truncated.") from error
