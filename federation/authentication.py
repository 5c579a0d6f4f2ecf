"""Who signed an incoming request: the signature is checked (time window, coverage, digest)
before the key is looked up, and the key before anything in the body is read."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from accounts.models import Account
from federation.keys import KeyUnavailable, public_key_for, refetched_key
from federation.parse.values import host_of
from federation.policy import domain_blocked
from federation.signatures import RequestParts, SignatureError, read_signature


class Rejected(Exception):
    """The request is refused; `status` is the HTTP status to answer with."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def request_parts(request: HttpRequest, body: bytes) -> RequestParts:
    return RequestParts(
        method=request.method or "GET",
        url=request.build_absolute_uri(),
        headers=dict(request.headers.items()),
        body=body,
    )


def verify_signature(request: HttpRequest, body: bytes = b"") -> Account:
    """The account whose key signed the request, or Rejected."""
    parts = request_parts(request, body)
    try:
        signature = read_signature(parts)
        if signature is None:
            raise Rejected(401, "Request not signed.")
        key_id = signature.key_id
        if domain_blocked(host_of(key_id)):
            raise Rejected(403, "This server does not accept requests from your domain.")
        signature.check(parts)
        known = public_key_for(key_id)
        if known.account.suspended_at is not None:
            raise Rejected(403, "This account is suspended.")
        if signature.verify(parts, known.pem):
            return known.account
        fresh = refetched_key(known)
        if fresh is not None and signature.verify(parts, fresh.pem):
            return fresh.account
    except SignatureError as error:
        raise Rejected(401, str(error)) from error
    except KeyUnavailable as error:
        raise Rejected(401, f"Public key not found: {error}") from error
    raise Rejected(401, f"Verification failed for {known.account.acct} {known.account.uri}.")


def fetch_viewer(request: HttpRequest) -> Account | None:
    """Who is asking for an ActivityPub document. With AUTHORIZED_FETCH, only a signed
    request is answered (Rejected otherwise); without it, a bad or absent signature
    makes an anonymous viewer."""
    if not settings.AUTHORIZED_FETCH:
        if not request.headers.get("Signature"):
            return None
        try:
            return verify_signature(request)
        except Rejected:
            return None
    return verify_signature(request)
