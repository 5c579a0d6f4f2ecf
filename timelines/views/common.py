from typing import Any

from django.http import HttpRequest

from accounts.models import Account


def viewer_of(request: HttpRequest) -> Account | None:
    user = request.user
    if user.is_authenticated:
        return user.account  # type: ignore[union-attr]
    return None


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def page_ids(request: HttpRequest) -> dict[str, Any]:
    return {"max_id": _int_param(request, "max_id"), "min_id": _int_param(request, "min_id")}
