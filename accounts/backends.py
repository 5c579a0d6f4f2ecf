from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from accounts.models import User


class EmailOrUsernameBackend(ModelBackend):
    """Log in with the email address, as Mastodon does, or with the local username."""

    def authenticate(
        self, request: HttpRequest | None, username: str | None = None,
        password: str | None = None, **kwargs: Any,
    ) -> User | None:  # fmt: skip
        if not username or not password:
            return None
        user = (
            User.objects.filter(email__iexact=username).select_related("account").first()
            or User.objects.filter(
                account__username__iexact=username.lstrip("@"), account__domain__isnull=True
            )
            .select_related("account")
            .first()
        )
        if user is None:
            User().set_password(password)  # same work either way, against timing probes
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
