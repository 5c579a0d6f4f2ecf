import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fediverse.settings")

app = Celery("herd")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Queues named in the design: deliveries, inbox processing, fan-out and media each get their
# own workers in production so that a flood in one never starves the others.
QUEUES = ("default", "push", "ingress", "fanout", "media", "scheduler")
