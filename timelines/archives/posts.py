"""What the archive formats are read into: one post to create, or one item left out."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from timelines.models import Visibility


@dataclass(frozen=True)
class ArchiveMedia:
    name: str  # the entry in the zip
    description: str = ""


@dataclass(frozen=True)
class ArchivePost:
    source_id: str
    published: datetime
    content: str  # sanitised HTML
    summary: str = ""
    sensitive: bool = False
    language: str | None = None
    visibility: str = Visibility.PUBLIC
    reply_to: str = ""  # the source id of the own post it answers
    tags: tuple[str, ...] = ()
    media: tuple[ArchiveMedia, ...] = field(default_factory=tuple)
    # The item's place in the archive, which orders posts sharing the same second.
    order: int = 0


@dataclass(frozen=True)
class Skipped:
    source_id: str


Entry = ArchivePost | Skipped


@dataclass
class Plan:
    """What the validating pass learned: how many items, and which ids are the author's own
    posts (replies to those are threaded, replies to anything else are someone else's)."""

    total: int = 0
    own_ids: set[str] = field(default_factory=set)
    # Called every thousand items, to show that a long read is still alive.
    tick: Callable[[], None] | None = None

    def count(self) -> None:
        self.total += 1
        if self.tick is not None and self.total % 1000 == 0:
            self.tick()


class ArchiveReader(Protocol):
    def validate(self, tick: Callable[[], None] | None = None) -> Plan: ...

    def entries(self, plan: Plan) -> Iterator[Entry]: ...


# Post ids are made from their dates: a date ahead of the clock would keep a post at the top
# of every timeline, so it is refused like a malformed one (a day allows for skewed clocks).
LATEST_SKEW = timedelta(days=1)


def plausible(moment: datetime) -> datetime | None:
    return moment if moment <= datetime.now(UTC) + LATEST_SKEW else None


def parse_time(value: object) -> datetime | None:
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return plausible(moment if moment.tzinfo else moment.replace(tzinfo=UTC))


def link_html(url: str) -> str:
    """A link to the original of a boost or of a post replied to; an archive is untrusted,
    so anything but a web address (javascript:, data:…) stays plain text."""
    safe = html.escape(url)
    if not url.lower().startswith(("https://", "http://")):
        return safe
    return f'<a href="{safe}" rel="nofollow noopener" target="_blank">{safe}</a>'


def html_to_text(content: str) -> str:
    """The plain-text source kept beside imported HTML."""
    text = re.sub(r"<br\s*/?>", "\n", content)
    text = re.sub(r"</p>\s*<p>", "\n\n", text)
    return html.unescape(re.sub(r"<[^>]+>", "", text)).strip()
