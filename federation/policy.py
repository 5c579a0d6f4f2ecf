"""Which remote servers this one refuses to talk to. The single check the inbox, the
resolver and authorized fetch ask."""

from __future__ import annotations

from typing import Any

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


def domain_block_of(domain: str | None) -> Any | None:
    """The moderators' block covering the domain: its own, else its nearest parent's."""
    if not domain:
        return None
    try:
        model = apps.get_model("moderation", "DomainBlock")
    except LookupError:
        return None
    parents = _parent_domains(domain)
    found = {block.domain: block for block in model.objects.filter(domain__in=parents)}
    return next((found[name] for name in parents if name in found), None)


def rejects_media(domain: str | None) -> bool:
    """Media of the domain's accounts (attachments, avatars, headers, emoji) stay remote."""
    block = domain_block_of(domain)
    return bool(block is not None and (block.reject_media or block.severity == "suspend"))


def rejects_reports(domain: str | None) -> bool:
    block = domain_block_of(domain)
    return bool(block is not None and (block.reject_reports or block.severity == "suspend"))


def _allowed_in_limited_mode(domain: str) -> bool:
    """In limited federation mode only the allow-listed servers (and subdomains) get in."""
    settings = apps.get_model("moderation", "InstanceSettings").current()
    if not getattr(settings, "limited_federation_mode", False):
        return True
    allows = apps.get_model("moderation", "DomainAllow").objects
    return bool(allows.filter(domain__in=_parent_domains(domain)).exists())
