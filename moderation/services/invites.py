from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from moderation.models import InstanceSettings, Invite


def can_invite(user: User) -> bool:
    return user.is_superuser or (user.functional and InstanceSettings.current().users_can_invite)


def do_create_invite(
    *,
    user: User | None,
    max_uses: int | None,
    expires_in: timedelta | None,
    autofollow: bool = False,
    comment: str = "",
) -> Invite:
    return Invite.objects.create(
        user=user,
        max_uses=max_uses,
        expires_at=timezone.now() + expires_in if expires_in else None,
        autofollow=autofollow,
        comment=comment,
    )


def do_expire_invite(*, invite: Invite) -> None:
    invite.expires_at = timezone.now()
    invite.save(update_fields=["expires_at"])
