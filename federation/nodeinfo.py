"""NodeInfo 2.0 and 2.1, with usage figures counted from the database and `openRegistrations`
following the registration mode."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.models import User
from fediverse import uris
from moderation.models import InstanceSettings, RegistrationMode
from timelines.models import Status

SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/{version}"
VERSIONS = ("2.0", "2.1")
CACHE_SECONDS = 30 * 60


@require_safe
def discovery(request: HttpRequest) -> HttpResponse:
    links = [
        {"rel": SCHEMA.format(version=v), "href": uris.absolute(f"/nodeinfo/{v}")} for v in VERSIONS
    ]
    return JsonResponse({"links": links})


def active_users(days: int) -> int:
    """Users seen in the period (last_active_at) or who posted in it."""
    since = timezone.now() - timedelta(days=days)
    return (
        User.objects.filter(disabled=False)
        .filter(Q(last_active_at__gte=since) | Q(account__statuses__created_at__gte=since))
        .distinct()
        .count()
    )


def usage() -> dict[str, Any]:
    return {
        "users": {
            "total": User.objects.filter(disabled=False).count(),
            "activeMonth": active_users(30),
            "activeHalfyear": active_users(180),
        },
        "localPosts": Status.objects.filter(local=True, reblog__isnull=True).count(),
    }


def document(version: str) -> dict[str, Any]:
    instance = InstanceSettings.current()
    software: dict[str, str] = {"name": "herd", "version": settings.HERD_VERSION}
    if version == "2.1":
        if settings.SOURCE_URL:
            software["repository"] = settings.SOURCE_URL
        software["homepage"] = settings.SOURCE_URL or uris.base_url()
    return {
        "version": version,
        "software": software,
        "protocols": ["activitypub"],
        "services": {"outbound": [], "inbound": []},
        "usage": usage(),
        "openRegistrations": instance.registrations_mode != RegistrationMode.NONE,
        "metadata": {"nodeName": instance.title, "nodeDescription": instance.short_description},
    }


@require_safe
def nodeinfo(request: HttpRequest, version: str) -> HttpResponse:
    content_type = f'application/json; profile="{SCHEMA.format(version=version)}#"'
    response = HttpResponse(json.dumps(document(version)), content_type=content_type)
    response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
    return response
