"""Malformed, truncated and hostile archives are refused with a message saying why, and
leave no post, media row or file behind."""

import io
import json
import zipfile

import pytest

from tests.media.files import image_bytes
from tests.portability import archives as a
from tests.portability.conftest import last_import, upload
from timelines.archives.safezip import ArchiveRefused, open_archive
from timelines.models import ImportedPost, JobState
from timelines.services import archive_import

GOOD_ITEMS = [a.create(n, f"post {n}", f"2020-01-0{n}T10:00:00Z") for n in range(1, 4)]


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """The zip with the central directory claiming `size` bytes for `name`."""
    buffer = bytearray(data)
    position = buffer.find(b"PK\x01\x02")
    while position >= 0:
        length = int.from_bytes(buffer[position + 28 : position + 30], "little")
        if buffer[position + 46 : position + 46 + length].decode() == name:
            buffer[position + 24 : position + 28] = size.to_bytes(4, "little")
        position = buffer.find(b"PK\x01\x02", position + 46)
    return bytes(buffer)


def with_entry(name: str) -> bytes:
    return a.Zip().json("outbox.json", a.outbox(GOOD_ITEMS)).add(name, b"x").build()


def nested(depth: int) -> dict:
    value: object = "deep"
    for _ in range(depth):
        value = [value]
    return a.outbox([{"type": "Create", "object": value}])


def many_entries(count: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("outbox.json", json.dumps(a.outbox(GOOD_ITEMS)))
        for n in range(count):
            archive.writestr(f"f/{n}", b"")
    return buffer.getvalue()


GOOD = a.mastodon_zip(GOOD_ITEMS)
CASES = {
    "not a zip": (b"PK but not really" * 50, "not a zip archive"),
    "truncated zip": (GOOD[: len(GOOD) // 2], "truncated"),
    "parent traversal": (with_entry("../../etc/cron.d/evil"), "unsafe file name"),
    "absolute path": (with_entry("/etc/passwd"), "unsafe file name"),
    "windows traversal": (with_entry("..\\..\\evil.bat"), "unsafe file name"),
    "zip bomb": (a.Zip().add("outbox.json", b" " * (20 * 1024 * 1024)).build(), "expands too much"),
    "lying sizes": (declare_size(GOOD, "outbox.json", 0xFFFFFFF0), "outbox.json"),
    "too many files": (many_entries(200_001), "more than 200,000 files"),
    "no outbox": (a.Zip().json("actor.json", a.actor()).build(), "no outbox.json"),
    "truncated json": (
        a.Zip().add("outbox.json", json.dumps(a.outbox(GOOD_ITEMS)).encode()[:300]).build(),
        "not valid JSON",
    ),
    "nesting": (a.Zip().json("outbox.json", nested(200)).build(), "nested too deeply"),
    "not a collection": (a.Zip().json("outbox.json", GOOD_ITEMS).build(), "OrderedCollection"),
    "not an activity": (
        a.Zip().json("outbox.json", a.outbox([*GOOD_ITEMS, 42])).build(),  # type: ignore[list-item]
        "item 4: not an activity",
    ),
    "post without date": (
        a.Zip().json("outbox.json", a.outbox([*GOOD_ITEMS, a.create(9, "x", "yesterday")])).build(),
        "item 4: a post without a valid date",
    ),
    # A date ahead of the clock would keep the post at the top of every timeline.
    "post from the future": (
        a.Zip()
        .json("outbox.json", a.outbox([*GOOD_ITEMS, a.create(9, "x", "2999-01-01T00:00:00Z")]))
        .build(),
        "item 4: a post without a valid date",
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_archive_is_refused_and_leaves_nothing(case, alice, client_for, nothing_left) -> None:
    data, message = CASES[case]
    client = client_for(alice)
    assert upload(client, data).status_code == 302
    job = last_import()
    assert job.state == JobState.FAILED
    assert message in job.error
    assert not ImportedPost.objects.exists()
    nothing_left()
    page = client.get("/settings/archive")
    assert message.encode() in page.content.replace(b"&#x27;", b"'")


def test_damaged_media_midway_undoes_the_posts_already_made(
    alice, client_for, nothing_left, monkeypatch
) -> None:
    monkeypatch.setattr(archive_import, "BATCH_SIZE", 1)
    picture = {"type": "Document", "mediaType": "image/png", "url": "media_attachments/p.png"}
    items = [*GOOD_ITEMS, a.create(4, "with a picture", "2020-01-04T10:00:00Z",
                                   attachments=[picture])]  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("outbox.json", json.dumps(a.outbox(items)))
        archive.writestr("media_attachments/p.png", image_bytes("PNG", (30, 30)))
    data = bytearray(buffer.getvalue())
    start = data.find(b"\x89PNG")
    data[start + 40 : start + 60] = b"\0" * 20  # the CRC no longer matches
    upload(client_for(alice), bytes(data))
    job = last_import()
    assert job.state == JobState.FAILED and "damaged" in job.error
    nothing_left()


def test_an_entry_beyond_its_size_limit_is_not_read(tmp_path) -> None:
    path = tmp_path / "archive.zip"
    path.write_bytes(a.mastodon_zip(GOOD_ITEMS))
    with open_archive(path) as archive:
        size = archive.size("outbox.json")
        too_small = archive.open("outbox.json", limit=size - 1)
        with pytest.raises(ArchiveRefused, match=r"outbox.json is too large"), too_small:
            pass
        with archive.open("outbox.json", limit=size) as source:
            assert json.loads(source.read())["totalItems"] == 3
