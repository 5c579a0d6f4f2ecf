"""Changing one's own profile (PATCH /api/v1/accounts/update_credentials), signing up through
an app (POST /api/v1/accounts) and fetching several accounts at once (GET /api/v1/accounts)."""

from typing import Any

from django.core.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api.relations import optional_bool, query_ids
from accounts.api.serializers import CredentialAccountSerializer
from accounts.api.views import present_accounts
from accounts.models import Account
from accounts.selectors import account_stats, listable_q
from accounts.services.app_sign_up import AppSignUp, do_app_sign_up
from accounts.services.credentials import CredentialChanges, do_update_credentials
from fediverse.api.errors import ApiError
from fediverse.api.parsers import to_bool
from fediverse.api.views import ApiView, app, user

MANY_ACCOUNTS_LIMIT = 40


def present_credential_account(account: Account) -> dict[str, Any]:
    context = {
        "stats": account_stats([account]),
        "follow_requests_count": account.incoming_follow_requests.count(),
    }
    return CredentialAccountSerializer(account, context=context).data


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return None if value is None or isinstance(value, dict | list) else str(value)


def _fields(value: Any) -> list[dict[str, str]] | None:
    """fields_attributes comes as {"0": {...}, "1": {...}} from forms, or as a JSON list."""
    if isinstance(value, dict):
        rows = [value[k] for k in sorted(value, key=lambda k: int(k) if k.isdigit() else 0)]
    elif isinstance(value, list):
        rows = value
    else:
        return None
    return [
        {"name": str(row.get("name") or ""), "value": str(row.get("value") or "")}
        for row in rows
        if isinstance(row, dict)
    ]


def credential_changes(request: Request) -> CredentialChanges:
    data = request.data
    source = data.get("source") if isinstance(data.get("source"), dict) else {}
    return CredentialChanges(
        display_name=_text(data, "display_name"),
        note=_text(data, "note"),
        fields=_fields(data.get("fields_attributes")),
        avatar=request.FILES.get("avatar"),
        header=request.FILES.get("header"),
        locked=optional_bool(data, "locked"),
        bot=optional_bool(data, "bot"),
        discoverable=optional_bool(data, "discoverable"),
        indexable=optional_bool(data, "indexable"),
        hide_collections=optional_bool(data, "hide_collections"),
        privacy=_text(source, "privacy"),
        sensitive=optional_bool(source, "sensitive"),
        language=_text(source, "language"),
    )


class UpdateCredentialsView(ApiView):
    access = {"PATCH": user("write:accounts")}

    def patch(self, request: Request) -> Response:
        do_update_credentials(user=self.acting_user, changes=credential_changes(request))
        return Response(present_credential_account(Account.objects.get(pk=self.acting.pk)))


# Mastodon's error codes for sign-up fields, with Rails' wording of each.
SIGN_UP_ERRORS = {
    "required": ("ERR_BLANK", "can't be blank"),
    "taken": ("ERR_TAKEN", "has already been taken"),
    "reserved": ("ERR_RESERVED", "is reserved"),
    "max_length": ("ERR_TOO_LONG", "is too long"),
    "password_too_short": ("ERR_TOO_SHORT", "is too short (minimum is 8 characters)"),
    "password_too_common": ("ERR_INVALID", "is too common"),
    "password_entirely_numeric": ("ERR_INVALID", "is entirely numeric"),
    "password_too_similar": ("ERR_INVALID", "is too similar to your other details"),
    "accepted": ("ERR_ACCEPTED", "must be accepted"),
    "inclusion": ("ERR_INCLUSION", "is not included in the list"),
}
USERNAME_INVALID = "must contain only letters, numbers and underscores"


def sign_up_error(error: ValidationError) -> ApiError:
    """Mastodon's {"error": "Validation failed: …", "details": {field: [{error, description}]}}."""
    details: dict[str, list[dict[str, str]]] = {}
    for field, errors in error.error_dict.items():
        for item in errors:
            code, description = SIGN_UP_ERRORS.get(str(item.code), ("ERR_INVALID", "is invalid"))
            if field == "username" and item.code == "invalid":
                description = USERNAME_INVALID
            details.setdefault(field, []).append({"error": code, "description": description})
    message = ", ".join(
        f"{field.capitalize()} {entry['description']}"
        for field, entries in details.items()
        for entry in entries
    )
    return ApiError(f"Validation failed: {message}", 422, details=details)


class AccountsView(ApiView):
    access = {"GET": app("read:accounts"), "POST": app("write:accounts")}

    def get(self, request: Request) -> Response:
        ids = query_ids(request)
        if len(ids) > MANY_ACCOUNTS_LIMIT:
            raise ApiError(f"Validation failed: at most {MANY_ACCOUNTS_LIMIT} ids", 422)
        found = {a.pk: a for a in Account.objects.filter(listable_q(), pk__in=ids)}
        return Response(present_accounts([found[pk] for pk in ids if pk in found]))

    def post(self, request: Request) -> Response:
        data = request.data
        sign_up = AppSignUp(
            username=(_text(data, "username") or "").strip(),
            email=(_text(data, "email") or "").strip(),
            password=_text(data, "password") or "",
            agreement=to_bool(data.get("agreement")),
            locale=(_text(data, "locale") or "").strip(),
            reason=_text(data, "reason") or "",
            invite_code=(_text(data, "invite_code") or "").strip(),
        )
        try:
            _, token, raw = do_app_sign_up(
                application=request.auth.application,
                data=sign_up,
                ip=request.META.get("REMOTE_ADDR"),
            )
        except ValidationError as error:
            raise sign_up_error(error) from error
        created = int(token.created.timestamp())
        return Response(
            {"access_token": raw, "token_type": "Bearer", "scope": token.scope,
             "created_at": created}
        )  # fmt: skip
