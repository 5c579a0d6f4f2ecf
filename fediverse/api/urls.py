from django.urls import include, path, re_path

from fediverse.api import instance, instance_extra
from fediverse.api.errors import api_not_found
from fediverse.api.routes import api, flatten

urlpatterns = [
    *flatten(
        api("api/v1/instance", instance.InstanceV1View),
        api("api/v2/instance", instance.InstanceV2View),
        api("api/v1/instance/peers", instance_extra.PeersView),
        api("api/v1/instance/activity", instance_extra.ActivityView),
        api("api/v1/instance/rules", instance_extra.RulesView),
        api("api/v1/instance/domain_blocks", instance_extra.DomainBlocksView),
        api("api/v1/instance/extended_description", instance_extra.ExtendedDescriptionView),
        api("api/v1/instance/privacy_policy", instance_extra.PrivacyPolicyView),
        api("api/v1/instance/terms_of_service", instance_extra.TermsOfServiceView),
        api("api/v1/instance/terms_of_service/<str:date>", instance_extra.TermsOfServiceView),
        api("api/v1/instance/languages", instance_extra.LanguagesView),
        api("api/v1/instance/translation_languages", instance_extra.TranslationLanguagesView),
        api("api/v1/custom_emojis", instance_extra.CustomEmojisView),
    ),
    path("", include("accounts.api.urls")),
    path("", include("timelines.api.urls")),
    # One URL module per endpoint family, each owned by its own views module.
    path("", include("accounts.api.urls_relations")),
    path("", include("timelines.api.urls_statuses")),
    path("", include("timelines.api.urls_notifications")),
    path("", include("timelines.api.urls_lists")),
    path("", include("moderation.api.urls")),
    path("", include("media.api.urls")),
    # Anything else under /api/ is a JSON 404, never an HTML page.
    re_path(r"^api/", api_not_found),
]
