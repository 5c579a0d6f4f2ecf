from django.urls import path

from media import views

urlpatterns = [
    path("media_proxy/<int:media_id>/<str:style>", views.media_proxy, name="media_proxy"),
]
