from django.urls import path

from moderation import views

urlpatterns = [
    path("about", views.about, name="about"),
    path("invites", views.invites, name="invites"),
    path("invites/<int:invite_id>/expire", views.expire_invite, name="expire_invite"),
]
