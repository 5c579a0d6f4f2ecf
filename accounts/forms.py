"""Web forms. Each delegates its rules to the services' check_ functions."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from accounts.models import User
from accounts.services import profile as profile_service
from accounts.services import registration

TEXT = {"autocomplete": "off"}


class SignUpForm(forms.Form):
    username = forms.CharField(
        max_length=200, widget=forms.TextInput(attrs={"autocomplete": "username"})
    )
    email = forms.CharField(
        max_length=1000, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    password = forms.CharField(
        max_length=1000, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password_confirmation = forms.CharField(
        label="Confirm password",
        max_length=1000,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    reason = forms.CharField(
        label="Why do you want to join?",
        required=False,
        widget=forms.Textarea,
        max_length=registration.SIGN_UP_REASON_MAX_LENGTH,
    )
    agreement = forms.BooleanField(
        label="I have read and agree to the server rules.",
        error_messages={"required": "You must agree to the server rules to sign up."},
    )

    def __init__(self, *args: Any, reason_required: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = reason_required

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip().lstrip("@")
        registration.check_username(username)
        return username

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        registration.check_email(email)
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        password = data.get("password")
        if password and password != data.get("password_confirmation"):
            self.add_error("password_confirmation", "The passwords do not match.")
        elif password:
            try:
                registration.check_password(
                    password, username=data.get("username", ""), email=data.get("email", "")
                )
            except ValidationError as error:
                self.add_error("password", error)
        return data


class LoginForm(forms.Form):
    email = forms.CharField(label="Email address or username", max_length=254)
    password = forms.CharField(
        max_length=1000, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(max_length=254)


class SetPasswordForm(forms.Form):
    password = forms.CharField(label="New password", max_length=1000, widget=forms.PasswordInput)
    password_confirmation = forms.CharField(
        label="Confirm new password", max_length=1000, widget=forms.PasswordInput
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password") and data.get("password") != data.get("password_confirmation"):
            self.add_error("password_confirmation", "The passwords do not match.")
        return data


class ChangePasswordForm(SetPasswordForm):
    current_password = forms.CharField(max_length=1000, widget=forms.PasswordInput)
    field_order = ["current_password", "password", "password_confirmation"]


class ChangeEmailForm(forms.Form):
    email = forms.EmailField(label="New email address", max_length=254)
    current_password = forms.CharField(max_length=1000, widget=forms.PasswordInput)


class ProfileForm(forms.Form):
    display_name = forms.CharField(required=False, max_length=1000)
    note = forms.CharField(label="Bio", required=False, max_length=5000, widget=forms.Textarea)
    avatar = forms.FileField(required=False, help_text="PNG, JPEG, GIF or WebP, at most 2 MB")
    header = forms.FileField(required=False, help_text="PNG, JPEG, GIF or WebP, at most 2 MB")
    locked = forms.BooleanField(
        label="Require follow requests",
        required=False,
        help_text="You approve each new follower by hand.",
    )
    bot = forms.BooleanField(label="This is a bot account", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for i in range(profile_service.MAX_FIELDS):
            self.fields[f"field_{i}_name"] = forms.CharField(
                label=f"Label {i + 1}", required=False, max_length=1000
            )
            self.fields[f"field_{i}_value"] = forms.CharField(
                label=f"Content {i + 1}", required=False, max_length=1000
            )

    def field_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"field_{i}_name"], self[f"field_{i}_value"])
            for i in range(profile_service.MAX_FIELDS)
        ]

    def clean_avatar(self) -> Any:
        upload = self.cleaned_data.get("avatar")
        if upload:
            profile_service.check_image(upload)
        return upload

    def clean_header(self) -> Any:
        upload = self.cleaned_data.get("header")
        if upload:
            profile_service.check_image(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        rows = [
            {"name": data.get(f"field_{i}_name", ""), "value": data.get(f"field_{i}_value", "")}
            for i in range(profile_service.MAX_FIELDS)
        ]
        try:
            data["fields"] = profile_service.check_profile(
                display_name=data.get("display_name", ""), note=data.get("note", ""), fields=rows
            )
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(None if name == "fields" else name, messages)
        return data


def initial_profile(user: User) -> dict[str, Any]:
    account = user.account
    initial: dict[str, Any] = {
        "display_name": account.display_name,
        "note": account.note_source,
        "locked": account.locked,
        "bot": account.bot,
    }
    for i, field in enumerate(account.fields[: profile_service.MAX_FIELDS]):
        initial[f"field_{i}_name"] = field.get("name", "")
        initial[f"field_{i}_value"] = field.get("value", "")
    return initial
