"""Admin panel for instance settings, server rules and invites, and the admin site's own setup:
the index page with the one-click registration switch, and a rate-limited login."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import ForeignKey, QuerySet
from django.forms import ModelChoiceField
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django_ratelimit.decorators import ratelimit

from accounts.models import Account
from fediverse import uris
from moderation.forms import EXPIRY_CHOICES
from moderation.models import Announcement, InstanceSettings, Invite, Report, Rule
from moderation.services.invites import do_create_invite, do_expire_invite
from moderation.services.registrations import do_set_registrations_mode
from moderation.services.reports import (
    do_assign_report,
    do_forward_report,
    do_reopen_report,
    do_resolve_report,
)
from timelines.models import Status

admin.site.site_header = "Herd administration"
admin.site.site_title = "Herd admin"
admin.site.index_title = "Administration"
# Our app's templates come after django.contrib.admin's, so overriding admin/index.html by
# name would never win; a template of its own name does, without touching settings.
admin.site.index_template = "admin/herd_index.html"
# The admin login checks passwords too: it gets the same per-IP limit as the sign-in page.
admin.site.login = ratelimit(  # type: ignore[method-assign]
    key="ip", rate=settings.LOGIN_RATE, method="POST", block=True
)(admin.site.login)


def _is_admin(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


class InstanceSettingsForm(forms.ModelForm):
    class Meta:
        model = InstanceSettings
        fields = ("title", "short_description", "description", "contact_account",
                  "contact_email", "registrations_mode", "require_sign_up_reason",
                  "users_can_invite", "character_limit", "privacy_policy",
                  "terms_of_service", "media_cache_retention_days", "show_domain_blocks",
                  "show_domain_blocks_rationale", "limited_federation_mode",
                  "preview_cards")  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Forms saved before these settings existed leave them as they were.
        for name in ("show_domain_blocks", "show_domain_blocks_rationale"):
            if name in self.fields:
                self.fields[name].required = False

    def clean_show_domain_blocks(self) -> str:
        return self.cleaned_data["show_domain_blocks"] or self.instance.show_domain_blocks

    def clean_show_domain_blocks_rationale(self) -> str:
        chosen = self.cleaned_data["show_domain_blocks_rationale"]
        return chosen or self.instance.show_domain_blocks_rationale

    def clean_character_limit(self) -> int:
        limit: int = self.cleaned_data["character_limit"]
        if limit < 1:
            raise ValidationError("Posts need room for at least one character.")
        return limit


@admin.register(InstanceSettings)
class InstanceSettingsAdmin(admin.ModelAdmin):
    form = InstanceSettingsForm
    fieldsets = (
        (None, {"fields": ("title", "short_description", "description")}),
        ("Contact", {"fields": ("contact_account", "contact_email")}),
        (
            "Registrations",
            {"fields": ("registrations_mode", "require_sign_up_reason", "users_can_invite")},
        ),
        ("Posting", {"fields": ("character_limit", "preview_cards")}),
        ("Policies", {"fields": ("privacy_policy", "terms_of_service")}),
        ("Content retention", {"fields": ("media_cache_retention_days",)}),
        (
            "Federation",
            {
                "fields": (
                    "limited_federation_mode",
                    "show_domain_blocks",
                    "show_domain_blocks_rationale",
                )
            },
        ),
    )
    radio_fields = {"registrations_mode": admin.VERTICAL}
    autocomplete_fields = ("contact_account",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # the one row is made by InstanceSettings.current()

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # Apps show when each long text last changed (extended description, policies).
        for text in ("description", "privacy_policy", "terms_of_service"):
            if text in form.changed_data:
                setattr(obj, f"{text}_updated_at", timezone.now())
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_admin(request) and super().has_change_permission(request, obj)

    def formfield_for_foreignkey(
        self, db_field: ForeignKey[Any, Any], request: HttpRequest, **kwargs: Any
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "contact_account":
            kwargs["queryset"] = Account.objects.filter(domain__isnull=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        pk = InstanceSettings.current().pk
        return redirect(reverse("admin:moderation_instancesettings_change", args=[pk]))

    def get_urls(self) -> list[URLPattern]:
        switch = path(
            "registrations/",
            self.admin_site.admin_view(self.registrations_view),
            name="moderation_instancesettings_registrations",
        )
        # Before the default routes, whose "<object_id>/" would swallow this path.
        return [switch, *super().get_urls()]

    def registrations_view(self, request: HttpRequest) -> HttpResponse:
        """The index page's buttons: switch the registration mode in one click."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        try:
            instance = do_set_registrations_mode(mode=request.POST.get("mode", ""))
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            label = instance.get_registrations_mode_display()
            self.message_user(request, f"Registrations are now: {label}.", messages.SUCCESS)
        return redirect("admin:index")


@admin.register(Rule)
class RuleAdmin(admin.ModelAdmin):
    list_display = ("text", "priority", "hint")
    list_editable = ("priority",)
    fields = ("text", "hint", "priority")
    ordering = ("priority", "id")

    # Rules are part of the instance settings: moderators read them, admins write them.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_admin(request)


class InviteCreationForm(forms.ModelForm):
    expires_in = forms.ChoiceField(
        label="Expire after", choices=EXPIRY_CHOICES, initial="604800", required=False
    )

    class Meta:
        model = Invite
        fields = ("max_uses", "autofollow", "comment")

    def clean_max_uses(self) -> int | None:
        uses: int | None = self.cleaned_data.get("max_uses")
        if uses is not None and uses < 1:
            raise ValidationError("An invite needs at least one use; leave empty for no limit.")
        return uses


def invite_url(invite: Invite) -> str:
    return uris.absolute(f"/invite/{invite.code}")


@admin.register(Invite)
class InviteAdmin(admin.ModelAdmin):
    list_display = ("code", "link", "inviter", "uses", "max_uses", "expires_at", "valid")
    list_select_related = ("user__account",)
    list_filter = (("expires_at", admin.EmptyFieldListFilter),)
    search_fields = ("code", "comment", "user__account__username")
    ordering = ("-created_at",)
    actions = ("expire",)
    add_fields = ("max_uses", "expires_in", "autofollow", "comment")
    view_fields = ("code", "link", "inviter", "uses", "max_uses", "expires_at", "valid",
                   "autofollow", "comment", "created_at")  # fmt: skip

    @admin.display(description="link")
    def link(self, invite: Invite) -> SafeString:
        return format_html('<a href="{0}">{0}</a>', invite_url(invite))

    @admin.display(description="created by", ordering="user__account__username")
    def inviter(self, invite: Invite) -> str:
        return str(invite.user) if invite.user is not None else "—"

    @admin.display(description="valid", boolean=True)
    def valid(self, invite: Invite) -> bool:
        return invite.valid_for_use

    def get_fields(self, request: HttpRequest, obj: Invite | None = None) -> Any:
        return self.add_fields if obj is None else self.view_fields

    def get_readonly_fields(self, request: HttpRequest, obj: Invite | None = None) -> Any:
        return () if obj is None else self.view_fields

    def get_form(
        self, request: HttpRequest, obj: Invite | None = None, change: bool = False, **kwargs: Any
    ) -> Any:
        if obj is None:
            kwargs["form"] = InviteCreationForm
        return super().get_form(request, obj, change, **kwargs)

    # Only admins make invites here; an invite is fixed once made, apart from expiring it.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_admin(request)

    def has_expire_permission(self, request: HttpRequest) -> bool:
        return _is_admin(request)

    def save_model(self, request: HttpRequest, obj: Invite, form: Any, change: bool) -> None:
        data = form.cleaned_data
        expires = data.get("expires_in")
        invite = do_create_invite(
            user=request.user,  # type: ignore[arg-type]
            max_uses=data.get("max_uses"),
            expires_in=timedelta(seconds=int(expires)) if expires else None,
            autofollow=data.get("autofollow", False),
            comment=data.get("comment", ""),
        )
        # The admin goes on with `obj` (history, redirect): make it the row just created.
        obj.pk = invite.pk
        obj.refresh_from_db()
        self.message_user(request, f"Invite link: {invite_url(invite)}", messages.INFO)

    @admin.action(description="Expire selected invites", permissions=["expire"])
    def expire(self, request: HttpRequest, queryset: QuerySet[Invite]) -> None:
        count = 0
        for invite in queryset:
            if invite.valid_for_use:
                do_expire_invite(invite=invite)
                self.log_change(request, invite, "Expired")
                count += 1
        self.message_user(request, f"Expired {count} invite(s).", messages.SUCCESS)


class ReportStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("open", "Unresolved"), ("resolved", "Resolved")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Report]) -> QuerySet[Report]:
        if self.value() == "open":
            return queryset.filter(action_taken_at__isnull=True)
        if self.value() == "resolved":
            return queryset.filter(action_taken_at__isnull=False)
        return queryset


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    """The report queue: moderators read what was reported, take it, and resolve it."""

    list_display = ("id", "target_account", "account", "category", "short_comment",
                    "created_at", "resolved", "assigned_account")  # fmt: skip
    list_select_related = ("account", "target_account", "assigned_account")
    list_filter = (ReportStateFilter, "category")
    search_fields = ("target_account__username", "account__username", "comment")
    ordering = ("-created_at",)
    actions = ("assign_to_me", "resolve", "reopen", "forward")
    fields = ("target_account", "account", "category", "comment", "reported_posts",
              "cited_rules", "forwarded", "forward_to_domains", "assigned_account",
              "action_taken_at", "action_taken_by_account", "created_at",
              "take_action")  # fmt: skip
    readonly_fields = fields

    @admin.display(description="action")
    def take_action(self, report: Report) -> SafeString:
        url = reverse("admin:moderation_account_action", args=[report.target_account_id])
        return format_html('<a class="button" href="{}?report={}">Act on {}</a>', url,
                           report.pk, report.target_account)  # fmt: skip

    @admin.display(description="comment")
    def short_comment(self, report: Report) -> str:
        return report.comment[:80]

    @admin.display(description="resolved", boolean=True)
    def resolved(self, report: Report) -> bool:
        return report.action_taken

    @admin.display(description="reported posts")
    def reported_posts(self, report: Report) -> str:
        # Moderators read every attached post, followers-only ones included.
        posts = Status.objects.filter(pk__in=report.status_ids).order_by("id")
        return "\n\n".join(f"[{p.pk}] {p.text or p.content}" for p in posts) or "—"

    @admin.display(description="rules cited")
    def cited_rules(self, report: Report) -> str:
        return "; ".join(r.text for r in Rule.objects.filter(pk__in=report.rule_ids)) or "—"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # reports are filed by users and remote servers

    @admin.action(description="Assign selected reports to me", permissions=["change"])
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        for report in queryset:
            do_assign_report(report=report, moderator=request.user.account)  # type: ignore[union-attr]
            self.log_change(request, report, "Assigned")
        self.message_user(request, f"Assigned {queryset.count()} report(s) to you.")

    @admin.action(description="Mark selected reports as resolved", permissions=["change"])
    def resolve(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        for report in queryset.filter(action_taken_at__isnull=True):
            do_resolve_report(report=report, moderator=request.user.account)  # type: ignore[union-attr]
            self.log_change(request, report, "Resolved")
        self.message_user(request, "Resolved.", messages.SUCCESS)

    @admin.action(description="Forward selected reports to the remote server",
                  permissions=["change"])  # fmt: skip
    def forward(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        remote = queryset.filter(forwarded=False, target_account__domain__isnull=False)
        chosen = list(remote.select_related("target_account"))
        for report in chosen:
            do_forward_report(report=report, moderator=request.user.account)  # type: ignore[union-attr]
            self.log_change(request, report, "Forwarded")
        self.message_user(request, f"Forwarded {len(chosen)} report(s).", messages.SUCCESS)

    @admin.action(description="Reopen selected reports", permissions=["change"])
    def reopen(self, request: HttpRequest, queryset: QuerySet[Report]) -> None:
        for report in queryset.filter(action_taken_at__isnull=False):
            do_reopen_report(report=report)
            self.log_change(request, report, "Reopened")
        self.message_user(request, "Reopened.", messages.SUCCESS)


class AdminOnly(admin.ModelAdmin):
    """Announcements and custom emojis speak for the server: moderators read, admins write."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_admin(request)


@admin.register(Announcement)
class AnnouncementAdmin(AdminOnly):
    list_display = ("__str__", "published_at", "starts_at", "ends_at", "all_day")
    fields = ("text", "published_at", "starts_at", "ends_at", "all_day")
    ordering = ("-created_at",)


import moderation.admin_emojis  # noqa: E402,F401  (registers its pages)
import moderation.admin_moderation  # noqa: E402,F401  (registers its pages)
