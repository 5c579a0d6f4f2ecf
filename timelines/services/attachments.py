"""Which uploaded media a new or edited post may carry, with Mastodon's refusals, and hanging
them on the post. The uploads themselves belong to the media app, which holds the rules."""

from collections.abc import Sequence

from django.core.exceptions import ValidationError

from accounts.models import Account
from media.services.attachments import (
    MAX_ATTACHMENTS,
    TOO_MANY,
    attached_ids,
    check_media_for_status,
    do_attach_media,
)

__all__ = ["MAX_ATTACHMENTS", "attach_media", "attached_media_ids", "check_media_ids"]


def check_media_ids(
    *,
    account: Account,
    media_ids: Sequence[int],
    with_poll: bool,
    status_id: int | None = None,
) -> dict[str, ValidationError]:
    """`status_id`: the post being edited, whose own attachments may stay on it."""
    if not media_ids:
        return {}
    if with_poll:
        return {"media_ids": ValidationError(TOO_MANY, code="media")}
    try:
        check_media_for_status(account=account, media_ids=media_ids, status_id=status_id)
    except ValidationError as error:
        return {"media_ids": error.error_dict["media_ids"][0]}
    return {}


def attached_media_ids(*, status_id: int) -> list[int]:
    """The post's attachments, in their order."""
    return attached_ids(status_id=status_id)


def attach_media(*, account: Account, status_id: int, media_ids: Sequence[int]) -> None:
    """Inside the post's transaction, after check_media_ids: exactly these, in this order."""
    media = check_media_for_status(account=account, media_ids=media_ids, status_id=status_id)
    do_attach_media(status_id=status_id, media=media)
