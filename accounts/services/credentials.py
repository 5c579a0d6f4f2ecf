"""Partial profile and posting-default updates, as apps send them: only what is given changes.
The profile rules themselves are the profile service's, shared with the settings pages."""

import re
from dataclasses import dataclass
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import User
from accounts.services.profile import check_image, check_profile, do_update_profile

PRIVACY_CHOICES = ("public", "unlisted", "private")
LANGUAGE_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z]{2,4})?$")
T = TypeVar("T")


@dataclass
class CredentialChanges:
    """None means "leave as it is"."""

    display_name: str | None = None
    note: str | None = None
    fields: list[dict[str, str]] | None = None
    avatar: UploadedFile | None = None
    header: UploadedFile | None = None
    locked: bool | None = None
    bot: bool | None = None
    discoverable: bool | None = None
    indexable: bool | None = None
    hide_collections: bool | None = None
    privacy: str | None = None
    sensitive: bool | None = None
    language: str | None = None


def check_credentials(*, user: User, changes: CredentialChanges) -> list[dict[str, str]]:
    """Validate every change at once; returns the profile fields to store."""
    account = user.account
    errors: dict[str, list[ValidationError]] = {}
    fields = account.fields
    try:
        kept = check_profile(
            display_name=_or(changes.display_name, account.display_name),
            note=_or(changes.note, account.note_source),
            fields=changes.fields if changes.fields is not None else [],
        )
        fields = kept if changes.fields is not None else account.fields
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(ValidationError(m) for m in messages)
    for name in ("avatar", "header"):
        upload = getattr(changes, name)
        if upload is not None:
            try:
                check_image(upload)
            except ValidationError as error:
                errors.setdefault(name, []).append(error)
    if changes.privacy is not None and changes.privacy not in PRIVACY_CHOICES:
        errors["source_privacy"] = [ValidationError("is not included in the list")]
    if changes.language and not LANGUAGE_RE.match(changes.language):
        errors["source_language"] = [ValidationError("is not a language code")]
    if errors:
        raise ValidationError(errors)
    return fields


def do_update_credentials(*, user: User, changes: CredentialChanges) -> None:
    fields = check_credentials(user=user, changes=changes)
    account = user.account
    with transaction.atomic():
        do_update_profile(
            account=account,
            display_name=_or(changes.display_name, account.display_name),
            note=_or(changes.note, account.note_source),
            fields=fields,
            locked=_or(changes.locked, account.locked),
            bot=_or(changes.bot, account.bot),
            avatar=changes.avatar,
            header=changes.header,
        )
        for flag in ("discoverable", "indexable", "hide_collections"):
            value = getattr(changes, flag)
            if value is not None:
                setattr(account, flag, value)
        account.save(update_fields=["discoverable", "indexable", "hide_collections"])
        if changes.privacy is not None:
            user.default_privacy = changes.privacy
        if changes.sensitive is not None:
            user.default_sensitive = changes.sensitive
        if changes.language is not None:
            user.default_language = changes.language
        user.save(update_fields=["default_privacy", "default_sensitive", "default_language"])


def _or(value: T | None, current: T) -> T:
    return current if value is None else value
