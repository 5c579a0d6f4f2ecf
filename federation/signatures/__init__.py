"""HTTP signatures, both schemes Mastodon speaks: draft-cavage (`Signature`) and RFC 9421
(`Signature-Input` + `Signature`). Pure: no database, no network."""

from federation.signatures.cavage import CavageSignature
from federation.signatures.common import RequestParts, SignatureError, SigningKey
from federation.signatures.rfc9421 import MessageSignature

__all__ = [
    "CavageSignature",
    "MessageSignature",
    "RequestParts",
    "SignatureError",
    "SigningKey",
    "read_signature",
]


def read_signature(parts: RequestParts) -> CavageSignature | MessageSignature | None:
    """The request's signature, by the headers present; None when it is not signed."""
    signature = parts.header("signature")
    if not signature:
        return None
    signature_input = parts.header("signature-input")
    if signature_input:
        return MessageSignature.parse(signature_input, signature)
    return CavageSignature.parse(signature)
