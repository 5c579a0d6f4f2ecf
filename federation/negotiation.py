"""Content negotiation between the web pages and the ActivityPub documents that share their
URLs: `/@name` and `/@name/<id>` answer ActivityPub JSON to clients that ask for it (by
`Accept`) and HTML to everyone else."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

ACTIVITYPUB_TYPES = ("application/activity+json", "application/ld+json")
CONTENT_TYPE = "application/activity+json; charset=utf-8"

View = Callable[..., HttpResponse]


def _media_ranges(accept: str) -> list[str]:
    """Media types in order of preference: by q, then by the order given."""
    ranges = []
    for position, item in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in item.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            ranges.append((-quality, position, media.lower()))
    return [media for _, _, media in sorted(ranges)]


def wants_activitypub(request: HttpRequest) -> bool:
    for media in _media_ranges(request.headers.get("Accept", "")):
        if media in ACTIVITYPUB_TYPES:
            return True
        if media in ("text/html", "application/xhtml+xml", "*/*", "text/*"):
            return False
    return False


def activitypub_response(document: dict[str, Any], status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False), content_type=CONTENT_TYPE, status=status
    )
    patch_vary_headers(response, ["Accept", "Signature"])
    return response


def _alternate(document_view_path: str) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if wants_activitypub(request):
                # Imported here: the decorated views' modules are imported by federation's.
                from federation.views import pages

                document = getattr(pages, document_view_path)(request, *args, **kwargs)
                if document is not None:
                    return document
            response = view(request, *args, **kwargs)
            patch_vary_headers(response, ["Accept"])
            return response

        return wrapper

    return decorator


# For accounts.views.profiles.profile(request, acct): the actor document of a local account.
actor_alternate = _alternate("actor_for_acct")
# For timelines.views.pages.status_page(request, acct, status_id): the Note.
note_alternate = _alternate("note_for_acct")
