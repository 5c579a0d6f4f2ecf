from typing import Any

from django import forms

from timelines.models import Visibility
from timelines.services.statuses import StatusInput


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

    def to_input(self) -> StatusInput:
        data: dict[str, Any] = self.cleaned_data
        return StatusInput(
            text=data["text"],
            spoiler_text=data["spoiler_text"],
            visibility=data["visibility"],
            sensitive=data["sensitive"],
            in_reply_to_id=data["in_reply_to_id"],
        )
