"""The one way to schedule a side effect (delivery, fan-out, notification, email): the task is
enqueued when the surrounding transaction commits, so a rolled-back request sends nothing.
Arguments go through JSON even when tasks run eagerly, as they would through the broker."""

import json
from typing import Any

from celery import Task
from django.db import transaction


def enqueue(task: Task, *args: Any, queue: str | None = None, **kwargs: Any) -> None:
    args = json.loads(json.dumps(args))
    kwargs = json.loads(json.dumps(kwargs))
    options = {"queue": queue} if queue else {}

    def send() -> None:
        task.apply_async(args=args, kwargs=kwargs, **options)

    transaction.on_commit(send)
