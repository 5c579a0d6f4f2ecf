from django import forms

EXPIRY_CHOICES = [
    ("1800", "30 minutes"),
    ("3600", "1 hour"),
    ("21600", "6 hours"),
    ("43200", "12 hours"),
    ("86400", "1 day"),
    ("604800", "1 week"),
    ("", "Never"),
]
USES_CHOICES = [("", "No limit"), ("1", "1 use"), ("5", "5 uses"), ("10", "10 uses"),
                ("25", "25 uses"), ("50", "50 uses"), ("100", "100 uses")]  # fmt: skip


class InviteForm(forms.Form):
    max_uses = forms.TypedChoiceField(
        label="Maximum number of uses",
        choices=USES_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
    )
    expires_in = forms.ChoiceField(
        label="Expire after", choices=EXPIRY_CHOICES, initial="604800", required=False
    )
    autofollow = forms.BooleanField(label="Make new users follow you, and you them", required=False)
