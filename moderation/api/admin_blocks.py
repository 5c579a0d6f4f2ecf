"""/api/v1/admin/domain_blocks, domain_allows, email_domain_blocks and ip_blocks: admins only."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.utils import timezone
from rest_framework.request import Request
from rest_framework.response import Response

from fediverse.api.errors import ApiError
from fediverse.api.pagination import paginated
from fediverse.api.parsers import to_bool
from moderation.api.admin_common import (
    AdminOnlyView,
    domain_allow_entity,
    domain_block_entity,
    email_domain_block_entity,
    find,
    ip_block_entity,
    page_of,
    read,
    write,
)
from moderation.models import DomainAllow, DomainBlock, EmailDomainBlock, IpBlock
from moderation.services import domain_blocks as blocks
from moderation.services.audit import log_action
from moderation.services.sign_up_protection import do_block_email_domain, do_save_ip_block

BLOCK_FLAGS = ("reject_media", "reject_reports", "obfuscate")
BLOCK_TEXTS = ("private_comment", "public_comment")


def _text(data: Any, name: str, default: str = "") -> str:
    value = data.get(name)
    return default if value is None else str(value)


def _block_request(data: Any, block: DomainBlock | None) -> blocks.DomainBlockRequest:
    """Fields not sent keep their value when updating."""
    current = vars(blocks.DomainBlockRequest(domain="")) if block is None else {
        name: getattr(block, name) for name in vars(blocks.DomainBlockRequest(domain=""))
    }  # fmt: skip
    fields: dict[str, Any] = {
        "domain": _text(data, "domain", current["domain"]),
        "severity": _text(data, "severity", current["severity"]),
    }
    for name in BLOCK_FLAGS:
        fields[name] = to_bool(data[name]) if name in data else current[name]
    for name in BLOCK_TEXTS:
        fields[name] = _text(data, name, current[name])
    return blocks.DomainBlockRequest(**fields)


class DomainBlocksView(AdminOnlyView):
    access = {"GET": read("domain_blocks"), "POST": write("domain_blocks")}

    def get(self, request: Request) -> Response:
        rows = page_of(request, DomainBlock.objects.all())
        return paginated(request, [domain_block_entity(b) for b in rows], rows)

    def post(self, request: Request) -> Response:
        if not _text(request.data, "domain").strip():
            raise ApiError("Validation failed: Domain can't be blank", 422)
        found = DomainBlock.objects.filter(domain=blocks.normalize_domain(request.data["domain"]))
        if found.exists():
            raise ApiError("You have already imposed stricter limits on this domain.", 422,
                           existing_domain_block=domain_block_entity(found.get()))  # fmt: skip
        ask = _block_request(request.data, None)
        block = blocks.do_save_domain_block(actor=self.moderator, ask=ask)
        return Response(domain_block_entity(block))


class DomainBlockView(AdminOnlyView):
    access = {
        "GET": read("domain_blocks"),
        "PUT": write("domain_blocks"),
        "DELETE": write("domain_blocks"),
    }

    def get(self, request: Request, pk: str) -> Response:
        return Response(domain_block_entity(find(DomainBlock.objects.all(), pk)))

    def put(self, request: Request, pk: str) -> Response:
        block = find(DomainBlock.objects.all(), pk)
        ask = _block_request(request.data, block)
        saved = blocks.do_save_domain_block(actor=self.moderator, ask=ask, block=block)
        return Response(domain_block_entity(saved))

    def delete(self, request: Request, pk: str) -> Response:
        blocks.do_remove_domain_block(actor=self.moderator,
                                      block=find(DomainBlock.objects.all(), pk))  # fmt: skip
        return Response({})


class DomainAllowsView(AdminOnlyView):
    access = {"GET": read("domain_allows"), "POST": write("domain_allows")}

    def get(self, request: Request) -> Response:
        rows = page_of(request, DomainAllow.objects.all())
        return paginated(request, [domain_allow_entity(a) for a in rows], rows)

    def post(self, request: Request) -> Response:
        allow = blocks.do_allow_domain(actor=self.moderator, domain=_text(request.data, "domain"))
        return Response(domain_allow_entity(allow))


class DomainAllowView(AdminOnlyView):
    access = {"GET": read("domain_allows"), "DELETE": write("domain_allows")}

    def get(self, request: Request, pk: str) -> Response:
        return Response(domain_allow_entity(find(DomainAllow.objects.all(), pk)))

    def delete(self, request: Request, pk: str) -> Response:
        blocks.do_remove_domain_allow(actor=self.moderator,
                                      allow=find(DomainAllow.objects.all(), pk))  # fmt: skip
        return Response({})


class EmailDomainBlocksView(AdminOnlyView):
    access = {"GET": read("email_domain_blocks"), "POST": write("email_domain_blocks")}

    def get(self, request: Request) -> Response:
        rows = page_of(request, EmailDomainBlock.objects.all())
        return paginated(request, [email_domain_block_entity(b) for b in rows], rows)

    def post(self, request: Request) -> Response:
        block = do_block_email_domain(
            actor=self.moderator,
            domain=_text(request.data, "domain"),
            allow_with_approval=to_bool(request.data.get("allow_with_approval")),
        )
        return Response(email_domain_block_entity(block))


class EmailDomainBlockView(AdminOnlyView):
    access = {"GET": read("email_domain_blocks"), "DELETE": write("email_domain_blocks")}

    def get(self, request: Request, pk: str) -> Response:
        return Response(email_domain_block_entity(find(EmailDomainBlock.objects.all(), pk)))

    def delete(self, request: Request, pk: str) -> Response:
        block = find(EmailDomainBlock.objects.all(), pk)
        log_action(actor=self.moderator, action="destroy_email_domain_block", target=block)
        block.delete()
        return Response({})


def _ip_fields(block: IpBlock, data: Any) -> IpBlock:
    if "comment" in data:
        block.comment = _text(data, "comment")
    if "expires_in" in data:
        seconds = _text(data, "expires_in")
        if seconds and not seconds.isdigit():
            raise ApiError("Validation failed: Expires in is not a number", 422)
        block.expires_at = timezone.now() + timedelta(seconds=int(seconds)) if seconds else None
    return block


class IpBlocksView(AdminOnlyView):
    access = {"GET": read("ip_blocks"), "POST": write("ip_blocks")}

    def get(self, request: Request) -> Response:
        rows = page_of(request, IpBlock.objects.all())
        return paginated(request, [ip_block_entity(b) for b in rows], rows)

    def post(self, request: Request) -> Response:
        data = request.data
        block = do_save_ip_block(
            actor=self.moderator,
            block=_ip_fields(IpBlock(), data),
            ip=_text(data, "ip"),
            severity=_text(data, "severity"),
        )
        return Response(ip_block_entity(block))


class IpBlockView(AdminOnlyView):
    access = {"GET": read("ip_blocks"), "PUT": write("ip_blocks"), "DELETE": write("ip_blocks")}

    def get(self, request: Request, pk: str) -> Response:
        return Response(ip_block_entity(find(IpBlock.objects.all(), pk)))

    def put(self, request: Request, pk: str) -> Response:
        block = _ip_fields(find(IpBlock.objects.all(), pk), request.data)
        saved = do_save_ip_block(
            actor=self.moderator,
            block=block,
            ip=_text(request.data, "ip", block.ip),
            severity=_text(request.data, "severity", block.severity),
        )
        return Response(ip_block_entity(saved))

    def delete(self, request: Request, pk: str) -> Response:
        block = find(IpBlock.objects.all(), pk)
        log_action(actor=self.moderator, action="destroy_ip_block", target=block)
        block.delete()
        return Response({})
