from typing import Any

from django.http import HttpRequest

from moderation.models import InstanceSettings
from moderation.selectors import unread_strikes


def instance(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    viewer = user.account if user.is_authenticated else None  # type: ignore[union-attr]
    return {
        "instance": InstanceSettings.current(),
        "viewer": viewer,
        "unread_strikes": unread_strikes(viewer) if viewer is not None else [],
    }
