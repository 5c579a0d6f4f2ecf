"""Posts in the admin panel: read by staff, removed by admins through the posting service."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest

from media import storage
from timelines.models import PreviewCard, PreviewCardDomainBlock, Status
from timelines.services.cards import check_preview_domain, do_block_preview_domain
from timelines.services.statuses import do_delete_status

EXCERPT_LENGTH = 80


@admin.register(Status)
class StatusAdmin(admin.ModelAdmin):
    list_display = ("id", "account", "excerpt", "visibility", "local", "created_at")
    list_filter = ("visibility", "local")
    list_select_related = ("account",)
    search_fields = ("account__username",)
    ordering = ("-id",)
    show_full_result_count = False  # counting every post on each page load is costly
    fields = ("account", "text", "content", "spoiler_text", "sensitive", "visibility",
              "language", "in_reply_to", "reblog", "uri", "url", "local", "created_at",
              "edited_at")  # fmt: skip
    readonly_fields = fields

    @admin.display(description="text")
    def excerpt(self, status: Status) -> str:
        text = status.spoiler_text or status.text
        return text if len(text) <= EXCERPT_LENGTH else text[:EXCERPT_LENGTH] + "…"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    # Through the service, so that a removal does what the author's own deletion does.
    def delete_model(self, request: HttpRequest, obj: Status) -> None:
        do_delete_status(account=obj.account, status=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Status]) -> None:
        for status in queryset.select_related("account"):
            do_delete_status(account=status.account, status=status)


class PreviewCardDomainBlockForm(forms.ModelForm):
    class Meta:
        model = PreviewCardDomainBlock
        fields = ("domain",)

    def clean_domain(self) -> str:
        return check_preview_domain(self.cleaned_data["domain"])


@admin.register(PreviewCardDomainBlock)
class PreviewCardDomainBlockAdmin(admin.ModelAdmin):
    """Sites whose links get no preview card; blocking one removes the cards already made."""

    form = PreviewCardDomainBlockForm
    list_display = ("domain", "created_at")
    search_fields = ("domain",)
    ordering = ("domain",)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        obj.pk = do_block_preview_domain(domain=obj.domain).pk


@admin.register(PreviewCard)
class PreviewCardAdmin(admin.ModelAdmin):
    """Cards are made from the pages posts link to; staff can read and remove them."""

    list_display = ("url", "title", "type", "domain", "fetched_at")
    list_filter = ("type",)
    search_fields = ("url", "title", "domain")
    ordering = ("-id",)
    readonly_fields = ("url", "domain", "title", "description", "type", "author_name",
                       "author_url", "provider_name", "provider_url", "html", "width",
                       "height", "image", "image_description", "embed_url", "blurhash",
                       "published_at", "language", "created_at", "fetched_at")  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def delete_model(self, request: HttpRequest, obj: PreviewCard) -> None:
        with transaction.atomic():
            storage.delete_on_commit(obj.image.name or "")
            obj.delete()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[PreviewCard]) -> None:
        with transaction.atomic():
            storage.delete_on_commit(*queryset.values_list("image", flat=True))
            queryset.delete()
