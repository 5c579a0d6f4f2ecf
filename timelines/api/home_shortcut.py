"""GET /api/v1/timelines/home without Django's request cycle.

Apps poll home more than anything else, and with the page's entities cached, most of a
request's time went to the framework around the view: the handler's thread per request, the
middleware, URL resolution, DRF's request and response. The common case (a working user token
holding the scope, a feed built in Redis, PostgreSQL) is answered here from the same parts the
view uses: the token lookup, the feed window, the entity cache, the rate limits, the Link
header, the activity marks. The headers the middleware adds come from the middleware's own
code. Anything else (no token or a bad one, a feed to rebuild, Redis unreachable) goes to
Django untouched, before anything is counted, so that it answers as it always does."""

import asyncio
import io
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from corsheaders.middleware import CorsMiddleware
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.core.handlers.asgi import ASGIRequest
from django.db import close_old_connections
from django.http import HttpRequest, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.middleware.common import CommonMiddleware
from django.middleware.security import SecurityMiddleware
from django.utils.log import log_response
from rest_framework.renderers import JSONRenderer

from accounts.models import Account
from fediverse.api import scopes
from fediverse.api.auth import find_token
from fediverse.api.pagination import Page, id_links
from fediverse.api.ratelimit import limited, raw_token
from moderation.middleware import note
from timelines import selectors
from timelines.api import entity_cache
from timelines.api.views import HomeTimelineView, cursor_of
from timelines.middleware import touch

PATH = "/api/v1/timelines/home"
logger = logging.getLogger(__name__)

Scope = dict[str, Any]
ASGIApp = Callable[..., Any]


def _unused(request: HttpRequest) -> HttpResponse:
    raise AssertionError("only the middleware's request and response steps are called")


# The middleware whose work is done here (fediverse.settings.MIDDLEWARE): with any other list
# every request goes to Django, so that a middleware added later is never skipped.
HANDLED_MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",  # its headers
    "django.middleware.security.SecurityMiddleware",  # its redirect and headers
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files only
    "django.contrib.sessions.middleware.SessionMiddleware",  # the API reads no session
    "django.middleware.common.CommonMiddleware",  # the host check, Content-Length
    "django.middleware.csrf.CsrfViewMiddleware",  # API views are exempt
    "django.contrib.auth.middleware.AuthenticationMiddleware",  # the token's user instead
    "django.contrib.messages.middleware.MessageMiddleware",  # no messages in the API
    "django.middleware.clickjacking.XFrameOptionsMiddleware",  # its header
    "django_ratelimit.middleware.RatelimitMiddleware",  # acts on its exception only
    "fediverse.api.ratelimit.RateLimitMiddleware",  # limited()
    "moderation.middleware.LoginActivityMiddleware",  # note()
    "timelines.middleware.LastActiveMiddleware",  # touch()
]

# The middleware whose steps are called, in the order Django runs them on the way in.
_cors = CorsMiddleware(_unused)
_security = SecurityMiddleware(_unused)
_common = CommonMiddleware(_unused)
_frames = XFrameOptionsMiddleware(_unused)


def _allowed() -> str:
    view = HomeTimelineView()
    view.setup(HttpRequest())  # as Django does per request: HEAD is answered as GET
    return ", ".join(view.allowed_methods)


_ALLOW = _allowed()
_REQUIRED = HomeTimelineView.access["GET"].scopes


class Stats:
    answered = 0  # requests answered here rather than by Django


class HomeShortcut:
    """ASGI middleware in front of Django. The answer is built in a small pool of threads of
    its own, each borrowing a database connection for the request, as Django's threads do."""

    def __init__(self, app: ASGIApp, threads: int = 4) -> None:
        self.app = app
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="home")

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if (
            scope["type"] == "http"
            and scope.get("path") == PATH
            and scope.get("method") == "GET"
            and settings.HOME_SHORTCUT
            and settings.MIDDLEWARE == HANDLED_MIDDLEWARE
        ):
            loop = asyncio.get_running_loop()
            response = await loop.run_in_executor(self.executor, answer, scope)
            if response is not None:
                await _send(response, send)
                return
        await self.app(scope, receive, send)


async def _send(response: HttpResponse, send: Any) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.items()]
    await send({"type": "http.response.start", "status": response.status_code,
                "headers": headers})  # fmt: skip
    await send({"type": "http.response.body", "body": response.content})


def answer(scope: Scope) -> HttpResponse | None:
    """The response, or None for Django to answer."""
    close_old_connections()
    try:
        return _answer(ASGIRequest(scope, io.BytesIO()))
    except Exception:
        # Django answers instead, and reports the error again if it has one of its own.
        logger.exception("home timeline shortcut failed; Django answers")
        return None
    finally:
        close_old_connections()


def plain_json(request: HttpRequest) -> bool:
    """Whether DRF would answer with plain JSON: no `format` override, and an Accept header
    absent or naming JSON without parameters (DRF indents for `indent=`, and refuses with 406
    what JSON cannot satisfy)."""
    if "format" in request.GET:
        return False
    accept = request.headers.get("Accept", "")
    if not accept.strip():
        return True
    matched = False
    for part in accept.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        if any(not param.startswith("q=") for param in params if param):
            return False
        matched = matched or media in ("application/json", "application/*", "*/*")
    return matched


def _answer(request: ASGIRequest) -> HttpResponse | None:
    if not entity_cache.supported() or _security.process_request(request) is not None:
        return None
    if not plain_json(request):
        return None
    try:
        request.get_host()
    except DisallowedHost:
        return None
    raw = raw_token(request)
    token = find_token(raw) if raw is not None else None
    # The view's refusals (scope, app token, unconfirmed or disabled user) are Django's to give.
    if token is None or token.user is None or not token.user.functional:
        return None
    if not scopes.covers(token.scope.split(), _REQUIRED):
        return None
    account: Account = token.user.account
    page = Page.from_query(request.GET)
    # Twice the page, as the view reads it: some may be deleted or by suspended authors.
    ids = selectors.built_home_window(account, page.limit * 2, **cursor_of(page))
    if ids is None:
        return None
    request.user = token.user

    def view(request: HttpRequest) -> HttpResponse:
        data, shown = entity_cache.present_page(
            account, ids, page.limit, "home", oldest=page.min_id is not None
        )
        response = HttpResponse(JSONRenderer().render(data), content_type="application/json")
        if shown:
            response["Link"] = id_links(request.path, request.GET, shown[0], shown[-1])
        response["Allow"] = _ALLOW
        return response

    response = limited(request, view)
    Stats.answered += 1
    touch(token.user)
    note(int(token.user.pk))
    if response.status_code >= 400:
        log_response(f"{response.reason_phrase}: {request.path}", response=response,
                     request=request)  # fmt: skip
    # None of these replaces the response: each adds its headers.
    _frames.process_response(request, response)
    _common.process_response(request, response)
    _security.process_response(request, response)
    _cors.add_response_headers(request, response)
    return response
