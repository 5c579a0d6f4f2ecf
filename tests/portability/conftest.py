"""Helpers for the archive tests: uploading through the settings page, and what is stored."""

from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from media.models import MediaAttachment
from timelines.models import PostImport, Status


def upload(
    client: Client, data: bytes, *, source: str = "mastodon", others: str = "skip",
    federate: bool = False,
):  # type: ignore[no-untyped-def]  # fmt: skip
    fields = {
        "archive": SimpleUploadedFile("archive.zip", data, "application/zip"),
        "source": source,
        "others": others,
    }
    if federate:
        fields["federate"] = "on"
    return client.post("/settings/archive/import", fields)


def last_import() -> PostImport:
    return PostImport.objects.order_by("-created_at").first()  # type: ignore[return-value]


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    if not root.exists():
        return set()
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def nothing_left() -> Callable[[], None]:
    """Call after a refused import: no post, no media row and no file came of it."""
    statuses, media, files = Status.objects.count(), MediaAttachment.objects.count(), stored_files()

    def check() -> None:
        assert Status.objects.count() == statuses
        assert MediaAttachment.objects.count() == media
        assert stored_files() == files

    return check
