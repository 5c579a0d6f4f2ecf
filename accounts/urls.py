from django.urls import path, re_path

from accounts.views import auth, profiles
from accounts.views import settings as settings_views

ACCT = r"@(?P<acct>[\w.-]+(?:@[\w.:-]+)?)"

urlpatterns = [
    path("auth/sign_up", auth.sign_up, name="sign_up"),
    path("invite/<str:invite_code>", auth.sign_up, name="invite"),
    path("auth/confirmation", auth.confirm_email, name="confirm_email"),
    path("auth/sign_in", auth.sign_in, name="sign_in"),
    path("auth/sign_out", auth.sign_out, name="sign_out"),
    path("auth/password/new", auth.password_reset_request, name="password_reset"),
    path(
        "auth/password/edit/<str:uidb64>/<str:token>",
        auth.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("settings/profile", settings_views.edit_profile, name="settings_profile"),
    path("settings/account", settings_views.edit_account, name="settings_account"),
    path("follow_requests", profiles.follow_requests, name="follow_requests"),
    path(
        "follow_requests/<int:request_id>/<str:answer>",
        profiles.answer_follow_request,
        name="answer_follow_request",
    ),
    re_path(rf"^{ACCT}$", profiles.profile, name="profile"),
    re_path(rf"^{ACCT}/followers$", profiles.followers, name="followers"),
    re_path(rf"^{ACCT}/following$", profiles.following, name="following"),
    re_path(rf"^{ACCT}/follow$", profiles.follow, name="follow"),
    re_path(rf"^{ACCT}/unfollow$", profiles.unfollow, name="unfollow"),
]
