"""Serving media files from local storage (with S3 storage, URLs point at the bucket).

Uploaded files are never run as pages: no sniffing, and nothing they could load. Byte ranges
are answered, since browsers (Safari above all) need them to play and seek in videos."""

import re
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils._os import safe_join
from django.views.static import serve

from media import storage
from media.models import MediaAttachment
from media.services.remote import do_fetch_remote_media

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
CHUNK = 64 * 1024


def serve_media(request: HttpRequest, path: str) -> HttpResponseBase:
    response: HttpResponseBase = serve(request, path, document_root=str(settings.MEDIA_ROOT))
    wanted = RANGE.match(request.headers.get("Range", "").strip())
    if response.status_code == 200 and wanted:
        response.close()
        response = _partial(Path(safe_join(str(settings.MEDIA_ROOT), path)), response, wanted)
    response["Accept-Ranges"] = "bytes"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def media_proxy(request: HttpRequest, media_id: int, style: str) -> HttpResponseBase:
    """Mastodon's media proxy: a remote attachment we hold no copy of (not yet, or no longer)
    is fetched now, then served from our storage. Only for posts the viewer may see."""
    from timelines.models import Status

    if style not in ("original", "small"):
        raise Http404("No such version")
    media = MediaAttachment.objects.remote().filter(pk=media_id, status__isnull=False).first()
    viewer = getattr(request.user, "account", None) if request.user.is_authenticated else None
    visible = Status.objects.visible_to(viewer)
    if media is None or not visible.filter(pk=media.status_id or 0).exists():
        raise Http404("No such attachment")
    if not media.file and not do_fetch_remote_media(media_id=media.pk):
        raise Http404("The attachment cannot be fetched")
    media.refresh_from_db()
    wanted = media.file if style == "original" else (media.thumbnail or media.preview or media.file)
    found = storage.url(wanted.name)
    if found is None:
        raise Http404("No such version")
    return redirect(found)


def _partial(path: Path, whole: HttpResponseBase, wanted: re.Match[str]) -> HttpResponseBase:
    size = path.stat().st_size
    first, last = wanted.group(1), wanted.group(2)
    if first:
        start, end = int(first), min(int(last), size - 1) if last else size - 1
    elif last:
        start, end = max(size - int(last), 0), size - 1
    else:
        start, end = size, 0
    if start >= size or start > end:
        refused = HttpResponse(status=416)
        refused["Content-Range"] = f"bytes */{size}"
        return refused
    response = StreamingHttpResponse(_read(path, start, end - start + 1), status=206)
    response["Content-Type"] = whole["Content-Type"]
    response["Content-Length"] = str(end - start + 1)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    if whole.has_header("Last-Modified"):
        response["Last-Modified"] = whole["Last-Modified"]
    return response


def _read(path: Path, start: int, length: int) -> Iterator[bytes]:
    with path.open("rb") as handle:
        handle.seek(start)
        while length > 0:
            chunk = handle.read(min(CHUNK, length))
            if not chunk:
                return
            length -= len(chunk)
            yield chunk
