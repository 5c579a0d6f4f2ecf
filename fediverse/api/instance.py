"""The instance API: what apps read before anything else (limits, registrations, rules)."""

from typing import Any

from django.conf import settings
from django.templatetags.static import static
from rest_framework.request import Request
from rest_framework.response import Response

from fediverse import uris, vapid
from fediverse.api.views import ApiView, public
from moderation.models import InstanceSettings, RegistrationMode, Rule
from timelines.services import polls

MAX_MEDIA_ATTACHMENTS = 4
MAX_FEATURED_TAGS = 10
MAX_PROFILE_FIELDS = 4
IMAGE_SIZE_LIMIT = 16 * 1024 * 1024
IMAGE_MATRIX_LIMIT = 33_177_600
VIDEO_SIZE_LIMIT = 99 * 1024 * 1024
VIDEO_FRAME_RATE_LIMIT = 120
VIDEO_MATRIX_LIMIT = 8_294_400
SUPPORTED_MIME_TYPES = [
    "image/jpeg", "image/png", "image/gif", "image/heic", "image/heif", "image/webp",
    "image/avif", "video/webm", "video/mp4", "video/quicktime", "video/ogg", "audio/wave",
    "audio/wav", "audio/x-wav", "audio/x-pn-wave", "audio/vnd.wave", "audio/ogg",
    "audio/vorbis", "audio/mpeg", "audio/mp3", "audio/webm", "audio/flac", "audio/aac",
    "audio/m4a", "audio/x-m4a", "audio/mp4", "audio/3gpp", "video/x-ms-asf",
]  # fmt: skip


def version_string() -> str:
    return f"{settings.MASTODON_API_VERSION} (compatible; Herd {settings.HERD_VERSION})"


def domain() -> str:
    return settings.FEDIVERSE_DOMAIN


def rule_entities() -> list[dict[str, Any]]:
    return [{"id": str(r.pk), "text": r.text, "hint": r.hint} for r in Rule.objects.all()]


def contact_account(instance: InstanceSettings) -> dict[str, Any] | None:
    if instance.contact_account is None:
        return None
    from accounts.api.serializers import AccountSerializer
    from accounts.selectors import account_stats

    account = instance.contact_account
    return AccountSerializer(account, context={"stats": account_stats([account])}).data


def configuration(instance: InstanceSettings) -> dict[str, Any]:
    return {
        "urls": {
            "streaming": settings.STREAMING_API_BASE_URL
            or f"{'wss' if settings.FEDIVERSE_HTTPS else 'ws'}://{domain()}",
            "status": None,
            "about": uris.absolute("/about"),
            "privacy_policy": uris.absolute("/privacy-policy"),
            "terms_of_service": None,
        },  # fmt: skip
        "vapid": {"public_key": vapid.public_key()},
        "accounts": {
            "max_featured_tags": MAX_FEATURED_TAGS,
            "max_pinned_statuses": 5,
            "max_profile_fields": MAX_PROFILE_FIELDS,
        },  # fmt: skip
        "statuses": {
            "max_characters": instance.character_limit,
            "max_media_attachments": MAX_MEDIA_ATTACHMENTS,
            "characters_reserved_per_url": 23,
        },
        "media_attachments": {
            "supported_mime_types": SUPPORTED_MIME_TYPES,
            "description_limit": 1500,
            "image_size_limit": IMAGE_SIZE_LIMIT,
            "image_matrix_limit": IMAGE_MATRIX_LIMIT,
            "video_size_limit": VIDEO_SIZE_LIMIT,
            "video_frame_rate_limit": VIDEO_FRAME_RATE_LIMIT,
            "video_matrix_limit": VIDEO_MATRIX_LIMIT,
        },
        "polls": {
            "max_options": polls.MAX_OPTIONS,
            "max_characters_per_option": polls.MAX_OPTION_CHARS,
            "min_expiration": polls.MIN_EXPIRATION,
            "max_expiration": polls.MAX_EXPIRATION,
        },
        "translation": {"enabled": False},
        "timelines_access": {
            "live_feeds": {"local": "public", "remote": "public"},
            "hashtag_feeds": {"local": "public", "remote": "public"},
            "trending_link_feeds": {"local": "public", "remote": "public"},
        },
    }


def usage_figures() -> dict[str, int]:
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import User
    from timelines.models import Status

    month_ago = timezone.now() - timedelta(days=30)
    return {
        "users": User.objects.filter(disabled=False).count(),
        "active_month": User.objects.filter(last_active_at__gte=month_ago).count(),
        "statuses": Status.objects.filter(local=True).count(),
    }


class InstanceV2View(ApiView):
    access = {"GET": public()}
    authentication_classes: list[Any] = []

    def get(self, request: Request) -> Response:
        instance = InstanceSettings.current()
        figures = usage_figures()
        return Response(
            {
                "domain": domain(),
                "title": instance.title,
                "version": version_string(),
                "source_url": settings.SOURCE_URL,
                "description": instance.short_description,
                "usage": {"users": {"active_month": figures["active_month"]}},
                "thumbnail": {
                    "url": uris.absolute(static("herd/header.png")),
                    "blurhash": None,
                    "versions": {},
                },  # fmt: skip
                "icon": [{"src": uris.absolute(static("herd/avatar.png")), "size": "120x120"}],
                "languages": ["en"],
                "configuration": configuration(instance),
                "registrations": {
                    "enabled": instance.registrations_mode != RegistrationMode.NONE,
                    "approval_required": instance.registrations_mode == RegistrationMode.APPROVED,
                    "reason_required": instance.registrations_mode == RegistrationMode.APPROVED
                    and instance.require_sign_up_reason,
                    "message": None,
                    "url": None,
                    "min_age": None,
                },
                "api_versions": {"mastodon": 2},
                "contact": {
                    "email": instance.contact_email,
                    "account": contact_account(instance),
                },  # fmt: skip
                "rules": rule_entities(),
            }
        )


class InstanceV1View(ApiView):
    access = {"GET": public()}
    authentication_classes: list[Any] = []

    def get(self, request: Request) -> Response:
        instance = InstanceSettings.current()
        figures = usage_figures()
        config = configuration(instance)
        return Response(
            {
                "uri": domain(),
                "title": instance.title,
                "short_description": instance.short_description,
                "description": instance.description or instance.short_description,
                "email": instance.contact_email,
                "version": version_string(),
                "urls": {"streaming_api": config["urls"]["streaming"]},
                "stats": {
                    "user_count": figures["users"],
                    "status_count": figures["statuses"],
                    "domain_count": _domain_count(),
                },  # fmt: skip
                "thumbnail": uris.absolute(static("herd/header.png")),
                "languages": ["en"],
                "registrations": instance.registrations_mode != RegistrationMode.NONE,
                "approval_required": instance.registrations_mode == RegistrationMode.APPROVED,
                "invites_enabled": instance.users_can_invite,
                "configuration": {
                    k: config[k] for k in ("accounts", "statuses", "media_attachments", "polls")
                },  # fmt: skip
                "contact_account": contact_account(instance),
                "rules": rule_entities(),
            }
        )


def _domain_count() -> int:
    from accounts.models import Account

    return Account.objects.filter(domain__isnull=False).values("domain").distinct().count()
