"""Counts who used the server today, for the instance activity figures."""

from collections.abc import Callable
from datetime import date

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, empty

from moderation.services.activity import record_login


class LoginActivityMiddleware:
    """After each request by a signed-in user (web session or API token), mark them active
    for the day. Only a user the request already loaded is counted: this adds no query."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = request.__dict__.get("user")
        if isinstance(user, SimpleLazyObject) and getattr(user, "_wrapped", None) is empty:
            return response
        if user is not None and user.is_authenticated and user.pk is not None:
            note(int(user.pk))
        return response


class _Seen:
    day: date | None = None
    users: set[int] = set()


def note(user_id: int) -> None:
    """Count the user active today. Once per user, day and process is enough: the day's count
    is of distinct users."""
    today = timezone.now().date()
    if today != _Seen.day:
        _Seen.day, _Seen.users = today, set()
    if user_id not in _Seen.users:
        _Seen.users.add(user_id)
        record_login(user_id)
