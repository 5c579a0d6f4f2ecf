"""Link preview cards. Once a post with a link is stored (local or remote, new or edited), a
task picks its first link that is not a mention, a hashtag or a page of the post's own server,
reads that page through the outbound client (bounded time and size, HTML only), its OpenGraph
and Twitter card tags and its oEmbed answer, caches the picture, and links the post to the
card of that URL. Cards are shared by URL and read again once stale. When a post gets its
card, streaming clients get the post again as `status.update`."""

from __future__ import annotations

import logging
import re
from dataclasses import asdict
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from federation import http
from fediverse.effects import enqueue
from media import storage
from media.services.card_images import cache_card_image
from moderation.models import InstanceSettings
from timelines.models import PreviewCard, PreviewCardDomainBlock, PreviewCardStatus, Status
from timelines.services import card_pages
from timelines.streaming import events as streaming_events

logger = logging.getLogger(__name__)
STALE_AFTER = timedelta(days=14)
PAGE_BYTES = 1024 * 1024
HTML_TYPES = ("text/html",)
MAX_URL_BYTES = 2048
SKIPPED_CLASSES = {"mention", "hashtag", "u-url", "h-card"}
DOMAIN_RE = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*")


def fetch_timeout() -> float:
    """All of one page, slow senders included."""
    return float(getattr(settings, "PREVIEW_CARD_FETCH_TIMEOUT", 10.0))


class LinkFinder(HTMLParser):
    """The links of a post's HTML in order, without mentions and hashtags (by their
    microformat classes or rel=tag) and without those inside a quoted post."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.open: list[bool] = []  # per open element: whether it is a quote

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name.lower(): value or "" for name, value in attrs}
        classes = set(found.get("class", "").split())
        if tag not in ("br", "img", "hr", "meta", "link", "input"):
            self.open.append("quote-inline" in classes)
        if tag != "a" or any(self.open[:-1]):
            return
        if classes & SKIPPED_CLASSES or "tag" in found.get("rel", "").lower().split():
            return
        if found.get("href", "").strip():
            self.links.append(found["href"].strip())

    def handle_endtag(self, tag: str) -> None:
        if tag not in ("br", "img", "hr", "meta", "link", "input") and self.open:
            self.open.pop()


def netloc(url: str) -> str:
    try:
        parts = urlsplit(url)
        return f"{(parts.hostname or '').lower()}{f':{parts.port}' if parts.port else ''}"
    except ValueError:
        return ""


def first_link(status: Status) -> str | None:
    """The link the card is made for, or None."""
    finder = LinkFinder()
    finder.feed(status.content)
    finder.close()
    own = {settings.FEDIVERSE_DOMAIN.lower()}
    if not status.local:
        own.add(netloc(status.uri))
    mentioned = {m.account.url for m in status.mentions.select_related("account")} - {""}
    for link in finder.links:
        fits = len(link.encode()) <= MAX_URL_BYTES  # the unique index on URLs holds this
        if fits and card_pages.web_url(link) and netloc(link) not in own and link not in mentioned:
            return link
    return None


def domain_of(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def is_blocked(domain: str) -> bool:
    """Blocked here, or a subdomain of a blocked domain."""
    labels = domain.split(".")
    candidates = {".".join(labels[i:]) for i in range(len(labels))}
    return PreviewCardDomainBlock.objects.filter(domain__in=candidates).exists()


def cards_enabled() -> bool:
    return bool(settings.PREVIEW_CARDS) and InstanceSettings.current().preview_cards


def schedule_card(status: Status) -> None:
    """Inside the transaction that stores or edits the post; the task runs on commit."""
    if not settings.PREVIEW_CARDS or status.reblog_id is not None:
        return
    from timelines.tasks import fetch_preview_card

    # With the other outbound fetches of media: a slow site must not hold up the default
    # queue, which carries the streaming events.
    enqueue(fetch_preview_card, status.pk, queue="media")


def is_stale(card: PreviewCard) -> bool:
    return card.fetched_at is None or card.fetched_at < timezone.now() - STALE_AFTER


def do_fetch_card(*, status_id: int) -> PreviewCard | None:
    """Give the post the card of its first link, reading the page if no fresh card is
    known; a post whose link went away in an edit loses its card."""
    status = Status.objects.select_related("account").filter(pk=status_id).first()
    if status is None or status.reblog_id is not None or not cards_enabled():
        return None
    url = first_link(status)
    if url is None or is_blocked(domain_of(url)):
        _detach(status)
        return None
    card = PreviewCard.objects.filter(url=url).first()
    if card is None or is_stale(card):
        card = read_card(url, card) or card
    if card is None:
        return None
    _attach(status, card, url)
    return card


def read_card(url: str, known: PreviewCard | None) -> PreviewCard | None:
    """Read the page and store its card (a new one, or `known` refreshed); None when the
    page cannot be had or says nothing to show."""
    data = read_page(url)
    if data is None or not (data.title or data.description or data.html or data.embed_url):
        return None
    picture = cache_card_image(data.image_url) if data.image_url else None
    fields = asdict(data)
    image_url = fields.pop("image_url")
    fields.update(domain=domain_of(url), fetched_at=timezone.now(), blurhash="")
    if picture is not None:
        fields.update(image=picture.name, blurhash=picture.blurhash)
        if data.type == "link":
            fields.update(width=picture.width, height=picture.height)
    elif image_url and known is not None:
        fields.update(image=known.image.name, blurhash=known.blurhash)
    else:
        fields["image"] = ""
    return _store_card(url, fields, picture.name if picture else "")


def _store_card(url: str, fields: dict[str, Any], new_image: str) -> PreviewCard | None:
    try:
        with transaction.atomic():
            card, created = PreviewCard.objects.select_for_update().get_or_create(
                url=url, defaults=fields
            )
            if not created:
                old_image = card.image.name or ""
                for name, value in fields.items():
                    setattr(card, name, value)
                card.save()
                if old_image and old_image != card.image.name:
                    storage.delete_on_commit(old_image)
    except IntegrityError:
        storage.delete(new_image)
        return PreviewCard.objects.filter(url=url).first()
    return card


def read_page(url: str) -> card_pages.CardData | None:
    limits = http.Limits(total=fetch_timeout(), max_bytes=PAGE_BYTES)
    try:
        response = http.get(url, accept="text/html", limits=limits)
    except http.FetchError as error:
        logger.info("no card for %s: %s", url, error)
        return None
    if not response.ok or response.content_type not in HTML_TYPES:
        logger.info("no card for %s: %s %s", url, response.status, response.content_type)
        return None
    text = card_pages.decode_page(response.body, response.headers.get("content-type", ""))
    tags = card_pages.read_page(text, response.url)
    data = card_pages.card_from_tags(tags, response.url)
    if tags.oembed_url:
        _read_oembed(data, tags.oembed_url, response.url, limits)
    if not data.provider_name:
        data.provider_name = domain_of(response.url)
    return data


def _read_oembed(
    data: card_pages.CardData, endpoint: str, page_url: str, limits: http.Limits
) -> None:
    try:
        answer = http.get(endpoint, accept="application/json", limits=limits)
    except http.FetchError as error:
        logger.info("oEmbed %s not read: %s", endpoint, error)
        return
    if answer.ok:
        card_pages.apply_oembed(data, answer.body, page_url=page_url, endpoint=answer.url)


def _attach(status: Status, card: PreviewCard, url: str) -> None:
    with transaction.atomic():
        locked = Status.objects.select_for_update().filter(pk=status.pk).first()
        if locked is None:
            return
        link = PreviewCardStatus.objects.filter(status=locked).first()
        if link is not None and link.card_id == card.pk:
            return
        PreviewCardStatus.objects.update_or_create(
            status=locked, defaults={"card": card, "url": url}
        )
        streaming_events.schedule_status(locked, edited=True)


def _detach(status: Status) -> None:
    with transaction.atomic():
        removed, _ = PreviewCardStatus.objects.filter(status=status).delete()
        if removed:
            streaming_events.schedule_status(status, edited=True)


def check_preview_domain(domain: str) -> str:
    """The domain as stored (lower case, IDNA), or ValidationError."""
    cleaned = domain.strip().lower().rstrip(".")
    try:
        cleaned = cleaned.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise ValidationError("This is not a domain name.", code="invalid") from error
    if not DOMAIN_RE.fullmatch(cleaned) or len(cleaned) > 253:
        raise ValidationError("This is not a domain name.", code="invalid")
    return cleaned


def do_block_preview_domain(*, domain: str) -> PreviewCardDomainBlock:
    """No more previews of that domain or its subdomains; the cards already made go too."""
    domain = check_preview_domain(domain)
    with transaction.atomic():
        block, _ = PreviewCardDomainBlock.objects.get_or_create(domain=domain)
        cards = PreviewCard.objects.filter(Q(domain=domain) | Q(domain__endswith="." + domain))
        storage.delete_on_commit(*cards.exclude(image="").values_list("image", flat=True))
        cards.delete()
    return block
