"""Imported posts show on the profile and in the outbox, stay out of followers' home feeds and
notifications, reach other servers only when asked, and an import cut short resumes."""

import json
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.utils import timezone

from accounts.models import Follow
from federation.resolve import resolve_account_url
from tests.federation.conftest import *  # noqa: F401,F403 - the remote actor fixtures
from tests.portability import archives as a
from tests.portability.conftest import last_import, upload
from timelines import feeds, selectors
from timelines.models import ImportedPost, JobState, Notification, PostImport, Status
from timelines.services import archive_import

ITEMS = [
    a.create(n, f"old post {n} @bob", f"2021-05-{n:02d}T08:00:00Z", in_reply_to=a.note_uri(n - 1))
    if n % 3 == 0
    else a.create(n, f"old post {n}", f"2021-05-{n:02d}T08:00:00Z")
    for n in range(1, 25)
]


def test_not_in_followers_home_nor_notifications(alice, bob, client_for) -> None:
    Follow.objects.create(account=bob.account, target_account=alice.account)
    upload(client_for(alice), a.mastodon_zip(ITEMS))
    assert last_import().state == JobState.FINISHED
    assert Status.objects.filter(account=alice.account).count() == 24
    assert not Notification.objects.exists()
    assert not list(selectors.home_timeline(bob.account))
    feeds.RankedFeed(feeds.home_key(bob.account.pk), lambda n: []).drop()
    assert not list(selectors.home_timeline(bob.account))  # nor once rebuilt from the database
    assert len(list(selectors.home_query(alice.account))) == 24  # the author's own home has them
    profile = Client().get("/@alice")
    assert b"old post 24" in profile.content
    outbox = Client().get("/users/alice/outbox?page=true", HTTP_ACCEPT="application/activity+json")
    items = json.loads(outbox.content)["orderedItems"]
    assert items[0]["object"]["published"] == "2021-05-24T08:00:00Z"


@pytest.mark.parametrize("federate", [False, True])
def test_sent_to_remote_followers_only_when_asked(
    federate, alice, client_for, remote, httpserver
) -> None:
    httpserver.expect_request("/inbox", method="POST").respond_with_data("", status=202)
    Follow.objects.create(account=resolve_account_url(remote.uri), target_account=alice.account)
    upload(client_for(alice), a.mastodon_zip(ITEMS[:3]), federate=federate)
    assert last_import().state == JobState.FINISHED
    sent = [json.loads(r.get_data()) for r, _ in httpserver.log if r.method == "POST"]
    if not federate:
        assert sent == []
        return
    assert sorted(s["object"]["published"] for s in sent) == [
        "2021-05-01T08:00:00Z", "2021-05-02T08:00:00Z", "2021-05-03T08:00:00Z",
    ]  # fmt: skip
    assert {s["type"] for s in sent} == {"Create"}


def test_an_import_cut_short_resumes_without_duplicates(alice, client_for, monkeypatch) -> None:
    monkeypatch.setattr(archive_import, "BATCH_SIZE", 5)
    data = a.mastodon_zip(ITEMS)
    upload(client_for(alice), data)
    job = last_import()
    before = dict(ImportedPost.objects.values_list("source_id", "status_id"))
    # What a worker killed after its second batch leaves: the later batches never committed,
    # the job still running with its upload, its heartbeat going stale.
    later = ImportedPost.objects.filter(post_import=job).order_by("status_id")[10:]
    Status.objects.filter(pk__in=[row.status_id for row in later]).delete()
    assert Status.objects.filter(account=alice.account).count() == 10
    name = default_storage.save("imports/again.zip", ContentFile(data))
    stale = timezone.now() - timedelta(hours=1)
    PostImport.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, heartbeat_at=stale, created_at=stale, file=name, done_items=10
    )
    assert archive_import.resume_stalled_imports() == 1
    job.refresh_from_db()
    assert job.state == JobState.FINISHED
    statuses = Status.objects.filter(account=alice.account)
    assert statuses.count() == 24
    assert dict(ImportedPost.objects.values_list("source_id", "status_id")) == before
    threaded = statuses.get(pk=before[a.note_uri(12)])
    assert threaded.in_reply_to_id == before[a.note_uri(11)]
