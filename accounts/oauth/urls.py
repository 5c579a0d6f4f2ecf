from django.urls import path

from accounts.oauth import apps, views
from accounts.views import applications
from fediverse.api.routes import api, flatten

urlpatterns = [
    path("oauth/authorize", views.AuthorizeView.as_view(), name="authorize"),
    path("oauth/token", views.TokenView.as_view(), name="token"),
    path("oauth/revoke", views.RevokeView.as_view(), name="revoke"),
    *flatten(api("oauth/userinfo", apps.UserInfoView)),
    path(".well-known/oauth-authorization-server", views.authorization_server_metadata),
    path("oauth/authorized_applications", applications.authorized_applications),
    path(
        "oauth/authorized_applications/<int:application_id>/revoke",
        applications.revoke_application,
    ),
]
