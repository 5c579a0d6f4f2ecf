from fediverse.api.routes import api, flatten
from media.api import views

urlpatterns = flatten(
    api("api/v1/media", views.MediaV1View),
    api("api/v2/media", views.MediaV2View),
    api("api/v1/media/<str:media_id>", views.MediaView),
)
