from django.urls import path, re_path

from timelines.views import actions, archive, pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("public/local", pages.local_timeline, name="local_timeline"),
    path("public", pages.federated_timeline, name="federated_timeline"),
    path("tags/<str:name>", pages.tag, name="tag"),
    path("bookmarks", pages.bookmarks, name="bookmarks"),
    path("notifications", pages.notifications, name="notifications"),
    path("settings/archive", archive.archive_page, name="settings_archive"),
    path("settings/archive/export", archive.request_export, name="request_export"),
    path(
        "settings/archive/export/<int:backup_id>",
        archive.download_export,
        name="download_export",
    ),
    path("settings/archive/import", archive.start_import, name="start_import"),
    path("statuses", actions.create_status, name="create_status"),
    path("statuses/<int:status_id>/delete", actions.delete_status, name="delete_status"),
    path("statuses/<int:status_id>/<str:action>", actions.interact, name="interact"),
    re_path(
        r"^@(?P<acct>[\w.-]+(?:@[\w.:-]+)?)/(?P<status_id>\d+)$",
        pages.status_page,
        name="status",
    ),
]
