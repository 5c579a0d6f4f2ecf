"""The public list of blocked servers: GET /api/v1/instance/domain_blocks and the about page
show it to whom the admin chose, comments included only if the admin chose so too."""

import hashlib
from typing import Any

from django.db.models import Q
from rest_framework.request import Request

from fediverse.api.auth import find_token, token_from_request
from moderation.models import DomainBlock
from moderation.services.domain_blocks import visible_domain_blocks


def public_domain_blocks(*, signed_in: bool) -> list[dict[str, Any]] | None:
    """None when the list is hidden from this reader."""
    shown, with_comments = visible_domain_blocks(signed_in=signed_in)
    if not shown:
        return None
    blocks = DomainBlock.objects.filter(
        Q(severity__in=("silence", "suspend")) | Q(reject_media=True)
    ).order_by("-severity", "domain")
    entities = []
    for block in blocks:
        entity: dict[str, Any] = {
            "domain": block.public_domain,
            "digest": hashlib.sha256(block.domain.encode()).hexdigest(),
            "severity": block.severity,
        }
        if with_comments:
            entity["comment"] = block.public_comment
        entities.append(entity)
    return entities


def signed_in(request: Request) -> bool:
    """A working user token came with the request (checked here, without refusing bad ones)."""
    raw = token_from_request(request)
    token = find_token(raw) if raw else None
    found = getattr(token, "user", None)
    return bool(found is not None and found.functional)
