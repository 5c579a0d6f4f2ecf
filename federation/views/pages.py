"""The ActivityPub side of the web pages' URLs, called by federation.negotiation when a
client asks `/@name` or `/@name/<id>` for ActivityPub JSON. None means "serve the page"."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from federation.authentication import Rejected, fetch_viewer
from federation.lookup import local_host
from federation.negotiation import activitypub_response
from federation.selectors import local_account
from federation.views.common import refusal
from federation.views.documents import actor_response, note_document


def _local_username(acct: str) -> str | None:
    username, _, domain = acct.lstrip("@").partition("@")
    if domain and domain.lower() != local_host():
        return None
    return username


def actor_for_acct(request: HttpRequest, acct: str) -> HttpResponse | None:
    username = _local_username(acct)
    account = local_account(username) if username else None
    if account is None:
        return None
    return actor_response(request, account)


def note_for_acct(request: HttpRequest, acct: str, status_id: int | str) -> HttpResponse | None:
    username = _local_username(acct)
    if username is None or local_account(username) is None:
        return None
    try:
        viewer = fetch_viewer(request)
    except Rejected as rejected:
        return refusal(rejected)
    return activitypub_response(note_document(viewer, username, int(status_id)))
