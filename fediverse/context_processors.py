from typing import Any

from django.http import HttpRequest

from moderation.models import InstanceSettings


def instance(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    viewer = user.account if user.is_authenticated else None  # type: ignore[union-attr]
    return {"instance": InstanceSettings.current(), "viewer": viewer}
