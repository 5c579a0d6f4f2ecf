from django.urls import path

from moderation import views, views_disputes, views_report

urlpatterns = [
    path("about", views.about, name="about"),
    path("privacy-policy", views.privacy_policy, name="privacy_policy"),
    path("terms-of-service", views.terms_of_service, name="terms_of_service"),
    path("invites", views.invites, name="invites"),
    path("invites/<int:invite_id>/expire", views.expire_invite, name="expire_invite"),
    path("disputes", views_disputes.disputes, name="disputes"),
    path("report", views_report.report, name="report"),
    path("disputes/<int:strike_id>", views_disputes.dispute, name="dispute"),
]
