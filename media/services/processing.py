"""Converting a queued upload on the `media` queue. The worker may run on another machine:
the source is read back from storage, and the results are written there."""

import logging
import tempfile
from pathlib import Path

from django.db import transaction

from media import storage
from media.models import MediaAttachment, Processing
from media.processing.errors import MediaRejected
from media.processing.pipeline import process_stream
from media.services.uploads import stream_fields

logger = logging.getLogger(__name__)
WAITING = (Processing.QUEUED, Processing.IN_PROGRESS)


def do_process_media(*, media_id: int) -> None:
    claimed = MediaAttachment.objects.filter(pk=media_id, processing=Processing.QUEUED).update(
        processing=Processing.IN_PROGRESS
    )
    if not claimed:
        return  # done already, or deleted by its owner meanwhile
    media = MediaAttachment.objects.get(pk=media_id)
    incoming = media.file.name
    with tempfile.TemporaryDirectory(prefix="herd-media-") as folder:
        work = Path(folder)
        source = work / "source"
        try:
            storage.fetch_to(incoming, source)
            with source.open("rb") as handle:
                gif = handle.read(6) in (b"GIF87a", b"GIF89a")
            result = process_stream(source, work, gif=gif)
        except (MediaRejected, OSError) as error:
            logger.warning("media %s could not be processed: %s", media_id, error)
            MediaAttachment.objects.filter(pk=media_id).update(processing=Processing.FAILED)
            return
        fields = stream_fields(result, None)
    _finish(media_id, fields, incoming)


def _finish(media_id: int, fields: dict[str, object], incoming: str) -> None:
    with transaction.atomic():
        media = MediaAttachment.objects.select_for_update().filter(pk=media_id).first()
        if media is None or media.processing != Processing.IN_PROGRESS:
            storage.delete_on_commit(str(fields["file"]), str(fields["preview"]))
            return
        if media.thumbnail:
            # The author's own thumbnail wins over the frame we took.
            fields["blurhash"] = media.blurhash
            storage.delete_on_commit(str(fields["preview"]))
            fields["preview"] = ""
        meta = dict(fields.pop("meta"))  # type: ignore[call-overload]
        for key in ("focus", "small"):
            if key in media.meta:
                meta[key] = media.meta[key]
        for name, value in fields.items():
            setattr(media, name, value)
        media.meta = meta
        media.save()
        storage.delete_on_commit(incoming)
