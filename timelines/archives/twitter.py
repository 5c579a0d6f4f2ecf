"""The Twitter/X archive: `data/tweets.js` (and `tweets-part1.js`…, or `tweet.js` in older
archives) assigns a JSON array to `window.YTD.tweets.part0`; each tweet's media sits in
`data/tweets_media/` named `<tweet id>-<file name>`."""

from __future__ import annotations

import html
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import datetime
from typing import IO, Any

from fediverse import uris
from fediverse.formatting import render_plain_text
from timelines.archives.jsonstream import JsonStream
from timelines.archives.posts import (
    ArchiveMedia,
    ArchivePost,
    Entry,
    Plan,
    Skipped,
    link_html,
    plausible,
)
from timelines.archives.safezip import ArchiveRefused, SafeArchive

TWEETS = re.compile(r"^data/tweets?(-part\d+)?\.js$")
MEDIA_FOLDER = "data/tweets_media/"
TWEETS_LIMIT = 2 * 1024**3
PREFIX_LIMIT = 512


class _AfterAssignment(io.RawIOBase):
    """The bytes after `window.YTD.tweets.partN =`: the JSON itself."""

    def __init__(self, source: IO[bytes], name: str) -> None:
        head = source.read(PREFIX_LIMIT)
        mark = head.find(b"=")
        if mark < 0 or not head[:mark].strip().startswith(b"window.YTD."):
            raise ArchiveRefused(f"{name} does not start with window.YTD.")
        self.pending, self.source = head[mark + 1 :], source

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self.pending and size != 0:
            data, self.pending = self.pending, b""
            return data
        return self.source.read(size)

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def,override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def parse_created(value: Any) -> datetime | None:
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        return plausible(datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y"))
    except ValueError:
        return None


def _tweet(item: Any) -> dict[str, Any] | None:
    if isinstance(item, dict) and isinstance(item.get("tweet"), dict):
        item = item["tweet"]
    if not isinstance(item, dict) or not isinstance(item.get("id_str"), str):
        return None
    if not isinstance(item.get("full_text", ""), str):
        return None
    return item if parse_created(item.get("created_at")) else None


def _entities(tweet: dict[str, Any], kind: str, key: str) -> list[dict[str, Any]]:
    holder = tweet.get(kind)
    found = holder.get(key) if isinstance(holder, dict) else None
    return [e for e in found if isinstance(e, dict)] if isinstance(found, list) else []


def tweet_text(tweet: dict[str, Any]) -> str:
    """The text with t.co links expanded, the links to attached media removed, and the HTML
    entities Twitter stores (&amp; &lt; &gt;) unescaped."""
    text = str(tweet.get("full_text") or tweet.get("text") or "")
    for url in _entities(tweet, "entities", "urls"):
        short, expanded = url.get("url"), url.get("expanded_url")
        if isinstance(short, str) and short and isinstance(expanded, str):
            text = text.replace(short, expanded)
    media = _entities(tweet, "extended_entities", "media") or _entities(tweet, "entities", "media")
    for item in media:
        short = item.get("url")
        if isinstance(short, str) and short:
            text = text.replace(short, "")
    return html.unescape(text).strip()


def _language(code: Any) -> str | None:
    """Twitter's code, but for `und` (undetermined) and its own pseudo-codes such as `qme`."""
    if isinstance(code, str) and 0 < len(code) <= 16 and code != "und" and not code.startswith("q"):
        return code
    return None


def _hashtags(tweet: dict[str, Any]) -> tuple[str, ...]:
    names = (str(h.get("text")) for h in _entities(tweet, "entities", "hashtags") if h.get("text"))
    return tuple(dict.fromkeys(names))


class TwitterReader:
    def __init__(self, archive: SafeArchive, *, keep_others: bool) -> None:
        self.archive = archive
        self.keep_others = keep_others
        self.files = sorted(n for n in archive.names() if TWEETS.match(n))
        if not self.files:
            raise ArchiveRefused("The archive has no data/tweets.js.")
        self.media = self._media_index()

    def _media_index(self) -> dict[str, list[str]]:
        index: dict[str, list[str]] = defaultdict(list)
        for name in self.archive.names():
            if name.startswith(MEDIA_FOLDER) and "-" in name:
                index[name[len(MEDIA_FOLDER) :].split("-", 1)[0]].append(name)
        return index

    def _items(self) -> Iterator[Any]:
        for name in self.files:
            with self.archive.open(name, limit=TWEETS_LIMIT) as source:
                stream = JsonStream(_AfterAssignment(source, name), name, "item")  # type: ignore[arg-type]
                for item in stream.items():
                    yield name, item
                if stream.root_type != "start_array":
                    raise ArchiveRefused(f"{name} does not hold a list of tweets.")

    def validate(self, tick: Callable[[], None] | None = None) -> Plan:
        plan = Plan(tick=tick)
        for name, item in self._items():
            tweet = _tweet(item)
            if tweet is None:
                raise ArchiveRefused(f"{name}, item {plan.total + 1}: not a tweet with its date.")
            plan.own_ids.add(tweet["id_str"])
            plan.count()
        return plan

    def entries(self, plan: Plan) -> Iterator[Entry]:
        for index, (_, item) in enumerate(self._items()):
            tweet = _tweet(item)
            assert tweet is not None  # validated
            entry = self._entry(tweet, plan)
            yield replace(entry, order=index) if isinstance(entry, ArchivePost) else entry

    def _entry(self, tweet: dict[str, Any], plan: Plan) -> Entry:
        source_id = tweet["id_str"]
        text = tweet_text(tweet)
        parent = tweet.get("in_reply_to_status_id_str") or ""
        reply_to = parent if parent in plan.own_ids else ""
        link = ""
        if text.startswith("RT @"):
            link = f"https://x.com/i/web/status/{source_id}"
        elif parent and not reply_to:
            screen = tweet.get("in_reply_to_screen_name") or "i/web"
            link = f"https://x.com/{screen}/status/{parent}"
        if link and not self.keep_others:
            return Skipped(source_id)
        content = render_plain_text(text, resolve_mention=lambda _u, _d: None, tag_url=uris.tag_url)
        if link:
            content = f"<p>{link_html(link)}</p>{content}"
        return ArchivePost(
            source_id=source_id,
            published=parse_created(tweet["created_at"]),  # type: ignore[arg-type]
            content=content,
            sensitive=bool(tweet.get("possibly_sensitive")),
            language=_language(tweet.get("lang")),
            reply_to=reply_to,
            tags=_hashtags(tweet),
            media=tuple(self._attached(tweet)),
        )

    def _attached(self, tweet: dict[str, Any]) -> Iterator[ArchiveMedia]:
        files = self.media.get(tweet["id_str"], [])
        chosen: dict[str, str] = {}
        media = _entities(tweet, "extended_entities", "media") or _entities(
            tweet, "entities", "media"
        )
        for item in media:
            url = str(item.get("media_url_https") or item.get("media_url") or "")
            exact = f"{MEDIA_FOLDER}{tweet['id_str']}-{url.rsplit('/', 1)[-1]}"
            alt = str(item.get("ext_alt_text") or "")[:1500]
            if exact in files:
                chosen.setdefault(exact, alt)
            elif item.get("type") in ("video", "animated_gif"):
                for name in files:
                    if name.endswith(".mp4"):
                        chosen.setdefault(name, alt)
        for name, alt in list(chosen.items())[:4]:
            yield ArchiveMedia(name, alt)
