"""The user's authorized apps, each revocable at once."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from oauth2_provider.models import get_access_token_model

from accounts.models import OAuthApplication


@login_required
def authorized_applications(request: HttpRequest) -> HttpResponse:
    apps = (
        OAuthApplication.objects.filter(accesstoken__user=request.user)
        .annotate(tokens=Count("accesstoken"), last_used=Max("accesstoken__updated"))
        .order_by("name")
    )
    return render(request, "accounts/applications.html", {"applications": apps})


@login_required
@require_POST
def revoke_application(request: HttpRequest, application_id: int) -> HttpResponse:
    tokens = get_access_token_model().objects.filter(
        user=request.user, application_id=application_id
    )
    for token in tokens:
        token.revoke()
    messages.success(request, "The app no longer has access to your account.")
    return redirect("/oauth/authorized_applications")
