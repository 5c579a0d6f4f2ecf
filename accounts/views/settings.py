"""The signed-in user's own settings: profile, email and password."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from accounts.forms import ChangeEmailForm, ChangePasswordForm, ProfileForm, initial_profile
from accounts.models import User
from accounts.services import profile


def _add_errors(form, error: ValidationError) -> None:  # type: ignore[no-untyped-def]
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def edit_profile(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            profile.do_update_profile(
                account=user.account,
                display_name=data["display_name"],
                note=data["note"],
                fields=data["fields"],
                locked=data["locked"],
                bot=data["bot"],
                avatar=data.get("avatar") or None,
                header=data.get("header") or None,
            )
            messages.success(request, "Your profile has been saved.")
            return redirect("/settings/profile")
    else:
        form = ProfileForm(initial=initial_profile(user))
    return render(request, "accounts/settings_profile.html", {"form": form})


@login_required
def edit_account(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    email_form = ChangeEmailForm(prefix="email")
    password_form = ChangePasswordForm(prefix="password")
    if request.method == "POST" and "email-email" in request.POST:
        email_form = ChangeEmailForm(request.POST, prefix="email")
        if email_form.is_valid():
            try:
                profile.do_change_email(
                    user=user,
                    current_password=email_form.cleaned_data["current_password"],
                    email=email_form.cleaned_data["email"],
                )
            except ValidationError as error:
                _add_errors(email_form, error)
            else:
                messages.success(
                    request, "Open the link we sent to your new address to confirm it."
                )
                return redirect("/settings/account")
    elif request.method == "POST":
        password_form = ChangePasswordForm(request.POST, prefix="password")
        if password_form.is_valid():
            try:
                profile.do_change_password(
                    user=user,
                    current=password_form.cleaned_data["current_password"],
                    new=password_form.cleaned_data["password"],
                )
            except ValidationError as error:
                _add_errors(password_form, error)
            else:
                update_session_auth_hash(request, user)
                messages.success(request, "Your password has been changed.")
                return redirect("/settings/account")
    return render(
        request,
        "accounts/settings_account.html",
        {"email_form": email_form, "password_form": password_form},
    )
