"""{% herd_dashboard as figures %}: the admin index's figures, computed only for staff."""

from typing import Any

from django import template

from moderation.services.dashboard import Dashboard, dashboard

register = template.Library()


@register.simple_tag(takes_context=True)
def herd_dashboard(context: dict[str, Any]) -> Dashboard | None:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not (user.is_active and user.is_staff):
        return None
    return dashboard()
