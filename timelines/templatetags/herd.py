from datetime import datetime, timedelta
from typing import Any

from django import template
from django.templatetags.static import static
from django.utils import timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from accounts.models import Account
from fediverse.formatting import emojify as emojify_html
from media import storage
from moderation.models import CustomEmoji
from timelines.models import PreviewCard, Status
from timelines.selectors import StatusFacts

register = template.Library()


@register.filter
def avatar_url(account: Account) -> str:
    return account.avatar.url if account.avatar else static("herd/avatar.png")


@register.filter
def card_image_url(card: PreviewCard) -> str:
    return storage.url(card.image.name or "", absolute=False) or ""


@register.filter
def ago(moment: datetime) -> str:
    if timezone.now() - moment < timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment)} ago"


@register.filter
def html(content: str) -> SafeString:
    """Status and bio HTML is built by our formatter or passed through the sanitiser on the
    way in, so it is stored safe."""
    return mark_safe(content)  # noqa: S308


@register.filter
def emojify(text: str, emojis: list[CustomEmoji] | None) -> SafeString:
    """`:shortcode:` of the given custom emoji shown as images: plain text is escaped first,
    HTML marked safe (the `html` filter's output) is taken as it is."""
    images = {e.shortcode: e.image.url for e in emojis or () if e.image}
    return mark_safe(emojify_html(conditional_escape(text), images))  # noqa: S308


@register.inclusion_tag("timelines/_status.html", takes_context=True)
def status_card(
    context: dict[str, Any], status: Status, facts: StatusFacts, focus: bool = False
) -> dict[str, Any]:
    shown = status.reblog if status.reblog_id else status
    assert shown is not None
    key = shown.pk
    return {
        "status": shown,
        "boosted_by": status.account if status.reblog_id else None,
        "replies": facts.replies.get(key, 0),
        "reblogs": facts.reblogs.get(key, 0),
        "favourites": facts.favourites.get(key, 0),
        "favourited": key in facts.favourited,
        "reblogged": key in facts.reblogged,
        "bookmarked": key in facts.bookmarked,
        "card": facts.cards.get(key),
        "emojis": facts.emojis.statuses.get(key),
        "author_emojis": facts.emojis.accounts.get(shown.account_id),
        "viewer": context.get("viewer"),
        "csrf_token": context.get("csrf_token"),
        "request": context.get("request"),
        "focus": focus,
        "can_reblog": shown.visibility in ("public", "unlisted")
        or (shown.visibility == "private" and context.get("viewer") == shown.account),
    }
