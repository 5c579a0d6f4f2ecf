"""DNS facts about a sign-up's email domain, as Mastodon's EmailMxValidator looks them up:
the hosts that receive its mail. A domain that receives no mail cannot confirm an account,
and a provider hiding behind a blocked mail host is blocked with it."""

from __future__ import annotations

import logging

import dns.exception
import dns.resolver
from django.conf import settings

logger = logging.getLogger(__name__)


class NoMailServer(Exception):
    """The domain exists nowhere in DNS, or names no host that could receive mail."""


def _resolver() -> dns.resolver.Resolver:
    servers = list(settings.EMAIL_DNS_NAMESERVERS)
    resolver = dns.resolver.Resolver(configure=not servers)
    if servers:
        resolver.nameservers = [s.rsplit(":", 1)[0] if s.count(":") == 1 else s for s in servers]
        ports = {int(s.rsplit(":", 1)[1]) for s in servers if s.count(":") == 1}
        if ports:
            resolver.port = ports.pop()
    resolver.lifetime = resolver.timeout = settings.EMAIL_DNS_TIMEOUT
    return resolver


def _names(resolver: dns.resolver.Resolver, name: str, kind: str) -> list[str]:
    try:
        answer = resolver.resolve(name, kind, search=False)
    except (dns.resolver.NoAnswer, dns.resolver.NXDOMAIN):
        return []
    if kind == "MX":
        return [str(record.exchange).rstrip(".").lower() for record in answer]
    return [record.to_text() for record in answer]


def mail_hosts(domain: str) -> list[str] | None:
    """The domain's MX hosts (the domain itself when it has an address but no MX record).
    None when DNS could not be asked; NoMailServer when it answered that nothing takes mail."""
    if not settings.EMAIL_DNS_CHECK:
        return None
    try:
        resolver = _resolver()
        hosts = [h for h in _names(resolver, domain, "MX") if h]
        candidates = hosts or [domain]
        if not any(_names(resolver, h, t) for h in candidates for t in ("A", "AAAA")):
            raise NoMailServer(domain)
    except (dns.exception.DNSException, OSError, ValueError) as error:
        # Timeouts, unreachable or misconfigured resolvers, and names DNS cannot encode.
        logger.info("DNS lookup of %s not possible: %s", domain, error)
        return None
    return hosts
