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
    # Anything else under /api/ is a JSON 404, never an HTML page.
    re_path(r"^api/", api_not_found),
]
