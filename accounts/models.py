"""Accounts (local and remote actors alike), local users, and the relations between accounts."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone
from oauth2_provider.models import AbstractApplication

from fediverse.ids import generate_snowflake


class Account(models.Model):
    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    username = models.CharField(max_length=2048)
    # None for accounts of this server; the remote host otherwise.
    domain = models.CharField(max_length=255, null=True, blank=True, db_index=True)
    display_name = models.CharField(max_length=2048, blank=True, default="")
    note = models.TextField(blank=True, default="", help_text="Bio as HTML")
    note_source = models.TextField(blank=True, default="", help_text="Bio as typed (local)")
    fields = models.JSONField(default=list, blank=True)
    avatar = models.ImageField(upload_to="avatars/", blank=True, default="")
    header = models.ImageField(upload_to="headers/", blank=True, default="")
    locked = models.BooleanField(default=False)
    bot = models.BooleanField(default=False)
    discoverable = models.BooleanField(default=True)
    indexable = models.BooleanField(default=False)
    hide_collections = models.BooleanField(default=False)
    uri = models.CharField(max_length=2048, blank=True, default="", db_index=True)
    url = models.CharField(max_length=2048, blank=True, default="")
    inbox_url = models.CharField(max_length=2048, blank=True, default="")
    shared_inbox_url = models.CharField(max_length=2048, blank=True, default="")
    outbox_url = models.CharField(max_length=2048, blank=True, default="")
    followers_url = models.CharField(max_length=2048, blank=True, default="")
    following_url = models.CharField(max_length=2048, blank=True, default="")
    public_key = models.TextField(blank=True, default="")
    private_key = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    suspended_at = models.DateTimeField(null=True, blank=True)
    silenced_at = models.DateTimeField(null=True, blank=True)
    # Moderators forced the account's media behind a content warning.
    sensitized_at = models.DateTimeField(null=True, blank=True)
    # Actor URIs of the account's other accounts (ActivityPub `alsoKnownAs`): a move from any
    # of them to this one is trusted.
    also_known_as = models.JSONField(default=list, blank=True)
    # Where the account moved (ActivityPub `movedTo`); its profile points there.
    moved_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="moved_from"
    )
    moved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("username"), Coalesce("domain", models.Value("")), name="account_handle"
            )
        ]

    def __str__(self) -> str:
        return self.acct

    @property
    def local(self) -> bool:
        return self.domain is None

    @property
    def acct(self) -> str:
        return self.username if self.domain is None else f"{self.username}@{self.domain}"

    @property
    def name(self) -> str:
        return self.display_name or self.username

    @property
    def path(self) -> str:
        return f"/@{self.acct}"


class Role(models.TextChoices):
    USER = "user", "User"
    MODERATOR = "moderator", "Moderator"
    ADMIN = "admin", "Admin"
    OWNER = "owner", "Owner"


STAFF_ROLES = (Role.MODERATOR, Role.ADMIN, Role.OWNER)
ADMIN_ROLES = (Role.ADMIN, Role.OWNER)


class UserManager(BaseUserManager["User"]):
    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=username)


class User(AbstractBaseUser):  # type: ignore[django-manager-missing]
    """A login on this server. Its public side is the linked local Account."""

    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="user")
    email = models.EmailField(max_length=254)
    unconfirmed_email = models.EmailField(max_length=254, blank=True, default="")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.USER)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    approved = models.BooleanField(default=True)
    disabled = models.BooleanField(default=False)
    sign_up_reason = models.TextField(blank=True, default="")
    sign_up_ip = models.GenericIPAddressField(null=True, blank=True)
    invite = models.ForeignKey(
        "moderation.Invite", null=True, blank=True, on_delete=models.SET_NULL, related_name="users"
    )
    locale = models.CharField(max_length=16, blank=True, default="en")
    # Posting defaults that apps read from the account's `source` and preferences.
    default_privacy = models.CharField(max_length=16, default="public")
    default_sensitive = models.BooleanField(default=False)
    default_language = models.CharField(max_length=16, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    last_active_at = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []  # type: ignore[misc]

    objects = UserManager()

    class Meta:
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique")]

    def __str__(self) -> str:
        return self.account.username

    @property
    def is_active(self) -> bool:  # type: ignore[override,misc]
        return not self.disabled and self.account.suspended_at is None

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES

    @property
    def is_superuser(self) -> bool:
        return self.role in ADMIN_ROLES

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def functional(self) -> bool:
        """Mastodon's test for a user who may post and use the API."""
        return self.is_active and self.confirmed and self.approved

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        if not self.is_active:
            return False
        if self.is_superuser:
            return True
        # Moderators work the moderation queue and read accounts and posts, nothing more.
        app_label, _, codename = perm.partition(".")
        if self.role == Role.MODERATOR:
            if app_label == "moderation":
                return not codename.startswith(("delete_instancesettings", "change_instance"))
            return app_label in ("accounts", "timelines") and codename.startswith("view_")
        return False

    def has_perms(self, perm_list: Any, obj: Any = None) -> bool:
        return all(self.has_perm(p, obj) for p in perm_list)

    def has_module_perms(self, app_label: str) -> bool:
        if not self.is_active or not self.is_staff:
            return False
        return self.is_superuser or app_label in ("moderation", "accounts", "timelines")


class Follow(models.Model):
    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="following_set")
    target_account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="follower_set"
    )
    show_reblogs = models.BooleanField(default=True)
    notify = models.BooleanField(default=False)
    # ISO 639-1 codes the follower wants to see from this account; None for every language.
    languages = models.JSONField(null=True, blank=True)
    uri = models.CharField(max_length=2048, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "target_account"], name="follow_unique")
        ]
        indexes = [models.Index(fields=["target_account", "-id"])]


class FollowRequest(models.Model):
    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="outgoing_follow_requests"
    )
    target_account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="incoming_follow_requests"
    )
    show_reblogs = models.BooleanField(default=True)
    notify = models.BooleanField(default=False)
    # ISO 639-1 codes the follower wants to see from this account; None for every language.
    languages = models.JSONField(null=True, blank=True)
    uri = models.CharField(max_length=2048, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "target_account"], name="follow_request_unique"
            )
        ]


class Block(models.Model):
    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="block_set")
    target_account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="blocked_by_set"
    )
    uri = models.CharField(max_length=2048, blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "target_account"], name="block_unique")
        ]


class Mute(models.Model):
    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="mute_set")
    target_account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="muted_by_set"
    )
    hide_notifications = models.BooleanField(default=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "target_account"], name="mute_unique")
        ]


def not_blocked_q(viewer_id: int, account_field: str = "account") -> Q:
    """Rows whose account neither blocks the viewer nor is blocked by them."""
    return ~Q(**{f"{account_field}__blocked_by_set__account_id": viewer_id}) & ~Q(
        **{f"{account_field}__block_set__target_account_id": viewer_id}
    )


class OAuthApplication(AbstractApplication):
    """A client app registered through POST /api/v1/apps, with Mastodon's extra fields."""

    scopes: models.CharField[str, str] = models.CharField(max_length=2048, default="read")
    website: models.CharField[str, str] = models.CharField(max_length=2048, blank=True, default="")

    class Meta(AbstractApplication.Meta):
        swappable = "OAUTH2_PROVIDER_APPLICATION_MODEL"
        verbose_name = "OAuth application"

    def get_allowed_schemes(self) -> list[str]:
        # Native apps register their own schemes (oauth2redirect://, icecubesapp://…).
        return sorted({uri.split(":", 1)[0].lower() for uri in self.redirect_uris.split()})

    def allows_grant_type(self, *grant_types: str) -> bool:
        # Every Mastodon app may use both the authorization code and client credentials.
        return bool(
            {self.GRANT_AUTHORIZATION_CODE, self.GRANT_CLIENT_CREDENTIALS} & set(grant_types)
        )

    @property
    def scope_list(self) -> list[str]:
        return self.scopes.split()


def active_mutes() -> models.QuerySet[Mute]:
    """Mutes still in force: a mute with a duration stops counting the moment it expires."""
    return Mute.objects.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))


class AccountNote(models.Model):
    """A private comment an account keeps about another, shown only to its author."""

    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="notes_written")
    target_account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    comment = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "target_account"], name="note_unique")
        ]


class AccountPin(models.Model):
    """An endorsement: an account the owner features on their profile."""

    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="endorsements")
    target_account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="endorsed_by"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "target_account"], name="endorse_unique")
        ]


class AccountDomainBlock(models.Model):
    """A user's own block of a whole remote domain (not the instance-wide moderation kind)."""

    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="domain_blocks")
    domain = models.CharField(max_length=255)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "domain"], name="account_domain_unique")
        ]


class FeaturedTag(models.Model):
    """A hashtag an account promotes on its profile."""

    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="featured_tags")
    tag = models.ForeignKey("timelines.Tag", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "tag"], name="featured_tag_unique")
        ]


class SuggestionDismissal(models.Model):
    """An account the user asked never to be suggested again."""

    id = models.BigIntegerField(primary_key=True, default=generate_snowflake, editable=False)
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    target_account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "target_account"], name="suggestion_dismissal_unique"
            )
        ]


from accounts.models_imports import *  # noqa: E402,F401,F403
from accounts.models_migration import *  # noqa: E402,F401,F403
