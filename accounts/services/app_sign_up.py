"""Sign-up through an app (POST /api/v1/accounts): the same rules as the sign-up page, and an
access token for the new user issued to the calling app with that app's scopes."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.conf import global_settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from oauth2_provider.models import AbstractAccessToken, get_access_token_model, set_token_value
from oauth2_provider.settings import oauth2_settings
from oauthlib.common import generate_token

from accounts.models import OAuthApplication, User
from accounts.services import registration
from moderation.models import InstanceSettings, Invite, RegistrationMode

KNOWN_LANGUAGES = frozenset(code.split("-")[0] for code, _ in global_settings.LANGUAGES)


@dataclass
class AppSignUp:
    username: str
    email: str
    password: str
    agreement: bool
    locale: str = ""
    reason: str = ""
    invite_code: str = ""


def sign_up_reason_required(invite: Invite | None) -> bool:
    instance = InstanceSettings.current()
    return (
        invite is None
        and instance.registrations_mode == RegistrationMode.APPROVED
        and instance.require_sign_up_reason
    )


def _field_errors(data: AppSignUp, invite: Invite | None) -> dict[str, list[ValidationError]]:
    errors: dict[str, list[ValidationError]] = {}

    def collect(field: str, check: Callable[[], None]) -> None:
        try:
            check()
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.error_list)

    collect("username", lambda: registration.check_username(data.username))
    if not data.email:
        errors["email"] = [ValidationError("can't be blank", code="required")]
    else:
        collect("email", lambda: registration.check_email(data.email))
    if not data.password:
        errors["password"] = [ValidationError("can't be blank", code="required")]
    else:
        collect(
            "password",
            lambda: registration.check_password(
                data.password, username=data.username, email=data.email
            ),
        )
    if not data.agreement:
        errors["agreement"] = [ValidationError("must be accepted", code="accepted")]
    if data.locale and data.locale.split("-")[0].lower() not in KNOWN_LANGUAGES:
        errors["locale"] = [ValidationError("is not included in the list", code="inclusion")]
    if sign_up_reason_required(invite) and not data.reason.strip():
        errors["reason"] = [ValidationError("can't be blank", code="required")]
    if len(data.reason) > registration.SIGN_UP_REASON_MAX_LENGTH:
        errors["reason"] = [ValidationError("is too long", code="max_length")]
    return errors


def do_app_sign_up(
    *, application: OAuthApplication, data: AppSignUp, ip: str | None
) -> tuple[User, AbstractAccessToken, str]:
    """Returns the user, the token row and the token in clear (shown once)."""
    invite = registration.find_usable_invite(data.invite_code) if data.invite_code else None
    try:
        registration.check_registration_allowed(invite=invite, ip=ip)
    except ValidationError as error:
        raise PermissionDenied(error.messages[0]) from error
    errors = _field_errors(data, invite)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = registration.do_create_local_account(
            username=data.username,
            email=data.email,
            password=data.password,
            sign_up_reason=data.reason.strip(),
            sign_up_ip=ip,
            invite=invite,
            locale=data.locale or "en",
        )
        raw = generate_token()
        token = get_access_token_model()(
            user=user,
            application=application,
            scope=application.scopes,
            expires=timezone.now() + timedelta(seconds=oauth2_settings.ACCESS_TOKEN_EXPIRE_SECONDS),
        )
        set_token_value(token, raw)
        token.save()
    return user, token, raw
