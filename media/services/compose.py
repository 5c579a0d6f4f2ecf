"""Uploads from the web compose box: several files with their alt texts, sent with the post.
They are converted at once (the page waits, as the v1 API does), so the post can carry them."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from accounts.models import Account
from media.models import MediaAttachment
from media.processing.errors import MediaRejected
from media.services.attachments import do_delete_media_rows
from media.services.uploads import MediaInput, do_create_media


def do_create_compose_media(
    *, account: Account, items: list[tuple[str, UploadedFile, str]]
) -> list[MediaAttachment]:
    """`items`: (form field, file, alt text). On the first refusal, what was already made is
    removed and ValidationError names the field of the refused file."""
    made: list[MediaAttachment] = []
    for field, upload, description in items:
        try:
            data = MediaInput(file=upload, description=description)
            made.append(do_create_media(account=account, data=data, wait=True))
        except MediaRejected as error:
            do_discard_media(made)
            raise ValidationError({field: ValidationError(error.message, code="media")}) from error
    return made


def do_discard_media(media: list[MediaAttachment]) -> None:
    """Uploads made for a post that was then refused: nobody will attach them."""
    do_delete_media_rows(item for item in media if item.status_id is None)
