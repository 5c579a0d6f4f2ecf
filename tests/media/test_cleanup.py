"""The periodic cleanup of uploads that nobody posted."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from media.models import MediaAttachment
from media.services.uploads import MediaInput, do_create_media
from media.tasks import remove_unattached_media
from tests.media import files
from tests.media.conftest import stored_files
from timelines.models import ScheduledStatus
from timelines.services.statuses import StatusInput, do_create_status


def uploaded(account, age: timedelta) -> MediaAttachment:
    data = MediaInput(file=SimpleUploadedFile("a.png", files.image_bytes()))
    media = do_create_media(account=account, data=data, wait=True)
    MediaAttachment.objects.filter(pk=media.pk).update(created_at=timezone.now() - age)
    return media


def test_unattached_uploads_go_after_a_day(alice) -> None:
    account = alice.account
    before = stored_files()
    old = uploaded(account, timedelta(days=2))
    fresh = uploaded(account, timedelta(hours=3))
    posted = uploaded(account, timedelta(days=3))
    waiting = uploaded(account, timedelta(days=3))
    do_create_status(account=account, data=StatusInput(text="kept", media_ids=(posted.pk,)))
    later = timezone.now() + timedelta(days=9)
    params = {"text": "later", "media_ids": [str(waiting.pk)]}
    ScheduledStatus.objects.create(account=account, scheduled_at=later, params=params)
    old_files = {old.file.name, old.preview.name}
    assert remove_unattached_media.delay().get() == 1
    assert set(MediaAttachment.objects.values_list("pk", flat=True)) == {
        fresh.pk,
        posted.pk,
        waiting.pk,
    }
    stored = {f"media_attachments/{name}" for name in stored_files() - before}
    assert not stored & old_files and len(stored) == 6
