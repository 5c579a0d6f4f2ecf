"""Admin panel for local users (the approval queue, roles, disabling) and for accounts, which
are read here and changed only through moderation services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from accounts.models import Account, User
from accounts.services.registration import (
    check_email,
    do_approve_user,
    do_confirm_email,
    do_reject_user,
)
from moderation.services.registrations import (
    assignable_roles,
    check_can_manage,
    check_role_change,
    do_disable_user,
    do_enable_user,
    do_set_email,
    do_set_role,
)

REASON_EXCERPT_LENGTH = 80
# Changed only through actions, which send the emails and keep the rules.
STATE_FIELDS = ("confirmed_at", "unconfirmed_email", "approved", "disabled", "last_active_at",
                "locale")  # fmt: skip

# Roles, not groups, decide what staff may do (User has no PermissionsMixin).
if admin.site.is_registered(Group):
    admin.site.unregister(Group)


class UserStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [
            ("pending", "Pending approval"),
            ("unconfirmed", "Email not confirmed"),
            ("disabled", "Disabled"),
            ("active", "Active"),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> QuerySet[User]:
        match self.value():
            case "pending":
                return queryset.filter(approved=False)
            case "unconfirmed":
                return queryset.filter(confirmed_at__isnull=True)
            case "disabled":
                return queryset.filter(disabled=True)
            case "active":
                return queryset.filter(approved=True, confirmed_at__isnull=False, disabled=False)
        return queryset


class UserChangeForm(forms.ModelForm):
    """Email and role, each checked by the same rules the command line follows."""

    actor: User

    class Meta:
        model = User
        fields = ("email", "role")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "role" in self.fields:
            allowed = {*assignable_roles(self.actor), self.instance.role}
            role_field: Any = self.fields["role"]
            role_field.choices = [c for c in role_field.choices if c[0] in allowed]

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        check_email(email, user=self.instance)
        return email

    def clean_role(self) -> str:
        role: str = self.cleaned_data["role"]
        check_role_change(actor=self.actor, user=self.instance, role=role)
        return role


def _actor(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    form = UserChangeForm
    # The reason early: on narrow screens the table scrolls and the last columns hide.
    list_display = ("username", "email", "reason", "role", "confirmed", "approved", "disabled",
                    "created_at")  # fmt: skip
    list_filter = (UserStatusFilter, "role", "approved", "disabled")
    list_select_related = ("account",)
    search_fields = ("account__username", "email")
    ordering = ("-created_at",)
    actions = ("approve", "reject", "disable", "enable", "confirm_email")
    fieldsets = (
        (None, {"fields": ("username", "email", "role")}),
        ("Sign-up", {"fields": ("sign_up_reason", "sign_up_ip", "invite", "created_at")}),
        ("State", {"fields": STATE_FIELDS}),
    )
    readonly_fields = ("username", "sign_up_reason", "sign_up_ip", "invite", "created_at",
                       *STATE_FIELDS)  # fmt: skip

    @admin.display(description="username", ordering="account__username")
    def username(self, user: User) -> str:
        return user.account.username

    @admin.display(description="confirmed", boolean=True, ordering="confirmed_at")
    def confirmed(self, user: User) -> bool:
        return user.confirmed

    @admin.display(description="reason for joining")
    def reason(self, user: User) -> str:
        text = user.sign_up_reason
        return text if len(text) <= REASON_EXCERPT_LENGTH else text[:REASON_EXCERPT_LENGTH] + "…"

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False,
                 **kwargs: Any) -> Any:  # fmt: skip
        form = super().get_form(request, obj, change, **kwargs)
        return type(form.__name__, (form,), {"actor": _actor(request)})

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> Any:
        fields = tuple(self.readonly_fields)
        if obj is not None and not assignable_roles(_actor(request)):
            fields += ("role",)
        return fields

    # Users come from sign-up or the command line, and leave by rejection or `accounts delete`.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: User | None = None) -> bool:
        if not super().has_change_permission(request, obj):
            return False
        # Otherwise an admin could take over an owner by changing their email address.
        return obj is None or _may_manage(_actor(request), obj)

    def has_moderate_permission(self, request: HttpRequest) -> bool:
        """The approval queue and disabling are moderators' work too, as in Mastodon."""
        return bool(request.user.is_active and request.user.is_staff)

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        stored = User.objects.select_related("account").get(pk=obj.pk)
        if "email" in form.changed_data:
            do_set_email(user=stored, email=form.cleaned_data["email"])
        if "role" in form.changed_data:
            do_set_role(actor=_actor(request), user=stored, role=form.cleaned_data["role"])

    def _each(
        self, request: HttpRequest, users: QuerySet[User], verb: str,
        act: Callable[[User], bool],
    ) -> None:  # fmt: skip
        """Apply `act` to each user, report refusals by name, and log what was done."""
        done = 0
        for user in users.select_related("account"):
            try:
                changed = act(user)
            except ValidationError as error:
                self.message_user(request, f"{user}: {' '.join(error.messages)}", messages.WARNING)
                continue
            if changed:
                done += 1
        self.message_user(request, f"{verb} {done} user(s).", messages.SUCCESS)

    @admin.action(description="Approve selected applications", permissions=["moderate"])
    def approve(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        def act(user: User) -> bool:
            if user.approved:
                return False
            do_approve_user(user=user)
            self.log_change(request, user, "Approved")
            return True

        self._each(request, queryset, "Approved", act)

    @admin.action(description="Reject selected applications", permissions=["moderate"])
    def reject(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        def act(user: User) -> bool:
            if user.approved:
                raise ValidationError("Only pending applications can be rejected.")
            self.log_deletion(request, user, f"{user} (rejected)")
            do_reject_user(user=user)
            return True

        self._each(request, queryset, "Rejected", act)

    @admin.action(description="Disable selected users", permissions=["moderate"])
    def disable(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        def act(user: User) -> bool:
            if user.disabled:
                return False
            do_disable_user(actor=_actor(request), user=user)
            self.log_change(request, user, "Disabled")
            return True

        self._each(request, queryset, "Disabled", act)

    @admin.action(description="Enable selected users", permissions=["moderate"])
    def enable(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        def act(user: User) -> bool:
            if not user.disabled:
                return False
            do_enable_user(actor=_actor(request), user=user)
            self.log_change(request, user, "Enabled")
            return True

        self._each(request, queryset, "Enabled", act)

    @admin.action(description="Confirm email addresses", permissions=["moderate"])
    def confirm_email(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        def act(user: User) -> bool:
            if user.confirmed:
                return False
            do_confirm_email(user=user, email=user.email)
            self.log_change(request, user, "Email address confirmed")
            return True

        self._each(request, queryset, "Confirmed", act)


def _may_manage(actor: User, user: User) -> bool:
    try:
        check_can_manage(actor=actor, user=user)
    except ValidationError:
        return False
    return True


class LocalFilter(admin.SimpleListFilter):
    title = "location"
    parameter_name = "location"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("local", "Local"), ("remote", "Remote")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Account]) -> QuerySet[Account]:
        if self.value() in ("local", "remote"):
            return queryset.filter(domain__isnull=self.value() == "local")
        return queryset


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    """Read-only: suspending and silencing belong to moderation actions, not raw edits."""

    list_display = ("acct", "display_name", "locked", "bot", "suspended_at", "silenced_at",
                    "created_at")  # fmt: skip
    list_filter = (LocalFilter, "locked", "bot", ("suspended_at", admin.EmptyFieldListFilter),
                   ("silenced_at", admin.EmptyFieldListFilter))  # fmt: skip
    search_fields = ("username", "domain", "display_name")
    ordering = ("-created_at",)
    show_full_result_count = False
    # Never the private key.
    fields = ("username", "domain", "display_name", "note", "fields", "locked", "bot",
              "discoverable", "uri", "url", "inbox_url", "shared_inbox_url", "created_at",
              "updated_at", "suspended_at", "silenced_at", "sensitized_at",
              "moderate")  # fmt: skip
    readonly_fields = fields

    @admin.display(description="moderation")
    def moderate(self, account: Account) -> SafeString:
        url = reverse("admin:moderation_account_action", args=[account.pk])
        return format_html('<a class="button" href="{}">Warn, limit, suspend…</a>', url)

    @admin.display(description="handle", ordering="username")
    def acct(self, account: Account) -> str:
        return account.acct

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Account], search_term: str
    ) -> tuple[QuerySet[Account], bool]:
        # The instance's contact account is picked by autocomplete and must be one of ours.
        if request.GET.get("field_name") == "contact_account":
            queryset = queryset.filter(domain__isnull=True)
        return super().get_search_results(request, queryset, search_term)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
