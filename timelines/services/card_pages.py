"""Reading a linked page for its preview: the OpenGraph and Twitter card tags, the title, the
language, the oEmbed endpoint it announces; and reading that oEmbed answer. Nothing here
touches the network; every value is cut to what its column holds."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import nh3
from django.utils.dateparse import parse_datetime

OEMBED_TYPES = ("application/json+oembed", "text/json+oembed")
CARD_TYPES = ("link", "photo", "video", "rich")
EMBED_ATTRIBUTES = {"src", "width", "height", "allowfullscreen", "allow", "frameborder",
                    "scrolling", "title", "loading", "referrerpolicy"}  # fmt: skip
CHARSET_RE = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)
# A page's head is all we read; stopping there keeps a huge body from being parsed.
HEAD_END_RE = re.compile(r"<body[\s>]", re.IGNORECASE)


def clip(value: Any, length: int) -> str:
    text = " ".join(value.split()) if isinstance(value, str) else ""
    return text[:length]


def web_url(value: Any, base: str = "") -> str:
    """An absolute http(s) URL, or "" for anything else (javascript:, data:, garbage)."""
    if not isinstance(value, str) or not value.strip():
        return ""
    absolute = urljoin(base, value.strip()) if base else value.strip()
    parts = urlsplit(absolute)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(absolute) > 2048:
        return ""
    return absolute


def dimension(value: Any) -> int:
    try:
        number = int(float(value))
    except (TypeError, ValueError, OverflowError):
        return 0
    return number if 0 < number <= 10_000 else 0


@dataclass
class PageTags:
    meta: dict[str, str] = field(default_factory=dict)
    title: str = ""
    language: str = ""
    oembed_url: str = ""


class HeadParser(HTMLParser):
    def __init__(self, base: str) -> None:
        super().__init__(convert_charrefs=True)
        self.base = base
        self.tags = PageTags()
        self.in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name.lower(): value or "" for name, value in attrs}
        if tag == "html" and found.get("lang"):
            self.tags.language = clip(found["lang"], 16)
        elif tag == "title":
            self.in_title = True
        elif tag == "meta":
            key = (found.get("property") or found.get("name") or "").strip().lower()
            if key and "content" in found:
                self.tags.meta.setdefault(key, found["content"])
        elif tag == "link" and not self.tags.oembed_url:
            rel = found.get("rel", "").lower().split()
            if "alternate" in rel and found.get("type", "").lower() in OEMBED_TYPES:
                self.tags.oembed_url = web_url(found.get("href"), self.base)

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self.in_title = False

    def handle_data(self, data: str) -> None:
        if self.in_title and not self.tags.title:
            self.tags.title = clip(data, 255)


def decode_page(body: bytes, content_type_header: str) -> str:
    charset = ""
    for part in content_type_header.split(";")[1:]:
        name, _, value = part.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'")
    if not charset:
        declared = CHARSET_RE.search(body[:4096])
        charset = declared.group(1).decode() if declared else "utf-8"
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def read_page(text: str, url: str) -> PageTags:
    parser = HeadParser(url)
    head_end = HEAD_END_RE.search(text)
    parser.feed(text[: head_end.start()] if head_end else text)
    parser.close()
    return parser.tags


@dataclass
class CardData:
    """What a card holds, before its image is fetched."""

    title: str = ""
    description: str = ""
    type: str = "link"
    author_name: str = ""
    author_url: str = ""
    provider_name: str = ""
    provider_url: str = ""
    html: str = ""
    width: int = 0
    height: int = 0
    image_url: str = ""
    image_description: str = ""
    embed_url: str = ""
    published_at: datetime | None = None
    language: str = ""


def moment(value: str) -> datetime | None:
    try:
        found = parse_datetime(value.strip())
    except ValueError:
        return None
    return found if found is not None and found.tzinfo is not None else None


def _first(meta: dict[str, str], *keys: str) -> str:
    for key in keys:
        if meta.get(key, "").strip():
            return meta[key]
    return ""


def card_from_tags(tags: PageTags, url: str) -> CardData:
    meta = tags.meta
    published = moment(_first(meta, "article:published_time"))
    return CardData(
        title=clip(_first(meta, "og:title", "twitter:title") or tags.title, 255),
        description=clip(
            _first(meta, "og:description", "twitter:description", "description"), 2000
        ),  # fmt: skip
        author_name=clip(_first(meta, "author", "article:author", "twitter:creator"), 255),
        provider_name=clip(_first(meta, "og:site_name", "twitter:site"), 255),
        image_url=web_url(
            _first(meta, "og:image", "og:image:url", "twitter:image", "twitter:image:src"), url
        ),  # fmt: skip
        image_description=clip(_first(meta, "og:image:alt", "twitter:image:alt"), 1500),
        published_at=published,
        language=clip(tags.language.split("-")[0] if tags.language else "", 16),
    )


def _allowed_host(host: str, owners: set[str]) -> bool:
    """The embedded frame is served by the site that answered, or one of its neighbours
    (player.example.com for www.example.com)."""
    for owner in owners:
        labels = owner.split(".")
        parent = ".".join(labels[1:]) if len(labels) >= 3 else owner
        if host == owner or host.endswith("." + owner) or host.endswith("." + parent):
            return True
    return False


def sanitise_embed(html: str, owners: set[str]) -> str:
    """Only iframes whose src is https on one of the `owners` hosts; everything else goes,
    script contents included. "" when no such iframe is left."""

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if attribute != "src":
            return value
        parts = urlsplit(value)
        host = (parts.hostname or "").lower()
        return value if parts.scheme == "https" and _allowed_host(host, owners) else None

    cleaned = nh3.clean(
        html,
        tags={"iframe"},
        clean_content_tags={"script", "style"},
        attributes={"iframe": EMBED_ATTRIBUTES},
        attribute_filter=keep,
        url_schemes={"https"},
        link_rel=None,
    ).strip()
    return cleaned if 'src="https://' in cleaned else ""


def apply_oembed(card: CardData, body: bytes, *, page_url: str, endpoint: str) -> None:
    """Fill `card` from an oEmbed JSON answer; a rich or video card needs a usable iframe."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return
    if not isinstance(data, dict) or data.get("type") not in CARD_TYPES:
        return
    owners = {(urlsplit(u).hostname or "").lower() for u in (page_url, endpoint)} - {""}
    kind = data["type"]
    if kind == "photo":
        embed = web_url(data.get("url"), page_url)
        if not embed:
            return
        card.type, card.embed_url = "photo", embed
    elif kind in ("video", "rich"):
        html = sanitise_embed(data["html"], owners) if isinstance(data.get("html"), str) else ""
        if html:
            card.type, card.html = kind, html
    card.title = clip(data.get("title"), 255) or card.title
    card.author_name = clip(data.get("author_name"), 255) or card.author_name
    card.author_url = web_url(data.get("author_url"), page_url) or card.author_url
    card.provider_name = clip(data.get("provider_name"), 255) or card.provider_name
    card.provider_url = web_url(data.get("provider_url"), page_url) or card.provider_url
    card.image_url = web_url(data.get("thumbnail_url"), page_url) or card.image_url
    if card.type != "link":
        card.width, card.height = dimension(data.get("width")), dimension(data.get("height"))
