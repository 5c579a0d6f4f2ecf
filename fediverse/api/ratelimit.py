"""Rate limits as Mastodon applies them: the Rack::Attack throttles (per account, per token,
per address, and stricter ones for sign-ups, media uploads, deletions and paging) and the
per-account families counted only when something is created (statuses, follows, reports).

Counters are fixed windows aligned on the epoch, kept in Django's cache (Redis in
production) so that every web process shares them. Limits come from settings
(`API_RATELIMITS`, "requests/period" such as "300/5m"), which read environment variables."""

import hashlib
import ipaddress
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from oauth2_provider.models import get_access_token_model

RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd]?)\s*$")
UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}
TOKEN_CACHE_SECONDS = 300
PAGING_PARAMS = ("page", "min_id", "max_id", "since_id")
MEDIA_RE = re.compile(r"^/api/v\d+/media/?$", re.IGNORECASE)
UNREBLOG_RE = re.compile(r"^/api/v1/statuses/\d+/unreblog/?$")
STATUS_RE = re.compile(r"^/api/v1/statuses/\d+/?$")
SIGN_UP_RE = re.compile(r"^/api/v1/accounts/?$")


def parse_rate(rate: str) -> tuple[int, int]:
    """Read "300/5m" as (300, 300): the requests allowed, and the window in seconds."""
    match = RATE_RE.match(rate)
    if match is None:
        raise ValueError(f"Rate limits are written as requests/period, like 300/5m: {rate!r}")
    count, amount, unit = match.groups()
    return int(count), int(amount or 1) * UNITS[unit]


@dataclass(frozen=True)
class Client:
    """Who is asking, as Rack::Attack tells them apart."""

    ip: str
    token_id: int | None = None
    user_id: int | None = None


def throttleable_ip(address: str) -> str:
    """IPv6 clients get a whole /64, as one host usually holds all of it."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def raw_token(request: HttpRequest) -> str | None:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip() or None
    return request.GET.get("access_token") or None


def token_owner(raw: str) -> tuple[int | None, int | None]:
    """(token id, user id) of a bearer token; cached, since every API request asks."""
    checksum = hashlib.sha256(raw.encode()).hexdigest()
    key = f"ratelimit:token:{checksum}"
    found = cache.get(key)
    if found is None:
        row = (
            get_access_token_model()
            .objects.filter(token_checksum=checksum)
            .values_list("id", "user_id")
            .first()
        )
        found = list(row) if row else [None, None]
        cache.set(key, found, TOKEN_CACHE_SECONDS)
    return found[0], found[1]


def session_user_id(request: HttpRequest) -> int | None:
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return None
    user = getattr(request, "user", None)
    return int(user.pk) if user is not None and user.is_authenticated else None


def identify(request: HttpRequest) -> Client:
    ip = throttleable_ip(request.META.get("REMOTE_ADDR", ""))
    raw = raw_token(request)
    if raw is not None:
        token_id, user_id = token_owner(raw)
        return Client(ip, token_id, user_id)
    return Client(ip, None, session_user_id(request))


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api")


def paging(request: HttpRequest) -> bool:
    return any(request.GET.get(name) for name in PAGING_PARAMS)


def deleting(request: HttpRequest) -> bool:
    return (request.method == "POST" and bool(UNREBLOG_RE.match(request.path))) or (
        request.method == "DELETE" and bool(STATUS_RE.match(request.path))
    )


Discriminator = Callable[[HttpRequest, Client], Any]

# (counter name, setting key, who is counted): Mastodon's throttles, in its order.
THROTTLES: list[tuple[str, str, Discriminator]] = [
    ("authenticated_api", "per_account", lambda r, c: c.user_id if is_api(r) else None),
    ("per_token_api", "per_token", lambda r, c: c.token_id if is_api(r) else None),
    ("unauthenticated_api", "anonymous",
     lambda r, c: c.ip if is_api(r) and c.user_id is None else None),
    ("api_media", "media",
     lambda r, c: c.user_id if r.method == "POST" and MEDIA_RE.match(r.path) else None),
    ("api_sign_up", "sign_up",
     lambda r, c: c.ip if r.method == "POST" and SIGN_UP_RE.match(r.path) else None),
    ("authenticated_paging", "paging", lambda r, c: c.user_id if paging(r) else None),
    ("unauthenticated_paging", "paging",
     lambda r, c: c.ip if paging(r) and c.user_id is None else None),
    ("api_delete", "delete", lambda r, c: c.user_id if deleting(r) else None),
]  # fmt: skip

# Families count what an account creates, whatever the number of requests it took.
FAMILIES: list[tuple[str, re.Pattern[str]]] = [
    ("statuses", re.compile(r"^/api/v1/statuses(/\d+/reblog)?/?$")),
    ("follows", re.compile(r"^/api/v1/accounts/\d+/follow/?$")),
    ("reports", re.compile(r"^/api/v1/reports/?$")),
]


@dataclass
class Window:
    limit: int
    period: int
    count: int

    @property
    def remaining(self) -> int:
        return max(self.limit - self.count, 0)

    def reset(self, now: float) -> str:
        moment = (int(now) // self.period + 1) * self.period
        return datetime.fromtimestamp(moment, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def window_key(name: str, who: Any, period: int, now: float) -> tuple[str, int]:
    """The counter's key in the current window, and seconds until that window closes."""
    index = int(now) // period
    return f"ratelimit:{name}:{who}:{period}:{index}", period - int(now) % period + 1


def increment(key: str, ttl: int) -> int:
    cache.add(key, 0, ttl)
    try:
        return int(cache.incr(key))
    except ValueError:  # the window closed between add and incr
        cache.set(key, 1, ttl)
        return 1


@dataclass
class Family:
    key: str
    ttl: int
    window: Window


@dataclass
class Check:
    request: HttpRequest
    client: Client
    now: float = field(default_factory=time.time)
    windows: list[Window] = field(default_factory=list)

    def rate(self, setting: str) -> tuple[int, int]:
        return parse_rate(settings.API_RATELIMITS[setting])

    def throttle(self) -> Window | None:
        """Count the request against each throttle that applies; the first one over its
        limit stops it, and the throttles after it are not counted, as in Rack::Attack."""
        for name, setting, discriminator in THROTTLES:
            who = discriminator(self.request, self.client)
            if who is None:
                continue
            limit, period = self.rate(setting)
            window = Window(limit, period, increment(*window_key(name, who, period, self.now)))
            self.windows.append(window)
            if window.count > limit:
                return window
        return None

    def family(self) -> Family | None:
        if self.request.method != "POST" or self.client.user_id is None:
            return None
        for name, pattern in FAMILIES:
            if pattern.match(self.request.path):
                limit, period = self.rate(name)
                key, ttl = window_key(f"family:{name}", self.client.user_id, period, self.now)
                return Family(key, ttl, Window(limit, period, int(cache.get(key, 0))))
        return None


def headers_for(window: Window, now: float) -> dict[str, str]:
    return {
        "X-RateLimit-Limit": str(window.limit),
        "X-RateLimit-Remaining": str(window.remaining),
        "X-RateLimit-Reset": window.reset(now),
    }


def too_many_requests(window: Window, now: float) -> HttpResponse:
    response = JsonResponse({"error": "Too many requests"}, status=429)
    for name, value in headers_for(window, now).items():
        response[name] = value
    response["X-RateLimit-Remaining"] = "0"
    return response


class RateLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return limited(request, self.get_response)


def limited(
    request: HttpRequest, get_response: Callable[[HttpRequest], HttpResponse]
) -> HttpResponse:
    """The response, counted against the client's limits with their headers, or a 429."""
    if not settings.API_RATELIMIT_ENABLE or not (is_api(request) or paging(request)):
        return get_response(request)
    if request.META.get("REMOTE_ADDR") in settings.API_RATELIMIT_SAFELIST:
        return get_response(request)
    check = Check(request, identify(request))
    over = check.throttle()
    if over is not None:
        return too_many_requests(over, check.now)
    family = check.family()
    if family is not None and family.window.remaining == 0:
        return too_many_requests(family.window, check.now)
    response = get_response(request)
    if is_api(request) and check.windows:
        tightest = min(check.windows, key=lambda w: w.limit - w.count)
        for name, value in headers_for(tightest, check.now).items():
            response[name] = value
    if family is not None:
        count_creation(response, family, check.now)
    return response


def count_creation(response: HttpResponse, family: Family, now: float) -> None:
    """A family counts what was created; its headers win unless they leave more room."""
    window = family.window
    if response.status_code < 400:
        window.count = increment(family.key, family.ttl)
    shown = response.get("X-RateLimit-Remaining")
    if shown is None or window.remaining <= int(shown):
        for name, value in headers_for(window, now).items():
            response[name] = value
