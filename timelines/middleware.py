"""Keeps User.last_active_at, which decides who gets home fan-out (timelines.fanout)."""

from collections.abc import Callable
from datetime import timedelta

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, empty

from accounts.models import User

# Often enough for a seven-day threshold, rare enough to cost one UPDATE per user per hour.
REFRESH = timedelta(hours=1)


class LastActiveMiddleware:
    """After a request by a signed-in user (web session or API token), move last_active_at
    forward when it is more than an hour old. It reads the user the request already loaded,
    so most requests make no query at all."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = request.__dict__.get("user")
        if isinstance(user, SimpleLazyObject) and getattr(user, "_wrapped", None) is empty:
            return response
        if isinstance(user, SimpleLazyObject):
            user = user._wrapped  # type: ignore[attr-defined]
        if isinstance(user, User):
            touch(user)
        return response


def touch(user: User) -> None:
    now = timezone.now()
    if user.last_active_at is None or now - user.last_active_at > REFRESH:
        User.objects.filter(pk=user.pk).update(last_active_at=now)
        user.last_active_at = now
