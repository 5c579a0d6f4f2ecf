"""Custom emoji in the admin panel: upload this server's own, enable and disable them, and
copy another server's emoji into the local set."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

from moderation.admin import AdminOnly
from moderation.models import CustomEmoji
from moderation.services.custom_emojis import (
    check_custom_emoji,
    do_copy_remote_emoji,
    do_save_custom_emoji,
    do_set_emojis_disabled,
    process_emoji_image,
)

REMOTE_READONLY = ("shortcode", "domain", "image", "uri", "image_remote_url")


class CustomEmojiForm(forms.ModelForm):
    # No "clear" box: an emoji always has a picture, replaced by uploading another.
    image = forms.ImageField(
        required=False,
        widget=forms.FileInput,
        help_text="PNG, GIF or WebP, at most 256 KB. Animated GIFs stay animated.",
    )

    class Meta:
        model = CustomEmoji
        fields = ("shortcode", "image", "category", "visible_in_picker", "disabled")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        image = data.get("image") if "image" in self.changed_data else None
        if "shortcode" in self.fields and data.get("shortcode"):
            check_custom_emoji(shortcode=data["shortcode"], image=image, exclude=self.instance.pk)
            if image is None and not self.instance.image:
                self.add_error("image", "An emoji needs an image.")
        if image is not None:
            process_emoji_image(image)
        return data


def _ids(queryset: QuerySet[CustomEmoji]) -> list[int]:
    return list(queryset.values_list("pk", flat=True))


@admin.register(CustomEmoji)
class CustomEmojiAdmin(AdminOnly):
    form = CustomEmojiForm
    list_display = ("shortcode", "preview", "domain", "category", "visible_in_picker", "disabled")
    list_filter = (("domain", admin.EmptyFieldListFilter), "disabled", "visible_in_picker")
    search_fields = ("shortcode", "domain", "category")
    ordering = ("domain", "shortcode")
    actions = ("enable", "disable", "copy_to_local")

    @admin.display(description="image")
    def preview(self, emoji: CustomEmoji) -> SafeString | str:
        if not emoji.image:
            return "—"
        return format_html(
            '<img src="{}" alt=":{}:" title=":{}:" height="32">',
            emoji.image.url,
            emoji.shortcode,
            emoji.shortcode,
        )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        # Another server's emoji is theirs to change; here it can only be hidden or copied.
        return REMOTE_READONLY if obj is not None and obj.domain else ()

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.domain:
            return (*REMOTE_READONLY, "category", "visible_in_picker", "disabled")
        return super().get_fields(request, obj)

    def save_model(self, request: HttpRequest, obj: CustomEmoji, form: Any, change: bool) -> None:
        if obj.domain:
            obj.save(update_fields=["category", "visible_in_picker", "disabled", "updated_at"])
            return
        image = form.cleaned_data.get("image") if "image" in form.changed_data else None
        do_save_custom_emoji(emoji=obj, image=image)

    @admin.action(description="Enable selected emojis", permissions=["change"])
    def enable(self, request: HttpRequest, queryset: QuerySet[CustomEmoji]) -> None:
        count = do_set_emojis_disabled(ids=_ids(queryset), disabled=False)
        self.message_user(request, f"Enabled {count} emoji(s).", messages.SUCCESS)

    @admin.action(description="Disable selected emojis", permissions=["change"])
    def disable(self, request: HttpRequest, queryset: QuerySet[CustomEmoji]) -> None:
        count = do_set_emojis_disabled(ids=_ids(queryset), disabled=True)
        self.message_user(request, f"Disabled {count} emoji(s).", messages.SUCCESS)

    @admin.action(description="Copy selected remote emojis to this server", permissions=["add"])
    def copy_to_local(self, request: HttpRequest, queryset: QuerySet[CustomEmoji]) -> None:
        copied, skipped = 0, 0
        for emoji in queryset.filter(domain__isnull=False):
            copy = do_copy_remote_emoji(emoji=emoji)
            if copy is None:
                skipped += 1
                continue
            copied += 1
            self.log_addition(request, copy, f"Copied from {emoji.domain}")
        self.message_user(request, f"Copied {copied} emoji(s).", messages.SUCCESS)
        if skipped:
            self.message_user(
                request,
                f"{skipped} not copied: image not cached yet, or the shortcode is already used "
                "here.",
                messages.WARNING,
            )
