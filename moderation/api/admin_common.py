"""What every admin API view shares: the role check on top of the token's admin scopes, id
paging for plain querysets, and the Admin:: entities of Mastodon's admin API."""

from __future__ import annotations

import hashlib
from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404
from rest_framework.request import Request

from accounts.api.views import present_account
from accounts.models import ADMIN_ROLES, STAFF_ROLES, Account, Role, User
from fediverse.api.errors import ApiError
from fediverse.api.pagination import Page
from fediverse.api.render import iso
from fediverse.api.views import ApiView, user
from moderation.models import DomainAllow, DomainBlock, EmailDomainBlock, IpBlock

# Mastodon's role ids and permission bitmasks, close enough for admin apps to show roles.
ROLE_ENTITIES: dict[str, dict[str, Any]] = {
    Role.USER: {"id": "-99", "name": "", "permissions": "65536", "color": ""},
    Role.MODERATOR: {"id": "1", "name": "Moderator", "permissions": "1308", "color": ""},
    Role.ADMIN: {"id": "2", "name": "Admin", "permissions": "1", "color": ""},
    Role.OWNER: {"id": "3", "name": "Owner", "permissions": "1", "color": ""},
}


def read(kind: str) -> Any:
    return user("admin:read", f"admin:read:{kind}")


def write(kind: str) -> Any:
    return user("admin:write", f"admin:write:{kind}")


class AdminView(ApiView):
    """Moderators handle accounts and reports; blocks of servers, networks and email
    providers need an admin. A token's admin scopes are not enough without the role."""

    roles: tuple[str, ...] = STAFF_ROLES

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        found = getattr(request.auth, "user", None)
        if found is None or found.role not in self.roles:
            raise ApiError("This action is not allowed", 403)

    @property
    def moderator(self) -> Account:
        return self.acting


class AdminOnlyView(AdminView):
    roles = ADMIN_ROLES


def find(qs: QuerySet[Any], pk: str) -> Any:
    if not str(pk).isdigit():
        raise Http404
    found = qs.filter(pk=int(pk)).first()
    if found is None:
        raise Http404
    return found


def page_of(request: Request, qs: QuerySet[Any], default: int = 100) -> list[Any]:
    page = Page.from_request(request, default=default, maximum=default * 2)
    if page.max_id is not None:
        qs = qs.filter(pk__lt=page.max_id)
    if page.since_id is not None:
        qs = qs.filter(pk__gt=page.since_id)
    if page.min_id is not None:
        return list(reversed(qs.filter(pk__gt=page.min_id).order_by("pk")[: page.limit]))
    return list(qs.order_by("-pk")[: page.limit])


def admin_account_entity(account: Account) -> dict[str, Any]:
    found: User | None = getattr(account, "user", None) if account.local else None
    entity: dict[str, Any] = {
        "id": str(account.pk),
        "username": account.username,
        "domain": account.domain,
        "created_at": iso(account.created_at),
        "email": found.email if found else None,
        "ip": found.sign_up_ip if found else None,
        "ips": [{"ip": found.sign_up_ip, "used_at": iso(found.created_at)}]
        if found and found.sign_up_ip
        else [],
        "locale": found.locale if found else None,
        "invite_request": found.sign_up_reason or None if found else None,
        "role": ROLE_ENTITIES[found.role] if found else None,
        "confirmed": found.confirmed if found else True,
        "approved": found.approved if found else True,
        "disabled": found.disabled if found else False,
        "silenced": account.silenced_at is not None,
        "suspended": account.suspended_at is not None,
        "sensitized": account.sensitized_at is not None,
        "account": present_account(account),
        "created_by_application_id": None,
        "invited_by_account_id": str(found.invite.user.account_id)
        if found and found.invite and found.invite.user
        else None,
    }
    return entity


def domain_block_entity(block: DomainBlock) -> dict[str, Any]:
    return {
        "id": str(block.pk),
        "domain": block.domain,
        "digest": hashlib.sha256(block.domain.encode()).hexdigest(),
        "created_at": iso(block.created_at),
        "severity": block.severity,
        "reject_media": block.reject_media,
        "reject_reports": block.reject_reports,
        "private_comment": block.private_comment or None,
        "public_comment": block.public_comment or None,
        "obfuscate": block.obfuscate,
    }


def domain_allow_entity(allow: DomainAllow) -> dict[str, Any]:
    return {"id": str(allow.pk), "domain": allow.domain, "created_at": iso(allow.created_at)}


def email_domain_block_entity(block: EmailDomainBlock) -> dict[str, Any]:
    return {
        "id": str(block.pk),
        "domain": block.domain,
        "allow_with_approval": block.allow_with_approval,
        "created_at": iso(block.created_at),
        "history": [],
    }


def ip_block_entity(block: IpBlock) -> dict[str, Any]:
    return {
        "id": str(block.pk),
        "ip": block.ip,
        "severity": block.severity,
        "comment": block.comment,
        "created_at": iso(block.created_at),
        "expires_at": iso(block.expires_at),
    }


def entities(rows: list[Model], present: Any) -> list[dict[str, Any]]:
    return [present(row) for row in rows]
