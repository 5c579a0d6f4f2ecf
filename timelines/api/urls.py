from fediverse.api.routes import api, flatten
from timelines.api import views

urlpatterns = flatten(
    api("api/v1/statuses", views.StatusesView),
    api("api/v1/statuses/<str:status_id>", views.StatusView),
    api("api/v1/timelines/home", views.HomeTimelineView),
    api("api/v1/timelines/public", views.PublicTimelineView),
    api("api/v1/timelines/tag/<str:hashtag>", views.TagTimelineView),
)
