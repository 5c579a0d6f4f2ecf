"""Which remote servers this one refuses to talk to. The single check the inbox, the
resolver and authorized fetch ask."""

from __future__ import annotations

from django.apps import apps


def _parent_domains(domain: str) -> list[str]:
    """example.com and its parents, since a block of a domain covers its subdomains."""
    host = domain.lower().split(":")[0].rstrip(".")
    labels = host.split(".")
    return [".".join(labels[i:]) for i in range(len(labels))]


def domain_blocked(domain: str) -> bool:
    """True when moderators suspended the domain (or a parent of it).

    Instance-wide domain blocks belong to the moderation app, which has no DomainBlock
    model yet; until it does, nothing is blocked. Once it exists with Mastodon's fields
    (`domain`, `severity` = "suspend"), this check applies it everywhere."""
    try:
        model = apps.get_model("moderation", "DomainBlock")
    except LookupError:
        return False
    blocks = model.objects.filter(domain__in=_parent_domains(domain))
    if any(field.name == "severity" for field in model._meta.get_fields()):
        # Silenced domains still federate; only suspended ones are refused.
        blocks = blocks.filter(severity="suspend")
    return blocks.exists()
