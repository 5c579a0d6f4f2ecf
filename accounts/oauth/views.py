"""OAuth endpoints with Mastodon's behaviour on top of django-oauth-toolkit: the consent page,
out-of-band codes, force_login, S256-only PKCE, Mastodon's token response and revoke body."""

import json
from typing import Any
from urllib.parse import parse_qs, urlparse

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider import views as oauth_views
from oauth2_provider.models import get_access_token_model

from accounts.oauth.apps import OOB
from fediverse import uris
from fediverse.api import scopes


class AuthorizeView(oauth_views.AuthorizationView):
    template_name = "accounts/oauth_authorize.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wants_fresh_login = request.GET.get("force_login", "").lower() in ("1", "true")
        if request.method == "GET" and wants_fresh_login and request.user.is_authenticated:
            # Log out and come back without force_login, so the new login is not undone.
            logout(request)
            query = request.GET.copy()
            query.pop("force_login")
            return redirect_to_login(f"{request.path}?{query.urlencode()}")
        method = request.GET.get("code_challenge_method") or request.POST.get(
            "code_challenge_method"
        )
        challenge = request.GET.get("code_challenge") or request.POST.get("code_challenge")
        if challenge and method != "S256":
            return render(
                request,
                self.template_name,
                {"error": {"error": "invalid_request",
                           "description": "Only the S256 code challenge method is supported."}},
                status=400,
            )  # fmt: skip
        if request.user.is_authenticated and not request.user.functional:  # type: ignore[union-attr]
            logout(request)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["scope_list"] = scopes.parse(
            context.get("scope") or self.oauth2_data.get("scope", "")
        )
        return context

    def redirect(self, redirect_to: str, application: Any) -> HttpResponse:
        if redirect_to.startswith(OOB):
            code = parse_qs(urlparse(redirect_to).query).get("code", [""])[0]
            return render(
                self.request, "accounts/oauth_code.html", {"code": code, "application": application}
            )
        return super().redirect(redirect_to, application)


@method_decorator(csrf_exempt, name="dispatch")
class TokenView(oauth_views.TokenView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        body = json.loads(response.content)
        token = (
            get_access_token_model()
            .objects.filter(token_checksum=_checksum(body["access_token"]))
            .first()
        )
        created = int(token.created.timestamp()) if token is not None else 0
        return JsonResponse(
            {"access_token": body["access_token"], "token_type": "Bearer",
             "scope": body.get("scope", ""), "created_at": created},
        )  # fmt: skip


def _checksum(raw: str) -> str:
    import hashlib

    return hashlib.sha256(raw.encode()).hexdigest()


@method_decorator(csrf_exempt, name="dispatch")
class RevokeView(oauth_views.RevokeTokenView):
    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        if response.status_code == 200:
            return JsonResponse({})
        if response.status_code in (400, 401):
            return JsonResponse(
                {"error": "unauthorized_client",
                 "error_description": "You are not authorized to revoke this token"},
                status=403,
            )  # fmt: skip
        return response


def authorization_server_metadata(request: HttpRequest) -> JsonResponse:
    base = uris.base_url()
    return JsonResponse(
        {
            "issuer": base + "/",
            "service_documentation": "https://docs.joinmastodon.org/",
            "authorization_endpoint": base + "/oauth/authorize",
            "token_endpoint": base + "/oauth/token",
            "app_registration_endpoint": base + "/api/v1/apps",
            "revocation_endpoint": base + "/oauth/revoke",
            "userinfo_endpoint": base + "/oauth/userinfo",
            "scopes_supported": list(scopes.ALL_SCOPES),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query", "fragment", "form_post"],
            "code_challenge_methods_supported": ["S256"],
            "grant_types_supported": ["authorization_code", "client_credentials"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        }
    )
