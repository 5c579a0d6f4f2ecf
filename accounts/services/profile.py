"""Profile and login settings of a local account."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import Account, User
from accounts.services import mail
from accounts.services.registration import check_email, check_password
from federation.services import outbox
from fediverse.formatting import render_plain_text
from media.services.profile_images import check_profile_image, do_replace_profile_image
from timelines.services.rendering import resolve_local_mention, tag_url

DISPLAY_NAME_MAX_LENGTH = 30
NOTE_MAX_LENGTH = 500
MAX_FIELDS = 4
FIELD_NAME_MAX_LENGTH = 255
FIELD_VALUE_MAX_LENGTH = 255


def check_profile(
    *, display_name: str, note: str, fields: list[dict[str, str]]
) -> list[dict[str, str]]:
    """Validate and return the profile fields, dropping empty rows."""
    errors: dict[str, str] = {}
    if len(display_name) > DISPLAY_NAME_MAX_LENGTH:
        errors["display_name"] = f"At most {DISPLAY_NAME_MAX_LENGTH} characters."
    if len(note) > NOTE_MAX_LENGTH:
        errors["note"] = f"At most {NOTE_MAX_LENGTH} characters."
    kept = [f for f in fields if f.get("name", "").strip() or f.get("value", "").strip()]
    if len(kept) > MAX_FIELDS:
        errors["fields"] = f"At most {MAX_FIELDS} profile fields."
    for field in kept:
        if len(field.get("name", "")) > FIELD_NAME_MAX_LENGTH:
            errors["fields"] = f"Field labels are at most {FIELD_NAME_MAX_LENGTH} characters."
        if len(field.get("value", "")) > FIELD_VALUE_MAX_LENGTH:
            errors["fields"] = f"Field values are at most {FIELD_VALUE_MAX_LENGTH} characters."
    if errors:
        raise ValidationError(errors)
    return [{"name": f["name"].strip(), "value": f["value"].strip()} for f in kept]


def check_image(upload: UploadedFile) -> None:
    """Avatars and headers are checked and processed by the media app, as uploads are: the
    format decided by content, limits before decoding, metadata dropped."""
    check_profile_image(upload)


def render_note(text: str) -> str:
    return render_plain_text(text, resolve_mention=resolve_local_mention, tag_url=tag_url)


def do_update_profile(
    *,
    account: Account,
    display_name: str,
    note: str,
    fields: list[dict[str, str]],
    locked: bool,
    bot: bool,
    avatar: UploadedFile | None = None,
    header: UploadedFile | None = None,
) -> None:
    with transaction.atomic():
        account.display_name = display_name.strip()
        account.note_source = note
        account.note = render_note(note)
        account.fields = fields
        account.locked = locked
        account.bot = bot
        if avatar is not None:
            do_replace_profile_image(account.avatar, avatar, "avatar")
        if header is not None:
            do_replace_profile_image(account.header, header, "header")
        account.save()
        if not locked:
            # Unlocking accepts every pending request, as Mastodon does.
            from accounts.services.follows import do_authorize_follow_request

            for request in account.incoming_follow_requests.select_related("account"):
                do_authorize_follow_request(request=request)
        outbox.federate_profile(account)


def do_change_password(*, user: User, current: str, new: str) -> None:
    if not user.check_password(current):
        raise ValidationError({"current_password": "The current password is not right."})
    try:
        check_password(new, username=user.account.username, email=user.email)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.set_password(new)
    user.save(update_fields=["password"])


def do_change_email(*, user: User, current_password: str, email: str) -> None:
    """The new address takes effect once confirmed through the link sent to it."""
    if not user.check_password(current_password):
        raise ValidationError({"current_password": "The current password is not right."})
    try:
        check_email(email, user=user)
    except ValidationError as error:
        raise ValidationError({"email": error.messages}) from error
    with transaction.atomic():
        user.unconfirmed_email = email
        user.save(update_fields=["unconfirmed_email"])
        mail.send_confirmation(user, email)


def do_set_password(*, user: User, password: str) -> None:
    try:
        check_password(password, username=user.account.username, email=user.email)
    except ValidationError as error:
        raise ValidationError({"password": error.messages}) from error
    user.set_password(password)
    user.save(update_fields=["password"])
