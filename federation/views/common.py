"""What every ActivityPub GET view shares: who asks (a signer or nobody), the refusal when
AUTHORIZED_FETCH requires a signature, the local account named in the path, and pagination
parameters."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from accounts.models import Account
from federation.authentication import Rejected, fetch_viewer
from federation.negotiation import activitypub_response
from federation.selectors import local_account

DocumentView = Callable[..., dict[str, Any] | HttpResponse]


def refusal(rejected: Rejected) -> HttpResponse:
    return HttpResponse(rejected.reason, status=rejected.status, content_type="text/plain")


def activitypub_view(view: DocumentView) -> Callable[..., HttpResponse]:
    """Calls `view(request, viewer, ...)`; a dict it returns is sent as ActivityPub JSON."""

    @require_safe
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            viewer = fetch_viewer(request)
        except Rejected as rejected:
            return refusal(rejected)
        result = view(request, viewer, *args, **kwargs)
        return activitypub_response(result) if isinstance(result, dict) else result

    return wrapper


def available_account(username: str) -> Account:
    """A local account that still shows its content; anything else is missing."""
    account = local_account(username)
    if account is None or account.suspended_at is not None:
        raise Http404("No such account")
    return account


def int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 20 else None


def page_requested(request: HttpRequest) -> bool:
    return "page" in request.GET
