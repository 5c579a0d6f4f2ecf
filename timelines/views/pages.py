"""Timelines, a post's page with its thread, notifications and bookmarks."""

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode

from accounts.selectors import find_account_by_acct
from federation.negotiation import note_alternate
from fediverse import uris
from timelines import selectors
from timelines.forms import ComposeForm
from timelines.models import Status, Visibility
from timelines.views.common import page_ids, viewer_of


def oembed_discovery(status: Status) -> str | None:
    """Where consumers find how to embed the post: public posts of local accounts only."""
    if status.visibility != Visibility.PUBLIC or not status.account.local:
        return None
    url = uris.status_url(status.account.username, status.pk)
    return uris.absolute("/api/oembed?" + urlencode({"format": "json", "url": url}))


def _timeline(
    request: HttpRequest,
    qs: QuerySet[Status],
    title: str,
    *,
    compose: bool = False,
    **extra: object,
) -> HttpResponse:
    viewer = viewer_of(request)
    statuses = selectors.paginate(qs, **page_ids(request))
    context = {
        "title": title,
        "statuses": statuses,
        "facts": selectors.status_facts(viewer, statuses),
        "compose": ComposeForm() if viewer is not None and compose else None,
        "older": statuses[-1].pk if len(statuses) >= selectors.PAGE_SIZE else None,
        **extra,
    }
    return render(request, "timelines/timeline.html", context)


def home(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    if viewer is None:
        return _timeline(
            request, selectors.public_timeline(None, local=True), "Recent posts", landing=True
        )
    return _timeline(request, selectors.home_timeline(viewer), "Home", compose=True)


def local_timeline(request: HttpRequest) -> HttpResponse:
    return _timeline(
        request, selectors.public_timeline(viewer_of(request), local=True), "Local timeline"
    )


def federated_timeline(request: HttpRequest) -> HttpResponse:
    return _timeline(request, selectors.public_timeline(viewer_of(request)), "Federated timeline")


def tag(request: HttpRequest, name: str) -> HttpResponse:
    return _timeline(
        request,
        selectors.tag_timeline(viewer_of(request), name),
        f"#{name}",
        rss=f"/tags/{quote(name)}.rss",
    )


@login_required
def bookmarks(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    assert viewer is not None
    return _timeline(request, selectors.bookmarked_statuses(viewer), "Bookmarks")


@note_alternate
def status_page(request: HttpRequest, acct: str, status_id: int) -> HttpResponse:
    viewer = viewer_of(request)
    account = find_account_by_acct(acct)
    status = (
        Status.objects.visible_to(viewer)
        .filter(pk=status_id, account=account, reblog__isnull=True)
        .select_related("account", "in_reply_to_account")
        .first()
        if account is not None and account.suspended_at is None
        else None
    )
    if status is None:
        # Invisible answers exactly like missing.
        raise Http404("No such post")
    ancestors, descendants = selectors.thread(viewer, status)
    everything = [*ancestors, status, *descendants]
    compose = None
    if viewer is not None:
        compose = ComposeForm(
            initial={
                "in_reply_to_id": status.pk,
                "text": f"@{status.account.acct} " if status.account_id != viewer.pk else "",
                "visibility": status.visibility if status.visibility != "public" else "public",
                "spoiler_text": status.spoiler_text,
            }
        )
    return render(
        request,
        "timelines/status_page.html",
        {
            "status": status,
            "ancestors": ancestors,
            "descendants": descendants,
            "facts": selectors.status_facts(viewer, everything),
            "compose": compose,
            "oembed": oembed_discovery(status),
        },
    )


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    viewer = viewer_of(request)
    assert viewer is not None
    qs = selectors.notifications(viewer)
    max_id = page_ids(request)["max_id"]
    if max_id is not None:
        qs = qs.filter(id__lt=max_id)
    items = list(qs[: selectors.PAGE_SIZE])
    older = items[-1].pk if len(items) >= selectors.PAGE_SIZE else None
    return render(request, "timelines/notifications.html", {"notifications": items, "older": older})
