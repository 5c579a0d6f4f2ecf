"""Template filters for showing attachments in our own pages, with URLs relative to them."""

from django import template

from media.api.serializers import original_url, preview_url
from media.models import MediaAttachment

register = template.Library()


@register.filter
def media_url(media: MediaAttachment) -> str:
    return original_url(media, absolute=False) or ""


@register.filter
def media_preview_url(media: MediaAttachment) -> str:
    return preview_url(media, absolute=False) or original_url(media, absolute=False) or ""
