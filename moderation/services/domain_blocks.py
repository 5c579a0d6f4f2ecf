"""Instance-wide blocks of remote servers. Limiting a server limits each of its accounts;
suspending one suspends them and severs every follow between it and this server. The
accounts keep the block's own timestamp, so lifting the block undoes exactly what it did and
not a moderator's separate action on one of them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from accounts.models import Account, Follow, FollowRequest
from moderation.models import DomainAllow, DomainBlock, DomainBlockSeverity, InstanceSettings
from moderation.services.audit import log_action


@dataclass
class DomainBlockRequest:
    domain: str
    severity: str = DomainBlockSeverity.SILENCE
    reject_media: bool = False
    reject_reports: bool = False
    private_comment: str = ""
    public_comment: str = ""
    obfuscate: bool = False


def normalize_domain(value: str) -> str:
    domain = value.strip().lower().rstrip(".")
    if "://" in domain:
        domain = domain.split("://", 1)[1]
    domain = domain.split("/", 1)[0]
    try:
        domain = domain.encode("idna").decode("ascii")
    except UnicodeError as error:
        raise ValidationError("is not a valid domain", code="invalid") from error
    if not domain or " " in domain or "." not in domain.strip("."):
        raise ValidationError("is not a valid domain", code="invalid")
    return domain


def accounts_on(domain: str) -> QuerySet[Account]:
    """Accounts of the domain and of its subdomains, on any port."""
    return Account.objects.filter(domain__iregex=rf"^(.+\.)?{re.escape(domain)}(:[0-9]+)?$")


def _apply(block: DomainBlock) -> None:
    accounts = accounts_on(block.domain)
    if block.severity == DomainBlockSeverity.SUSPEND:
        accounts.filter(suspended_at__isnull=True).update(suspended_at=block.updated_at)
        ids = accounts.values("id")
        for model in (Follow, FollowRequest):
            model.objects.filter(Q(account_id__in=ids) | Q(target_account_id__in=ids)).delete()
    elif block.severity == DomainBlockSeverity.SILENCE:
        accounts.filter(silenced_at__isnull=True).update(silenced_at=block.updated_at)


def _lift(block: DomainBlock) -> None:
    accounts = accounts_on(block.domain)
    accounts.filter(suspended_at=block.updated_at).update(suspended_at=None)
    accounts.filter(silenced_at=block.updated_at).update(silenced_at=None)


def do_save_domain_block(
    *, actor: Account | None, ask: DomainBlockRequest, block: DomainBlock | None = None
) -> DomainBlock:
    """Create a block, or change one (`block`); a harsher severity applies at once."""
    domain = normalize_domain(ask.domain)
    if ask.severity not in DomainBlockSeverity.values:
        raise ValidationError({"severity": "is not included in the list"})
    clash = DomainBlock.objects.filter(domain=domain)
    if block is not None:
        clash = clash.exclude(pk=block.pk)
    if clash.exists():
        raise ValidationError({"domain": "is already blocked"}, code="taken")
    with transaction.atomic():
        if block is not None:
            _lift(block)
        block = block or DomainBlock()
        for name, value in vars(ask).items():
            setattr(block, name, value)
        block.domain = domain
        block.save()
        _apply(block)
        log_action(actor=actor, action="create_domain_block", target=block,
                   reason=ask.private_comment)  # fmt: skip
    return block


def do_remove_domain_block(*, actor: Account | None, block: DomainBlock) -> None:
    with transaction.atomic():
        _lift(block)
        log_action(actor=actor, action="destroy_domain_block", target=block)
        block.delete()


def do_allow_domain(*, actor: Account | None, domain: str) -> DomainAllow:
    domain = normalize_domain(domain)
    with transaction.atomic():
        allow, _ = DomainAllow.objects.get_or_create(domain=domain)
        log_action(actor=actor, action="create_domain_allow", target=allow)
    return allow


def do_remove_domain_allow(*, actor: Account | None, allow: DomainAllow) -> None:
    with transaction.atomic():
        log_action(actor=actor, action="destroy_domain_allow", target=allow)
        allow.delete()


def visible_domain_blocks(*, signed_in: bool) -> tuple[bool, bool]:
    """(may see the list, may see the comments), per the admin's visibility settings."""
    settings = InstanceSettings.current()

    def allowed(level: str) -> bool:
        return level == "all" or (level == "users" and signed_in)

    return allowed(settings.show_domain_blocks), allowed(settings.show_domain_blocks_rationale)
