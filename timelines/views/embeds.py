"""A public post's embeddable page (/@username/<id>/embed, shown in other sites' iframes) and
the oEmbed answer (/api/oembed?url=...) that tells those sites how to embed it."""

from __future__ import annotations

import re
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from accounts.api.serializers import avatar_url
from accounts.models import Account
from accounts.selectors import listable_q
from fediverse import uris
from moderation.models import InstanceSettings
from moderation.selectors_emojis import page_emojis
from timelines.models import Status, Visibility
from timelines.selectors import hydrate

DEFAULT_WIDTH = 400  # Mastodon's, when the consumer gives no maxwidth
CACHE_AGE = 86_400


def embeddable_status(username: str, status_id: int) -> Status | None:
    """A local account's public post; anything else is not embeddable, and answers missing."""
    account = Account.objects.filter(
        listable_q(), username__iexact=username, domain__isnull=True
    ).first()
    if account is None:
        return None
    found = Status.objects.filter(
        pk=status_id, account=account, visibility=Visibility.PUBLIC, reblog__isnull=True
    )
    return hydrate(found).first()


def status_for_url(url: str) -> Status | None:
    """The post a URL of this server names, in either of the forms Mastodon gives it."""
    base = re.escape(uris.base_url())
    pattern = rf"^{base}/(?:@(?P<at>[\w.-]+)|users/(?P<user>[\w.-]+)/statuses)/(?P<id>\d+)/?$"
    match = re.match(pattern, url.strip())
    if match is None or len(match["id"]) > 19:
        return None
    return embeddable_status(match["at"] or match["user"], int(match["id"]))


def embed_url(status: Status) -> str:
    return f"{uris.status_url(status.account.username, status.pk)}/embed"


def oembed_entity(status: Status, width: int, height: int | None) -> dict[str, Any]:
    account = status.account
    html = format_html(
        '<iframe src="{}" class="herd-embed" style="max-width: 100%; border: 0" '
        'width="{}"{} allowfullscreen="allowfullscreen"></iframe>',
        embed_url(status),
        width,
        format_html(' height="{}"', height) if height is not None else "",
    )
    return {
        "type": "rich",
        "version": "1.0",
        "author_name": account.display_name or account.username,
        "author_url": uris.account_url(account.username),
        "provider_name": InstanceSettings.current().title,
        "provider_url": uris.base_url() + "/",
        "cache_age": CACHE_AGE,
        "html": str(html),
        "width": width,
        "height": height,
    }


@xframe_options_exempt
@require_safe
def embed(request: HttpRequest, username: str, status_id: int) -> HttpResponse:
    """The post alone, without the site around it, for other sites to frame."""
    status = embeddable_status(username, status_id)
    if status is None:
        raise Http404("No such post")
    emojis = page_emojis([status])
    context = {
        "status": status,
        "avatar": avatar_url(status.account),
        "emojis": emojis.statuses.get(status.pk),
        "author_emojis": emojis.accounts.get(status.account_id),
        "status_url": uris.status_url(status.account.username, status.pk),
    }
    response = render(request, "timelines/embed.html", context)
    # Any site may frame it, as Mastodon's embeds allow.
    response["Content-Security-Policy"] = "frame-ancestors *"
    return response
