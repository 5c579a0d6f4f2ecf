"""Mastodon's media endpoints: upload, look at, change and delete one's own uploads."""

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler
from rest_framework.request import Request
from rest_framework.response import Response

from fediverse.api.errors import ApiError
from fediverse.api.views import ApiView, user
from media.api.serializers import media_entity
from media.models import MediaAttachment, Processing
from media.processing.errors import MediaRejected
from media.processing.streams import FAILED
from media.services.attachments import do_delete_media, do_update_media
from media.services.uploads import MEGABYTE, VIDEO_LIMIT, MediaInput, do_create_media

WRITE_MEDIA = user("write:media")


class UploadLimit(FileUploadHandler):
    """Stops reading an uploaded file once it is larger than any upload may be, rather than
    writing all of it to disk before refusing it."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        self.received += len(raw_data)
        if self.received > VIDEO_LIMIT:
            limit = VIDEO_LIMIT // MEGABYTE
            raise ApiError(f"Validation failed: File file size must be less than {limit} MB", 422)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class UploadView(ApiView):
    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        request._request.upload_handlers.insert(0, UploadLimit(request._request))
        super().initial(request, *args, **kwargs)


def _text(value: object) -> str | None:
    return None if value is None or isinstance(value, dict | list) else str(value)


def media_input(request: Request) -> MediaInput:
    return MediaInput(
        file=request.FILES.get("file"),
        thumbnail=request.FILES.get("thumbnail"),
        description=_text(request.data.get("description")),
        focus=_text(request.data.get("focus")),
    )


def answer(media: MediaAttachment) -> Response:
    """206 while the file is still being converted, as Mastodon answers."""
    return Response(media_entity(media), status=200 if media.processed else 206)


class MediaV1View(UploadView):
    """The old upload: answers once the file is fully converted."""

    access = {"POST": WRITE_MEDIA}
    wait = True

    def post(self, request: Request) -> Response:
        try:
            media = do_create_media(account=self.acting, data=media_input(request), wait=self.wait)
        except MediaRejected as error:
            raise ApiError(error.message, 422) from error
        return Response(media_entity(media), status=200 if media.processed else 202)


class MediaV2View(MediaV1View):
    """Images answer 200 at once; audio and video 202 with `url: null` while converting."""

    wait = False


class MediaView(UploadView):
    access = {"GET": WRITE_MEDIA, "PUT": WRITE_MEDIA, "DELETE": WRITE_MEDIA}

    def own(self, media_id: str) -> MediaAttachment:
        media = None
        if media_id.isdigit():
            media = MediaAttachment.objects.filter(pk=int(media_id), account=self.acting).first()
        if media is None:
            raise ApiError("Record not found", 404)
        return media

    def own_unattached(self, media_id: str) -> MediaAttachment:
        media = self.own(media_id)
        if media.status_id is not None:
            raise ApiError("Record not found", 404)
        if media.processing == Processing.FAILED:
            raise ApiError(FAILED, 422)
        return media

    def get(self, request: Request, media_id: str) -> Response:
        return answer(self.own_unattached(media_id))

    def put(self, request: Request, media_id: str) -> Response:
        media = self.own_unattached(media_id)
        data = media_input(request)
        try:
            media = do_update_media(media=media, description=data.description,
                                    focus=data.focus, thumbnail=data.thumbnail)  # fmt: skip
        except MediaRejected as error:
            raise ApiError(error.message, 422) from error
        return answer(media)

    def delete(self, request: Request, media_id: str) -> Response:
        try:
            do_delete_media(media=self.own(media_id))
        except ValidationError as error:
            raise ApiError(error.messages[0], 422) from error
        return Response({})
