"""What both HTTP signature schemes share: the request as signed, keys, digests and the time
window Mastodon allows (app/lib/signed_request.rb: a signature is good from its creation, or
its Date, for five minutes unless it says otherwise, never beyond twelve hours, with an hour's
margin for clocks that disagree)."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa

DEFAULT_VALIDITY = timedelta(minutes=5)
EXPIRATION_WINDOW_LIMIT = timedelta(hours=12)
CLOCK_SKEW_MARGIN = timedelta(hours=1)

PublicKey = rsa.RSAPublicKey | ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey
PrivateKey = rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey


class SignatureError(Exception):
    """The request's signature is missing, malformed, too weak, stale or wrong."""


@dataclass(frozen=True)
class SigningKey:
    key_id: str
    private_key_pem: str


@dataclass(frozen=True)
class RequestParts:
    """A request as the signature schemes see it. `url` is the full target URI."""

    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return None

    @property
    def path_and_query(self) -> str:
        parts = urlsplit(self.url)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    @property
    def path(self) -> str:
        return urlsplit(self.url).path or "/"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64decode(text: str) -> bytes:
    try:
        return base64.b64decode(text.strip(), validate=True)
    except ValueError as error:
        raise SignatureError("The signature is not valid base64.") from error


def sha256_b64(body: bytes) -> str:
    return b64(hashlib.sha256(body).digest())


def sha512_b64(body: bytes) -> str:
    return b64(hashlib.sha512(body).digest())


def load_public_key(pem: str) -> PublicKey:
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except (ValueError, TypeError) as error:
        raise SignatureError("The public key cannot be read.") from error
    if not isinstance(key, rsa.RSAPublicKey | ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey):
        raise SignatureError("This kind of public key is not supported.")
    return key


def load_private_key(pem: str) -> PrivateKey:
    key = serialization.load_pem_private_key(pem.encode(), password=None)
    if not isinstance(
        key, rsa.RSAPrivateKey | ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey
    ):
        raise ValueError("This kind of private key is not supported.")
    return key


def verify_rsa_sha256(key: PublicKey, signature: bytes, message: bytes) -> bool:
    if not isinstance(key, rsa.RSAPublicKey):
        return False
    try:
        key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


def verify_ed25519(key: PublicKey, signature: bytes, message: bytes) -> bool:
    if not isinstance(key, ed25519.Ed25519PublicKey):
        return False
    try:
        key.verify(signature, message)
    except InvalidSignature:
        return False
    return True


def sign_rsa_sha256(key: PrivateKey, message: bytes) -> bytes:
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("rsa-sha256 needs an RSA key.")
    return key.sign(message, padding.PKCS1v15(), hashes.SHA256())


def check_time_window(
    created: datetime | None, expires: datetime | None, now: datetime | None = None
) -> None:
    now = now or datetime.now(UTC)
    if created is not None:
        expires = expires or created + DEFAULT_VALIDITY
        expires = min(expires, created + EXPIRATION_WINDOW_LIMIT)
        if created > now + CLOCK_SKEW_MARGIN:
            raise SignatureError("The signature was made in the future.")
    if expires is not None and now > expires + CLOCK_SKEW_MARGIN:
        raise SignatureError("The signature has expired: signed request date outside window.")


def from_timestamp(value: object) -> datetime:
    try:
        return datetime.fromtimestamp(int(str(value)), UTC)
    except (ValueError, OverflowError, OSError) as error:
        raise SignatureError("A signature timestamp is not a number.") from error
