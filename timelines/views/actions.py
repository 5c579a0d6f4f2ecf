"""Posting, deleting and the buttons under a post. Each answers with a redirect back."""

from collections.abc import Callable
from dataclasses import replace

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.models import Account, User
from media.models import MediaAttachment
from media.services.compose import do_create_compose_media, do_discard_media
from timelines.forms import ComposeForm
from timelines.models import Status
from timelines.services import interactions, statuses


def _back(request: HttpRequest, fallback: str = "/") -> HttpResponse:
    target = request.POST.get("next") or request.META.get("HTTP_REFERER") or fallback
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = fallback
    return redirect(target)


def _account(request: HttpRequest) -> Account:
    user: User = request.user  # type: ignore[assignment]
    return user.account


@login_required
@require_POST
def create_status(request: HttpRequest) -> HttpResponse:
    form = ComposeForm(request.POST, request.FILES)
    if form.is_valid():
        account = _account(request)
        media: list[MediaAttachment] = []
        try:
            media = do_create_compose_media(account=account, items=form.attachments())
            data = replace(form.to_input(), media_ids=tuple(item.pk for item in media))
            status = statuses.do_create_status(account=account, data=data)
        except ValidationError as error:
            do_discard_media(media)
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, "Your post is published.")
            return _back(request, status.account.path)
    return render(request, "timelines/compose_failed.html", {"compose": form}, status=400)


def _visible(request: HttpRequest, status_id: int) -> Status:
    try:
        return interactions.find_visible_status(account=_account(request), status_id=status_id)
    except Status.DoesNotExist as error:
        raise Http404("No such post") from error


@login_required
@require_POST
def delete_status(request: HttpRequest, status_id: int) -> HttpResponse:
    status = _visible(request, status_id)
    try:
        statuses.do_delete_status(account=_account(request), status=status)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _back(request)
    messages.success(request, "Your post has been deleted.")
    return redirect(_account(request).path)


Action = Callable[..., object]

ACTIONS: dict[str, Action] = {
    "favourite": interactions.do_favourite,
    "unfavourite": interactions.do_unfavourite,
    "reblog": interactions.do_reblog,
    "unreblog": interactions.do_unreblog,
    "bookmark": interactions.do_bookmark,
    "unbookmark": interactions.do_unbookmark,
}


@login_required
@require_POST
def interact(request: HttpRequest, status_id: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404("No such action")
    status = _visible(request, status_id)
    try:
        ACTIONS[action](account=_account(request), status=status)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    return _back(request)
