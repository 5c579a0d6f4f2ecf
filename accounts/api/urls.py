from accounts.api import credentials, discovery, relations, views
from accounts.oauth import apps
from fediverse.api.routes import api, flatten

urlpatterns = flatten(
    api("api/v1/apps", apps.AppsView),
    api("api/v1/apps/verify_credentials", apps.VerifyAppView),
    api("api/v1/accounts/verify_credentials", views.VerifyCredentialsView),
    # Fixed paths first: the id route below would take them for account ids.
    api("api/v1/accounts", credentials.AccountsView),
    api("api/v1/accounts/update_credentials", credentials.UpdateCredentialsView),
    api("api/v1/accounts/relationships", relations.RelationshipsView),
    api("api/v1/accounts/familiar_followers", relations.FamiliarFollowersView),
    api("api/v1/accounts/lookup", discovery.LookupView),
    api("api/v1/accounts/search", discovery.SearchView),
    api("api/v1/accounts/<str:account_id>", views.AccountView),
    api("api/v1/accounts/<str:account_id>/statuses", views.AccountStatusesView),
)
