"""Settings pages for moving between accounts and leaving: aliases, moving to another
account (or only redirecting to it), and deleting the account."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.services import migration
from accounts.services.deletion import do_delete_own_account


class AliasForm(forms.Form):
    acct = forms.CharField(
        label="Handle of the old account",
        max_length=2048,
        help_text="As user@example.com: the account you are moving from.",
    )


class MoveForm(forms.Form):
    acct = forms.CharField(
        label="Handle of the new account",
        max_length=2048,
        help_text="As user@example.com. The new account must list this one among its aliases.",
    )
    current_password = forms.CharField(
        label="Current password", max_length=1000, widget=forms.PasswordInput
    )


class DeleteForm(forms.Form):
    current_password = forms.CharField(
        label="Current password", max_length=1000, widget=forms.PasswordInput
    )


def _add_errors(form: forms.Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@login_required
def aliases(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = AliasForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            other = migration.do_add_alias(account=user.account, handle=form.cleaned_data["acct"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"@{other.acct} is now an alias of this account.")
            return redirect("/settings/aliases")
    context = {"form": form, "aliases": migration.alias_accounts(user.account)}
    return render(request, "accounts/settings_aliases.html", context)


@login_required
@require_POST
def remove_alias(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    migration.do_remove_alias(account=user.account, uri=request.POST.get("uri", ""))
    messages.success(request, "The alias has been removed.")
    return redirect("/settings/aliases")


@login_required
def move(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = MoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        redirect_only = request.POST.get("mode") == "redirect"
        action = migration.do_redirect if redirect_only else migration.do_move
        try:
            target = action(
                user=user,
                handle=form.cleaned_data["acct"],
                password=form.cleaned_data["current_password"],
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            done = "now redirects to" if redirect_only else "has moved to"
            messages.success(request, f"This account {done} @{target.acct}.")
            return redirect("/settings/migration")
    account = user.account
    context = {
        "form": form,
        "moved_to": account.moved_to,
        "cooldown_ends_at": migration.cooldown_ends_at(account),
        "past": account.migrations.order_by("-created_at")[:10],
    }
    return render(request, "accounts/settings_migration.html", context)


@login_required
@require_POST
def cancel_move(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    migration.do_cancel_redirect(account=user.account)
    messages.success(request, "This account no longer points to another one.")
    return redirect("/settings/migration")


@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = DeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            do_delete_own_account(user=user, password=form.cleaned_data["current_password"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            logout(request)
            messages.success(request, "Your account has been deleted.")
            return redirect("/")
    return render(request, "accounts/settings_delete.html", {"form": form})
