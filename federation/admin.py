"""Federation in the admin panel: each remote domain's delivery state (failing, unavailable)
with the deliveries waiting for it, and the queue of pending deliveries."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest

from federation.delivery import FAILURE_DAYS_THRESHOLD
from federation.models import Delivery, UnavailableDomain


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(UnavailableDomain)
class UnavailableDomainAdmin(ReadOnly):
    list_display = ("domain", "state", "days_failed", "last_failure_at", "pending")
    list_filter = (("unavailable_since", admin.EmptyFieldListFilter),)
    search_fields = ("domain",)
    ordering = ("-unavailable_since", "-last_failure_at")
    actions = ("mark_available",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[UnavailableDomain]:
        waiting = (
            Delivery.objects.filter(domain=OuterRef("domain"))
            .values("domain")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return super().get_queryset(request).annotate(n_pending=Coalesce(Subquery(waiting), 0))

    @admin.display(description="state")
    def state(self, obj: UnavailableDomain) -> str:
        if obj.unavailable_since is not None:
            return f"unavailable since {obj.unavailable_since:%Y-%m-%d %H:%M}"
        return "failing"

    @admin.display(description=f"days with failures (of {FAILURE_DAYS_THRESHOLD})")
    def days_failed(self, obj: UnavailableDomain) -> int:
        return len(obj.failure_days)

    @admin.display(description="pending deliveries", ordering="n_pending")
    def pending(self, obj: Any) -> int:
        return int(obj.n_pending)

    @admin.action(description="Mark available again (deliveries resume)")
    def mark_available(self, request: HttpRequest, queryset: QuerySet[UnavailableDomain]) -> None:
        count, _ = queryset.delete()
        self.message_user(request, f"{count} domain(s) marked available.", messages.SUCCESS)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(getattr(request.user, "is_superuser", False))


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly):
    list_display = ("inbox_url", "domain", "attempts", "next_attempt_at", "last_error")
    search_fields = ("domain", "inbox_url")
    ordering = ("next_attempt_at",)
