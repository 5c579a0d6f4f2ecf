"""Attachments in the admin panel: staff can look at them and delete them."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from media.models import MediaAttachment
from media.services.attachments import do_delete_media_rows


@admin.register(MediaAttachment)
class MediaAttachmentAdmin(admin.ModelAdmin):
    list_display = ("id", "account", "type", "status", "processing", "remote_url", "created_at")
    list_filter = ("type", "processing")
    search_fields = ("description", "remote_url")
    raw_id_fields = ("account", "status")
    readonly_fields = ("file", "preview", "thumbnail", "meta", "blurhash", "file_content_type",
                       "file_size", "remote_url", "thumbnail_remote_url", "processing")  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # media comes in through uploads and federation only

    # Deleting here removes the files as well as the rows.
    def delete_model(self, request: HttpRequest, obj: MediaAttachment) -> None:
        do_delete_media_rows([obj])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[MediaAttachment]) -> None:
        do_delete_media_rows(queryset)
