"""Posts in the admin panel: read by staff, removed by admins through the posting service."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from timelines.models import Status
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
