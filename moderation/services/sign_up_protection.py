"""Sign-up protection: email providers and IP networks that are refused at sign-up, or whose
sign-ups wait for a moderator's approval. The registration service asks these checks."""

from __future__ import annotations

import ipaddress

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Account
from moderation.models import EmailDomainBlock, IpBlock, IpBlockSeverity
from moderation.services.audit import log_action
from moderation.services.domain_blocks import normalize_domain
from moderation.services.mail_dns import NoMailServer, mail_hosts

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _parents(domain: str) -> list[str]:
    labels = domain.lower().strip().rstrip(".").split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]


def email_domain_verdict(email: str, *, hosts: list[str] | None = None) -> str | None:
    """ "block", "approval", or None for an email whose provider is not listed; the
    provider's mail hosts (`hosts`), when known, are judged as the domain is."""
    domain = email.rpartition("@")[2].lower()
    if not domain:
        return None
    names = {name for host in [domain, *(hosts or [])] for name in _parents(host)}
    found = EmailDomainBlock.objects.filter(domain__in=names)
    if not found.exists():
        return None
    return "approval" if all(b.allow_with_approval for b in found) else "block"


def check_email_domain(email: str) -> None:
    """At sign-up and email change: a domain that receives no mail is refused, and one whose
    mail servers are blocked is blocked with them."""
    domain = email.rpartition("@")[2].lower()
    try:
        hosts = mail_hosts(domain) if domain else None
    except NoMailServer as error:
        message = "This email domain does not receive mail."
        raise ValidationError(message, code="unreachable") from error
    if email_domain_verdict(email, hosts=hosts) == "block":
        raise ValidationError("This email provider is not allowed.", code="blocked")


def parse_network(value: str) -> Network:
    try:
        return ipaddress.ip_network(value.strip(), strict=False)
    except ValueError as error:
        raise ValidationError("is not a valid address or network", code="invalid") from error


def ip_verdict(ip: str | None) -> str | None:
    """The harshest unexpired block covering the address: "block", "approval" or None."""
    if not ip:
        return None
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return None
    live = IpBlock.objects.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now()))
    severities = {
        block.severity
        for block in live
        if address.version == parse_network(block.ip).version and address in parse_network(block.ip)
    }
    if IpBlockSeverity.SIGN_UP_BLOCK in severities:
        return "block"
    return "approval" if severities else None


def check_sign_up_ip(ip: str | None) -> None:
    if ip_verdict(ip) == "block":
        raise ValidationError("Sign-ups from your network are not allowed.", code="blocked")


def needs_approval(*, email: str, ip: str | None) -> bool:
    return email_domain_verdict(email) == "approval" or ip_verdict(ip) == "approval"


def do_block_email_domain(
    *, actor: Account | None, domain: str, allow_with_approval: bool = False
) -> EmailDomainBlock:
    domain = normalize_domain(domain)
    if EmailDomainBlock.objects.filter(domain=domain).exists():
        raise ValidationError({"domain": "is already blocked"}, code="taken")
    with transaction.atomic():
        block = EmailDomainBlock.objects.create(
            domain=domain, allow_with_approval=allow_with_approval
        )
        log_action(actor=actor, action="create_email_domain_block", target=block)
    return block


def do_save_ip_block(*, actor: Account | None, block: IpBlock, ip: str, severity: str) -> IpBlock:
    """Save a new or changed block (`block` carries comment and expiry already set)."""
    if severity not in IpBlockSeverity.values:
        raise ValidationError({"severity": "is not included in the list"})
    network = parse_network(ip)
    block.ip = str(network) if network.num_addresses > 1 else str(network.network_address)
    block.severity = severity
    if IpBlock.objects.filter(ip=block.ip).exclude(pk=block.pk).exists():
        raise ValidationError({"ip": "is already blocked"}, code="taken")
    with transaction.atomic():
        block.save()
        log_action(actor=actor, action="create_ip_block", target=block, reason=block.comment)
    return block
