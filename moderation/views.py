"""Public about page, and invite links made by users when the admin allows it."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import User
from fediverse import uris
from moderation.forms import InviteForm
from moderation.models import Invite, Rule
from moderation.services.invites import can_invite, do_create_invite, do_expire_invite


def about(request: HttpRequest) -> HttpResponse:
    return render(request, "moderation/about.html", {"rules": Rule.objects.all()})


@login_required
def invites(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not can_invite(user):
        raise PermissionDenied("Only admins can create invites on this server.")
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        expires = form.cleaned_data["expires_in"]
        do_create_invite(
            user=user,
            max_uses=form.cleaned_data["max_uses"],
            expires_in=timedelta(seconds=int(expires)) if expires else None,
            autofollow=form.cleaned_data["autofollow"],
        )
        messages.success(request, "Invite link created.")
        return redirect("/invites")
    mine = Invite.objects.filter(user=user).order_by("-id")
    return render(
        request,
        "moderation/invites.html",
        {"form": form, "invites": mine, "base": uris.absolute("/invite/")},
    )


@login_required
@require_POST
def expire_invite(request: HttpRequest, invite_id: int) -> HttpResponse:
    invite = get_object_or_404(Invite, pk=invite_id, user=request.user)
    do_expire_invite(invite=invite)
    return redirect("/invites")
