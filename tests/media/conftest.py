"""Helpers for the media tests: what is stored, and reading served files back."""

import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from PIL import Image

from media.models import MediaAttachment
from tests.api.conftest import *  # noqa: F401,F403 - the live-server API fixtures


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT) / "media_attachments"
    if not root.exists():
        return set()
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


@dataclass
class Served:
    status_code: int
    headers: dict[str, str]
    content: bytes


def fetch(url: str, **headers: str) -> Served:
    """A media URL as a browser gets it, through our own view (the live server would answer
    MEDIA_URL itself, without our headers)."""
    response = Client().get(urlsplit(url).path, headers=headers)
    streamed = getattr(response, "streaming_content", None)
    body = b"".join(streamed) if response.streaming and streamed is not None else response.content
    return Served(response.status_code, {k.lower(): v for k, v in response.items()}, body)


def served(url: str) -> Served:
    response = fetch(url)
    assert response.status_code == 200, (url, response.status_code)
    return response


def served_image(url: str) -> Image.Image:
    image = Image.open(io.BytesIO(served(url).content))
    image.load()
    return image


@pytest.fixture
def nothing_stored() -> Callable[[], None]:
    """Call at the end of a test: no row and no file were left by what it refused."""
    rows_before = MediaAttachment.objects.count()
    files_before = stored_files()

    def check() -> None:
        assert MediaAttachment.objects.count() == rows_before
        assert stored_files() == files_before

    return check
