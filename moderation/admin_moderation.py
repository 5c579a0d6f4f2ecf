"""Admin panel pages for strikes, appeals, the audit log and domain blocks, and the URL of
the page that acts on an account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path

from moderation.admin_actions import account_action_view, can_act
from moderation.models import (
    AccountWarning,
    Appeal,
    AuditLog,
    DomainAllow,
    DomainBlock,
    EmailDomainBlock,
    IpBlock,
)
from moderation.services.appeals import do_approve_appeal, do_reject_appeal
from moderation.services.audit import log_action
from moderation.services.domain_blocks import (
    DomainBlockRequest,
    do_allow_domain,
    do_remove_domain_allow,
    do_remove_domain_block,
    do_save_domain_block,
    normalize_domain,
)
from moderation.services.sign_up_protection import parse_network


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccountWarning)
class AccountWarningAdmin(ReadOnly):
    list_display = ("target_account", "action", "text", "account", "created_at", "overruled_at")
    list_select_related = ("target_account", "account")
    list_filter = ("action",)
    search_fields = ("target_account__username", "text")

    def get_urls(self) -> list[URLPattern]:
        def view(request: HttpRequest, account_id: int) -> HttpResponse:
            return account_action_view(request, account_id, self.admin_site)

        act = path(
            "act/<int:account_id>/",
            self.admin_site.admin_view(view),
            name="moderation_account_action",
        )
        return [act, *super().get_urls()]


@admin.register(Appeal)
class AppealAdmin(ReadOnly):
    list_display = ("account", "strike", "text", "created_at", "state")
    list_select_related = ("account", "account_warning")
    actions = ("approve", "reject")
    fields = ("account", "account_warning", "text", "created_at", "approved_at",
              "approved_by_account", "rejected_at", "rejected_by_account")  # fmt: skip
    readonly_fields = fields

    @admin.display(description="decision appealed")
    def strike(self, appeal: Appeal) -> str:
        return str(appeal.account_warning)

    @admin.display(description="state")
    def state(self, appeal: Appeal) -> str:
        if appeal.approved_at:
            return "approved"
        return "rejected" if appeal.rejected_at else "pending"

    def has_decide_permission(self, request: HttpRequest) -> bool:
        return can_act(request)

    @admin.action(description="Approve: undo the action", permissions=["decide"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Appeal]) -> None:
        self._decide(request, queryset, do_approve_appeal)

    @admin.action(description="Reject: the action stands", permissions=["decide"])
    def reject(self, request: HttpRequest, queryset: QuerySet[Appeal]) -> None:
        self._decide(request, queryset, do_reject_appeal)

    def _decide(self, request: HttpRequest, queryset: QuerySet[Appeal], decide: Any) -> None:
        for appeal in queryset.select_related("account_warning__target_account"):
            try:
                decide(appeal=appeal, moderator=request.user.account)  # type: ignore[union-attr]
            except ValidationError as invalid:
                self.message_user(request, " ".join(invalid.messages), messages.ERROR)
                return
        self.message_user(request, "Done.", messages.SUCCESS)


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnly):
    list_display = ("created_at", "account", "action", "target_type", "human_identifier",
                    "reason", "report")  # fmt: skip
    list_select_related = ("account",)
    list_filter = ("action", "target_type")
    search_fields = ("human_identifier", "reason")


def _is_admin(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


class DomainBlockForm(forms.ModelForm):
    class Meta:
        model = DomainBlock
        fields = ("domain", "severity", "reject_media", "reject_reports", "private_comment",
                  "public_comment", "obfuscate")  # fmt: skip

    def clean_domain(self) -> str:
        return normalize_domain(self.cleaned_data["domain"])


class AdminWrites(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return _is_admin(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_admin(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _is_admin(request)


@admin.register(DomainBlock)
class DomainBlockAdmin(AdminWrites):
    """Blocking whole servers is the admins' call; moderators may read the list."""

    form = DomainBlockForm

    list_display = ("domain", "severity", "reject_media", "reject_reports", "obfuscate",
                    "created_at")  # fmt: skip
    list_filter = ("severity",)
    search_fields = ("domain",)
    actions = ("remove_blocks",)

    def save_model(self, request: HttpRequest, obj: DomainBlock, form: Any, change: bool) -> None:
        fields = {name: form.cleaned_data[name] for name in DomainBlockForm.Meta.fields}
        existing = DomainBlock.objects.get(pk=obj.pk) if change else None
        saved = do_save_domain_block(
            actor=request.user.account,  # type: ignore[union-attr]
            ask=DomainBlockRequest(**fields),
            block=existing,
        )
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: DomainBlock) -> None:
        do_remove_domain_block(actor=request.user.account, block=obj)  # type: ignore[union-attr]

    def get_actions(self, request: HttpRequest) -> Any:
        # The stock bulk delete skips delete_model, so it would leave accounts suspended.
        found = super().get_actions(request)
        found.pop("delete_selected", None)
        return found

    @admin.action(description="Lift the selected blocks", permissions=["delete"])
    def remove_blocks(self, request: HttpRequest, queryset: QuerySet[DomainBlock]) -> None:
        for block in queryset:
            self.delete_model(request, block)
        self.message_user(request, "Lifted.", messages.SUCCESS)


@admin.register(DomainAllow)
class DomainAllowAdmin(AdminWrites):
    """The servers allowed in limited federation mode."""

    fields = ("domain",)
    search_fields = ("domain",)

    def save_model(self, request: HttpRequest, obj: DomainAllow, form: Any, change: bool) -> None:
        saved = do_allow_domain(actor=request.user.account, domain=obj.domain)  # type: ignore[union-attr]
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: DomainAllow) -> None:
        do_remove_domain_allow(actor=request.user.account, allow=obj)  # type: ignore[union-attr]


class EmailDomainBlockForm(forms.ModelForm):
    class Meta:
        model = EmailDomainBlock
        fields = ("domain", "allow_with_approval")

    def clean_domain(self) -> str:
        return normalize_domain(self.cleaned_data["domain"])


@admin.register(EmailDomainBlock)
class EmailDomainBlockAdmin(AdminWrites):
    form = EmailDomainBlockForm
    list_display = ("domain", "allow_with_approval", "created_at")
    search_fields = ("domain",)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        log_action(actor=request.user.account, action="create_email_domain_block", target=obj)  # type: ignore[union-attr]


class IpBlockForm(forms.ModelForm):
    class Meta:
        model = IpBlock
        fields = ("ip", "severity", "comment", "expires_at")

    def clean_ip(self) -> str:
        network = parse_network(self.cleaned_data["ip"])
        return str(network) if network.num_addresses > 1 else str(network.network_address)


@admin.register(IpBlock)
class IpBlockAdmin(AdminWrites):
    form = IpBlockForm
    list_display = ("ip", "severity", "comment", "expires_at", "created_at")
    list_filter = ("severity",)
    search_fields = ("ip", "comment")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        log_action(actor=request.user.account, action="create_ip_block", target=obj,  # type: ignore[union-attr]
                   reason=obj.comment)  # fmt: skip
