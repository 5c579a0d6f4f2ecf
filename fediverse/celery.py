import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fediverse.settings")

app = Celery("herd")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Queues named in the design: deliveries, inbox processing, fan-out and media each get their
# own workers in production so that a flood in one never starves the others.
QUEUES = ("default", "push", "ingress", "fanout", "media", "scheduler")

# Periodic work, on the scheduler queue. Each entry is merged in, so apps can add their own.
app.conf.beat_schedule = {
    **(app.conf.beat_schedule or {}),
    # Deliveries whose retry time has come; the schedule itself lives in PostgreSQL.
    "deliver-due-activities": {
        "task": "federation.tasks.deliver_due",
        "schedule": 60.0,
        "options": {"queue": "push"},
    },
    "close-expired-polls": {
        "task": "timelines.tasks.close_expired_polls",
        "schedule": 60.0,
        "options": {"queue": "scheduler"},
    },
    "publish-scheduled-statuses": {
        "task": "timelines.tasks.publish_scheduled_statuses",
        "schedule": 60.0,
        "options": {"queue": "scheduler"},
    },
    # Uploads nobody posted within a day, and remote media past the admin's retention.
    "remove-unattached-media": {
        "task": "media.tasks.remove_unattached_media",
        "schedule": 3600.0,
        "options": {"queue": "media"},
    },
    # Archive imports whose worker died are queued again; archives past 7 days are removed.
    "resume-stalled-imports": {
        "task": "timelines.tasks.resume_stalled_imports",
        "schedule": 600.0,
        "options": {"queue": "scheduler"},
    },
    "remove-expired-backups": {
        "task": "timelines.tasks.remove_expired_backups",
        "schedule": 3600.0,
        "options": {"queue": "scheduler"},
    },
    # Suspensions become final after their grace period: the account's data is deleted.
    "purge-expired-suspensions": {
        "task": "moderation.tasks.purge_expired_suspensions",
        "schedule": 3600.0,
        "options": {"queue": "scheduler"},
    },
    "purge-remote-media-cache": {
        "task": "media.tasks.purge_remote_media_cache",
        "schedule": 3600.0,
        "options": {"queue": "media"},
    },
}
