from django.urls import path, re_path

from accounts.views import auth, data, migration, profiles
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
    path("settings/export", data.export_page, name="settings_export"),
    path("settings/exports/<slug:slug>.csv", data.export_csv, name="settings_export_csv"),
    path("settings/import", data.import_page, name="settings_import"),
    path("settings/import/<int:import_id>", data.import_detail, name="settings_import_detail"),
    path("settings/aliases", migration.aliases, name="settings_aliases"),
    path("settings/aliases/remove", migration.remove_alias, name="settings_alias_remove"),
    path("settings/migration", migration.move, name="settings_migration"),
    path("settings/migration/cancel", migration.cancel_move, name="settings_migration_cancel"),
    path("settings/delete", migration.delete_account, name="settings_delete"),
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
