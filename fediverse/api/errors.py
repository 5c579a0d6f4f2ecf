"""Every API error is JSON shaped as Mastodon's: {"error": "..."} with its status code."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from rest_framework import exceptions, status
from rest_framework.response import Response


class ApiError(exceptions.APIException):
    def __init__(self, message: str, code: int = 422, **extra: Any) -> None:
        super().__init__(message)
        self.status_code = code
        self.extra = extra


def validation_message(error: DjangoValidationError) -> str:
    if hasattr(error, "error_dict"):
        parts = [
            f"{field.replace('_', ' ').capitalize()} {message[0].lower() + message[1:]}"
            if field != "__all__"
            else message
            for field, messages in error.message_dict.items()
            for message in messages
        ]
    else:
        parts = list(error.messages)
    return "Validation failed: " + ", ".join(p.rstrip(".") for p in parts)


def _flatten(detail: Any) -> str:
    if isinstance(detail, dict):
        return ", ".join(f"{k} {_flatten(v)}" for k, v in detail.items())
    if isinstance(detail, list):
        return ", ".join(_flatten(d) for d in detail)
    return str(detail)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        return Response({"error": "Record not found"}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoValidationError):
        return Response({"error": validation_message(exc)}, status=422)
    if isinstance(exc, PermissionDenied):
        return Response({"error": "This action is not allowed"}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, ApiError):
        return Response({"error": str(exc.detail), **exc.extra}, status=exc.status_code)
    if isinstance(exc, exceptions.NotFound):
        return Response({"error": "Record not found"}, status=404)
    if isinstance(exc, exceptions.ValidationError):
        return Response({"error": "Validation failed: " + _flatten(exc.detail)}, status=422)
    if isinstance(exc, exceptions.APIException):
        response = Response({"error": _flatten(exc.detail)}, status=exc.status_code)
        if getattr(exc, "wait", None):
            response["Retry-After"] = str(int(exc.wait))  # type: ignore[attr-defined]
        return response
    return None


def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    return JsonResponse({"error": "Record not found"}, status=404)
