from django.urls import include, path, re_path

from fediverse.api import instance
from fediverse.api.errors import api_not_found
from fediverse.api.routes import api, flatten

urlpatterns = [
    *flatten(
        api("api/v1/instance", instance.InstanceV1View),
        api("api/v2/instance", instance.InstanceV2View),
    ),
    path("", include("accounts.api.urls")),
    path("", include("timelines.api.urls")),
    # One URL module per endpoint family, each owned by its own views module.
    path("", include("accounts.api.urls_relations")),
    path("", include("timelines.api.urls_statuses")),
    path("", include("timelines.api.urls_notifications")),
    path("", include("timelines.api.urls_lists")),
    path("", include("moderation.api.urls")),
    # Anything else under /api/ is a JSON 404, never an HTML page.
    re_path(r"^api/", api_not_found),
]
