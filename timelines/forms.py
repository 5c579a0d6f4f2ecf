from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from media.models import MAX_DESCRIPTION_LENGTH
from timelines.models import Visibility
from timelines.services.attachments import MAX_ATTACHMENTS
from timelines.services.statuses import StatusInput

MEDIA_SLOTS = MAX_ATTACHMENTS
ALT_TEXT_HINT = "Describe it for those who cannot see it"
MEDIA_ACCEPT = "image/jpeg,image/png,image/gif,image/webp,image/heic,image/avif,video/*,audio/*"


class ComposeForm(forms.Form):
    text = forms.CharField(
        label="What's on your mind?",
        required=False,
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "What's on your mind?"}),
    )
    spoiler_text = forms.CharField(
        label="Content warning",
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"placeholder": "Content warning (optional)"}),
    )
    visibility = forms.ChoiceField(choices=Visibility.choices, initial=Visibility.PUBLIC)
    sensitive = forms.BooleanField(required=False, label="Sensitive")
    in_reply_to_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # One file and its alt text per attachment a post may carry.
        for i in range(MEDIA_SLOTS):
            self.fields[f"media_{i}"] = forms.FileField(
                label=f"Attachment {i + 1}",
                required=False,
                widget=forms.FileInput(attrs={"accept": MEDIA_ACCEPT}),
            )
            self.fields[f"media_{i}_description"] = forms.CharField(
                label=f"Alt text {i + 1}",
                required=False,
                max_length=MAX_DESCRIPTION_LENGTH,
                widget=forms.TextInput(attrs={"placeholder": ALT_TEXT_HINT}),
            )

    def media_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"media_{i}"], self[f"media_{i}_description"]) for i in range(MEDIA_SLOTS)]

    def attachments(self) -> list[tuple[str, UploadedFile, str]]:
        """(field, file, alt text) for each slot a file was chosen in."""
        data: dict[str, Any] = self.cleaned_data
        return [
            (f"media_{i}", data[f"media_{i}"], data[f"media_{i}_description"])
            for i in range(MEDIA_SLOTS)
            if data.get(f"media_{i}")
        ]

    def to_input(self) -> StatusInput:
        data: dict[str, Any] = self.cleaned_data
        return StatusInput(
            text=data["text"],
            spoiler_text=data["spoiler_text"],
            visibility=data["visibility"],
            sensitive=data["sensitive"],
            in_reply_to_id=data["in_reply_to_id"],
        )
