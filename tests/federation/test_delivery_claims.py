"""Workers attempting the inboxes of one activity at the same moment each get their own
delivery: a worker holding one delivery does not keep the others from being claimed."""

from __future__ import annotations

import threading

from django.db import connection, transaction

from federation.delivery import _claim
from federation.models import Delivery, OutgoingActivity


def test_a_claimed_delivery_leaves_its_siblings_claimable() -> None:
    activity = OutgoingActivity.objects.create(body="{}", key_id="k", private_key="p")
    first, second = (
        Delivery.objects.create(activity=activity, inbox_url=url, domain=host)
        for url, host in (("http://a.test/inbox", "a.test"), ("http://b.test/inbox", "b.test"))
    )
    holding, release = threading.Event(), threading.Event()

    def other_worker() -> None:
        # What a worker attempting the first inbox held: its delivery and, joined to it, the
        # shared activity.
        try:
            with transaction.atomic():
                claimed = (
                    Delivery.objects.select_for_update().select_related("activity").get(pk=first.pk)
                )
                assert claimed.activity_id == activity.pk
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    worker = threading.Thread(target=other_worker)
    worker.start()
    try:
        assert holding.wait(10)
        row = _claim(second.pk)
        assert row is not None and row.pk == second.pk and row.attempts == 1
        # The row the other worker holds is skipped, not waited for.
        assert _claim(first.pk) is None
    finally:
        release.set()
        worker.join(10)
