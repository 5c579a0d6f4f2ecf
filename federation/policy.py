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
    """True when moderators suspended the domain (or a parent of it), or when the server
    runs in limited federation mode and the domain is not on the allow list.

    Looked up by name so that federation does not import moderation's models."""
    try:
        model = apps.get_model("moderation", "DomainBlock")
    except LookupError:
        return False
    blocks = model.objects.filter(domain__in=_parent_domains(domain))
    if any(field.name == "severity" for field in model._meta.get_fields()):
        # Silenced domains still federate; only suspended ones are refused.
        blocks = blocks.filter(severity="suspend")
    return blocks.exists() or not _allowed_in_limited_mode(domain)


def _allowed_in_limited_mode(domain: str) -> bool:
    """In limited federation mode only the allow-listed servers (and subdomains) get in."""
    settings = apps.get_model("moderation", "InstanceSettings").current()
    if not getattr(settings, "limited_federation_mode", False):
        return True
    allows = apps.get_model("moderation", "DomainAllow").objects
    return bool(allows.filter(domain__in=_parent_domains(domain)).exists())
