from accounts.api import views
from accounts.oauth import apps
from fediverse.api.routes import api, flatten

urlpatterns = flatten(
    api("api/v1/apps", apps.AppsView),
    api("api/v1/apps/verify_credentials", apps.VerifyAppView),
    api("api/v1/accounts/verify_credentials", views.VerifyCredentialsView),
    api("api/v1/accounts/<str:account_id>", views.AccountView),
    api("api/v1/accounts/<str:account_id>/statuses", views.AccountStatusesView),
)
