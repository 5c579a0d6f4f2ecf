from fediverse.api.routes import api, flatten
from moderation.api import announcements, reports

urlpatterns = flatten(
    api("api/v1/reports", reports.ReportsView),
    api("api/v1/announcements", announcements.AnnouncementsView),
    api("api/v1/announcements/<str:pk>/dismiss", announcements.DismissAnnouncementView),
    api(
        "api/v1/announcements/<str:pk>/reactions/<str:name>",
        announcements.AnnouncementReactionView,
    ),
)
