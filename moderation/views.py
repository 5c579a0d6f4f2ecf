"""Public about page, and invite links made by users when the admin allows it."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import User
from fediverse import uris
from moderation.api.domain_blocks_public import public_domain_blocks
from moderation.forms import InviteForm
from moderation.models import InstanceSettings, Invite, Rule
from moderation.services.invites import can_invite, do_create_invite, do_expire_invite


def about(request: HttpRequest) -> HttpResponse:
    signed_in = bool(request.user.is_authenticated and request.user.is_active)
    blocks = public_domain_blocks(signed_in=signed_in)
    return render(
        request, "moderation/about.html", {"rules": Rule.objects.all(), "domain_blocks": blocks}
    )


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


def privacy_policy(request: HttpRequest) -> HttpResponse:
    from fediverse.api.instance_extra import (
        DEFAULT_PRIVACY_POLICY,
        DEFAULT_PRIVACY_POLICY_DATE,
        render_text,
    )

    instance = InstanceSettings.current()
    text = instance.privacy_policy or DEFAULT_PRIVACY_POLICY
    updated = (
        instance.privacy_policy_updated_at or instance.updated_at
        if instance.privacy_policy
        else DEFAULT_PRIVACY_POLICY_DATE
    )
    return render(
        request,
        "moderation/legal_text.html",
        {"heading": "Privacy policy", "content": render_text(text), "updated": updated},
    )


def terms_of_service(request: HttpRequest) -> HttpResponse:
    from fediverse.api.instance_extra import render_text

    instance = InstanceSettings.current()
    if not instance.terms_of_service:
        raise Http404("This server publishes no terms of service")
    return render(
        request,
        "moderation/legal_text.html",
        {
            "heading": "Terms of service",
            "content": render_text(instance.terms_of_service),
            "updated": instance.terms_of_service_updated_at or instance.updated_at,
        },
    )
