from django.contrib import admin
from django.urls import include, path, re_path

from fediverse import views
from media.views import serve_media

urlpatterns = [
    path("health", views.health, name="health"),
    path("admin/", admin.site.urls),
    path("", include("accounts.oauth.urls")),
    path("", include("timelines.urls_feeds")),
    path("", include("fediverse.api.urls")),
    path("", include("federation.urls")),
    path("", include("media.urls")),
    path("", include("accounts.urls")),
    path("", include("moderation.urls")),
    path("", include("timelines.urls")),
    re_path(r"^system/(?P<path>.+)$", serve_media, name="media"),
]
