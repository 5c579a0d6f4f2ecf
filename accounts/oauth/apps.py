"""POST /api/v1/apps and GET /api/v1/apps/verify_credentials."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import OAuthApplication
from fediverse import vapid
from fediverse.api import scopes
from fediverse.api.views import ApiView, app, public

OOB = "urn:ietf:wg:oauth:2.0:oob"
FORBIDDEN_SCHEMES = {"javascript", "data", "vbscript", "file"}
NAME_MAX_LENGTH = 60
WEBSITE_MAX_LENGTH = 2000


def parse_redirect_uris(value: Any) -> list[str]:
    items = [str(v) for v in value] if isinstance(value, list) else str(value or "").splitlines()
    return [item.strip() for item in items if item.strip()]


def check_redirect_uri(uri: str) -> None:
    if uri == OOB:
        return
    scheme, _, rest = uri.partition(":")
    if (
        not scheme
        or not rest
        or scheme.lower() in FORBIDDEN_SCHEMES
        or not scheme[0].isalpha()
        or " " in uri
        or "#" in uri
    ):
        raise ValidationError("Redirect URI must be an absolute URI.")


def check_app(*, name: str, redirect_uris: list[str], scope_list: list[str], website: str) -> None:
    if not name.strip():
        raise ValidationError({"name": "can't be blank"})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": f"is too long (maximum is {NAME_MAX_LENGTH} characters)"})
    if not redirect_uris:
        raise ValidationError({"redirect_uri": "can't be blank"})
    for uri in redirect_uris:
        try:
            check_redirect_uri(uri)
        except ValidationError as error:
            raise ValidationError({"redirect_uri": "must be an absolute URI."}) from error
    if not scope_list or not all(scopes.is_known(s) for s in scope_list):
        raise ValidationError({"scopes": "are invalid"})
    if len(website) > WEBSITE_MAX_LENGTH:
        raise ValidationError({"website": "is too long"})


def do_create_app(
    *, name: str, redirect_uris: list[str], scope_list: list[str], website: str
) -> tuple[OAuthApplication, str]:
    """Returns the app and its secret in clear, shown once: only a hash is stored."""
    check_app(name=name, redirect_uris=redirect_uris, scope_list=scope_list, website=website)
    application = OAuthApplication(
        name=name.strip(),
        redirect_uris=" ".join(redirect_uris),
        scopes=" ".join(scope_list),
        website=website.strip(),
        client_type=OAuthApplication.CLIENT_CONFIDENTIAL,
        authorization_grant_type=OAuthApplication.GRANT_AUTHORIZATION_CODE,
    )
    secret = application.client_secret
    with transaction.atomic():
        application.save()
    return application, secret


def application_entity(application: OAuthApplication) -> dict[str, Any]:
    uris_list = application.redirect_uris.split()
    return {
        "id": str(application.pk),
        "name": application.name,
        "website": application.website or None,
        "scopes": application.scope_list,
        "redirect_uri": "\n".join(uris_list),
        "redirect_uris": uris_list,
        "vapid_key": vapid.public_key(),
    }


class AppsView(ApiView):
    access = {"POST": public()}
    authentication_classes: list[Any] = []

    def post(self, request: Request) -> Response:
        data = request.data
        raw_scopes = data.get("scopes") or "read"
        scope_list = scopes.parse(
            " ".join(raw_scopes) if isinstance(raw_scopes, list) else raw_scopes
        )
        application, secret = do_create_app(
            name=str(data.get("client_name") or ""),
            redirect_uris=parse_redirect_uris(data.get("redirect_uris")),
            scope_list=scope_list,
            website=str(data.get("website") or ""),
        )
        entity = application_entity(application)
        entity.update(
            client_id=application.client_id, client_secret=secret, client_secret_expires_at=0
        )
        return Response(entity)


class VerifyAppView(ApiView):
    access = {"GET": app()}

    def get(self, request: Request) -> Response:
        return Response(application_entity(request.auth.application))


class UserInfoView(ApiView):
    """OpenID Connect's userinfo, as Mastodon answers it."""

    access = {"GET": public("profile", "read", "read:accounts"),
              "POST": public("profile", "read", "read:accounts")}  # fmt: skip

    def get(self, request: Request) -> Response:
        from accounts.api.serializers import avatar_url
        from fediverse import uris
        from fediverse.api.views import NotAuthorized

        account = self.viewer
        if account is None:
            raise NotAuthorized()
        return Response(
            {
                "iss": uris.base_url() + "/",
                "sub": account.uri,
                "name": account.display_name or account.username,
                "preferred_username": account.username,
                "profile": account.url,
                "picture": avatar_url(account),
            }
        )

    post = get
