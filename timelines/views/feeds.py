"""RSS 2.0 feeds of a local profile's and of a hashtag's public posts, as Mastodon offers them
at /@username.rss and /tags/name.rss: the newest posts, the first attachment as the item's
enclosure and every attachment as a Media RSS entry, the avatar as the channel's image."""

from __future__ import annotations

from email.utils import format_datetime
from html import escape
from xml.etree import ElementTree as ET

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from accounts.api.serializers import avatar_url
from accounts.models import Account
from accounts.selectors import listable_q
from fediverse import uris
from fediverse.formatting import emojify
from media.api.serializers import original_url
from media.models import MediaAttachment
from moderation.models import CustomEmoji, InstanceSettings
from moderation.selectors_emojis import page_emojis
from timelines.models import Status, Visibility
from timelines.selectors import account_statuses, hydrate, tag_timeline

PAGE_SIZE = 20
PAGE_SIZE_MAX = 200  # Mastodon's bounds for ?limit on its feeds
MEDIA_RSS = "http://search.yahoo.com/mrss/"
ATOM = "http://www.w3.org/2005/Atom"
CONTENT_TYPE = "application/rss+xml; charset=utf-8"
ET.register_namespace("media", MEDIA_RSS)
ET.register_namespace("atom", ATOM)


def _limit(request: HttpRequest) -> int:
    raw = request.GET.get("limit", "")
    return max(1, min(int(raw), PAGE_SIZE_MAX)) if raw.isdigit() else PAGE_SIZE


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attributes)
    element.text = text
    return element


def _description(status: Status, emojis: list[CustomEmoji]) -> str:
    """The post's HTML, its content warning first, custom emoji as images."""
    images = {e.shortcode: uris.absolute(e.image.url) for e in emojis if e.image}
    warning = emojify(f"<p>CW: {escape(status.spoiler_text, quote=False)}</p>", images)
    return (warning if status.spoiler_text else "") + emojify(status.content, images)


def _media(item: ET.Element, status: Status, media: MediaAttachment) -> None:
    url = original_url(media)
    if not url:
        return
    content = ET.SubElement(
        item,
        f"{{{MEDIA_RSS}}}content",
        {"url": url, "type": media.file_content_type, "fileSize": str(media.file_size or 0)},
    )
    content.set("medium", "image" if media.type == "gifv" else media.type)
    _text(content, f"{{{MEDIA_RSS}}}rating", "adult" if status.sensitive else "nonadult")
    if media.description:
        _text(content, f"{{{MEDIA_RSS}}}description", media.description, type="plain")


def _item(channel: ET.Element, status: Status, emojis: list[CustomEmoji]) -> None:
    item = ET.SubElement(channel, "item")
    link = status.url or uris.status_url(status.account.username, status.pk)
    _text(item, "title", status.created_at.strftime("%d %b %Y, %H:%M"))
    _text(item, "link", link)
    _text(item, "guid", link, isPermaLink="true")
    _text(item, "pubDate", format_datetime(status.created_at, usegmt=True))
    _text(item, "description", _description(status, emojis))
    attachments = [m for m in status.media_attachments.all() if original_url(m)]
    if attachments:
        first = attachments[0]
        ET.SubElement(
            item,
            "enclosure",
            {
                "url": original_url(first) or "",
                "type": first.file_content_type or "application/octet-stream",
                "length": str(first.file_size or 0),
            },
        )
    for media in attachments:
        _media(item, status, media)
    for tag in status.tags.all():
        _text(item, "category", tag.name)


def _feed(
    title: str, description: str, link: str, image: str | None, statuses: list[Status]
) -> bytes:
    rss = ET.Element("rss", {"version": "2.0"})
    channel = ET.SubElement(rss, "channel")
    _text(channel, "title", title)
    _text(channel, "description", description)
    _text(channel, "link", link)
    if image:
        picture = ET.SubElement(channel, "image")
        _text(picture, "url", image)
        _text(picture, "title", title)
        _text(picture, "link", link)
    if statuses:
        _text(channel, "lastBuildDate", format_datetime(statuses[0].created_at, usegmt=True))
    _text(channel, "generator", "Herd")
    emojis = page_emojis(statuses).statuses
    for status in statuses:
        _item(channel, status, emojis.get(status.pk, []))
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(rss, encoding="utf-8")


def _response(document: bytes) -> HttpResponse:
    response = HttpResponse(document, content_type=CONTENT_TYPE)
    patch_cache_control(response, public=True, max_age=60)
    return response


def _newest(qs: QuerySet[Status], limit: int) -> list[Status]:
    public = qs.filter(visibility=Visibility.PUBLIC, reblog__isnull=True)
    return list(hydrate(public).order_by("-id")[:limit])


@require_safe
def account_feed(request: HttpRequest, username: str) -> HttpResponse:
    """A local account's public posts and its replies to itself, without boosts."""
    account = Account.objects.filter(
        listable_q(), username__iexact=username, domain__isnull=True
    ).first()
    if account is None:
        raise Http404("No such account")
    statuses = _newest(account_statuses(None, account), _limit(request))
    title = account.display_name or account.username
    link = uris.account_url(account.username)
    description = f"Public posts from @{account.username}@{uris.base_url().split('://', 1)[1]}"
    return _response(_feed(title, description, link, avatar_url(account), statuses))


@require_safe
def tag_feed(request: HttpRequest, name: str) -> HttpResponse:
    statuses = _newest(tag_timeline(None, name), _limit(request))
    site = InstanceSettings.current().title
    description = f"Public posts tagged #{name} on {site}"
    return _response(_feed(f"#{name}", description, uris.tag_url(name), None, statuses))
