"""Benchmark 5: importing a Mastodon archive of 50,000 posts (a fifth of them self-replies, one
in a hundred with an image, some unlisted, followers-only, direct or boosts), from the upload
stored to the last thread linked. The import runs in a fresh process so that its peak resident
memory is its own; the archive is written entry by entry beforehand."""

import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.common import ROOT, make_users

POSTS = 50_000
ACTOR = "https://old.example/users/ann"
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def _picture(n: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), (n % 256, 80, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def _item(n: int, start: datetime) -> dict:
    uri = f"{ACTOR}/statuses/{n}"
    published = (start + timedelta(minutes=7 * n)).strftime("%Y-%m-%dT%H:%M:%SZ")
    if n % 25 == 0:
        return {
            "id": f"{uri}/activity",
            "type": "Announce",
            "actor": ACTOR,
            "published": published,
            "to": [PUBLIC],
            "cc": [f"{ACTOR}/followers"],
            "object": f"https://b.example/s/{n}",
        }
    to, cc = [PUBLIC], [f"{ACTOR}/followers"]
    if n % 20 == 1:
        to, cc = cc, to
    elif n % 20 == 2:
        cc = []
    elif n % 50 == 3:
        to, cc = ["https://b.example/users/bea"], []
    media = (
        [
            {
                "type": "Document",
                "mediaType": "image/png",
                "name": f"picture {n}",
                "url": f"media_attachments/files/{n}/original/p.png",
            }
        ]
        if n % 100 == 7
        else []
    )
    note = {
        "id": uri,
        "type": "Note",
        "published": published,
        "attributedTo": ACTOR,
        "to": to,
        "cc": cc,
        "inReplyTo": f"{ACTOR}/statuses/{n - 1}" if n % 5 == 4 else None,
        "content": f"<p>Post number {n}, written long ago. #archive{n % 10}</p>",
        "contentMap": {"en": f"<p>Post number {n}, written long ago.</p>"},
        "sensitive": False,
        "summary": "spoiler" if n % 30 == 0 else None,
        "attachment": media,
        "tag": [{"type": "Hashtag", "name": f"#archive{n % 10}"}],
    }
    return {
        "id": f"{uri}/activity",
        "type": "Create",
        "actor": ACTOR,
        "published": published,
        "to": to,
        "cc": cc,
        "object": note,
    }


def build_archive(path: Path, count: int) -> None:
    start = datetime(2017, 4, 1, tzinfo=UTC)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "actor.json",
            json.dumps({"id": ACTOR, "type": "Person", "followers": f"{ACTOR}/followers"}),
        )
        with archive.open("outbox.json", "w", force_zip64=True) as sink:
            sink.write(
                b'{"id":"outbox.json","type":"OrderedCollection","totalItems":%d,'
                b'"orderedItems":[' % count
            )
            for n in range(1, count + 1):
                sink.write((b"," if n > 1 else b"") + json.dumps(_item(n, start)).encode())
            sink.write(b"]}")
        for n in range(7, count + 1, 100):
            archive.writestr(f"media_attachments/files/{n}/original/p.png", _picture(n))


def _start_job(path: Path) -> int:
    from django.core.files import File
    from django.core.files.storage import default_storage

    from media import storage
    from timelines.models import PostImport

    account_id = make_users(f"importer{int(time.time())}", 1)[0]
    with path.open("rb") as handle:
        name = default_storage.save(storage.random_name("imports", "zip"), File(handle))
    return PostImport.objects.create(account_id=account_id, source="mastodon", file=name).pk


def child(import_id: int) -> None:
    """In the fresh process: the import, and what it cost."""
    from benchmarks import common

    common.setup()
    from timelines.services.archive_import import do_run_post_import

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    begin = time.perf_counter()
    do_run_post_import(import_id=import_id)
    elapsed = time.perf_counter() - begin
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"seconds": elapsed, "baseline_kb": baseline, "peak_kb": peak}))


def run(count: int = POSTS) -> None:
    from timelines.models import JobState, PostImport
    from timelines.services.archive_import import undo_import

    with tempfile.TemporaryDirectory(prefix="herd-bench-") as folder:
        path = Path(folder) / "archive.zip"
        begin = time.perf_counter()
        build_archive(path, count)
        size = path.stat().st_size
        print(
            f"built a {count:,}-post archive ({size / 1e6:.1f} MB zipped) in "
            f"{time.perf_counter() - begin:.0f} s"
        )
        import_id = _start_job(path)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.import_archive", "child", str(import_id)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures = json.loads(output.strip().splitlines()[-1])
    job = PostImport.objects.get(pk=import_id)
    assert job.state == JobState.FINISHED, job.error
    seconds = figures["seconds"]
    print(
        f"import: {job.done_items:,} items in {seconds:.1f} s: {job.done_items / seconds:,.0f} "
        f"items/s, {job.imported_count:,} posts created ({job.imported_count / seconds:,.0f} "
        f"posts/s), {job.skipped_count:,} left out (direct messages and boosts)"
    )
    print(
        f"peak memory of the importing process: {figures['peak_kb'] / 1024:.0f} MB "
        f"(ru_maxrss; {figures['baseline_kb'] / 1024:.0f} MB after start-up)"
    )
    begin = time.perf_counter()
    undo_import(job)
    print(f"removing the imported posts again took {time.perf_counter() - begin:.1f} s")


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        child(int(sys.argv[2]))
