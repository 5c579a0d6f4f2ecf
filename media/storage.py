"""Where media files live: Django's default storage, which is the local filesystem under
MEDIA_ROOT or an S3-compatible bucket (see the settings). Names are random, never taken from
an upload, and carry the extension of what we wrote."""

import secrets
import shutil
from pathlib import Path

from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction

from fediverse import uris


def random_name(folder: str, extension: str) -> str:
    token = secrets.token_hex(16)
    # Two levels of folders keep any one directory small on a filesystem.
    return f"{folder}/{token[:2]}/{token[2:4]}/{token}.{extension}"


def save_bytes(folder: str, extension: str, data: bytes) -> str:
    return default_storage.save(random_name(folder, extension), ContentFile(data))


def save_as(name: str, data: bytes) -> str:
    """At a name derived from another random one (the still version of a GIF avatar)."""
    return default_storage.save(name, ContentFile(data))


def save_path(folder: str, extension: str, path: Path) -> str:
    with path.open("rb") as handle:
        return default_storage.save(random_name(folder, extension), File(handle))


def fetch_to(name: str, target: Path) -> None:
    """Copy a stored file to a local path, for a worker that may run on another machine."""
    with default_storage.open(name, "rb") as source, target.open("wb") as sink:
        shutil.copyfileobj(source, sink)


def delete(*names: str) -> None:
    for name in names:
        if name:
            default_storage.delete(name)


def delete_on_commit(*names: str) -> None:
    """Files go only once the rows that name them are gone for good."""
    kept = [name for name in names if name]
    if kept:
        transaction.on_commit(lambda: delete(*kept))


def url(name: str, *, absolute: bool = True) -> str | None:
    """Absolute for the API and federation; as the storage gives it for our own pages."""
    if not name:
        return None
    found = default_storage.url(name)
    if not absolute or found.startswith(("http://", "https://")):
        return found
    return uris.absolute(found)
