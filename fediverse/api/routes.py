"""Mastodon API paths answer with or without a trailing slash."""

from typing import Any

from django.urls import URLPattern, path


def api(route: str, view: Any) -> list[URLPattern]:
    callable_view = view.as_view() if hasattr(view, "as_view") else view
    return [path(route, callable_view), path(route + "/", callable_view)]


def flatten(*groups: list[URLPattern]) -> list[URLPattern]:
    return [pattern for group in groups for pattern in group]
