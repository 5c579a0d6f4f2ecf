"""Web Push messages: the payload encrypted for one subscriber (RFC 8291 `aes128gcm`, or the
draft `aesgcm` scheme that older apps still register) and signed for with the instance's
VAPID key (RFC 8292). http_ece and py_vapid do the cryptography; sending is left to the
server's own outbound client, so that push endpoints get the same address checks and limits
as every other request."""

from __future__ import annotations

import base64
import binascii
import os
import re
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import http_ece
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid01, Vapid02

from fediverse import vapid

# RFC 8292 allows at most 24 hours; half that leaves room for clocks that disagree.
TOKEN_LIFETIME = 12 * 3600
AUTH_SECRET_BYTES = 16
BASE64_CHARACTERS = re.compile(r"[A-Za-z0-9+/_-]*={0,2}")
DEFAULT_PORTS = {"http": 80, "https": 443}


class InvalidKey(ValueError):
    pass


@dataclass(frozen=True)
class Message:
    body: bytes
    headers: dict[str, str]


def encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def decode(value: str) -> bytes:
    """Apps send their keys in URL-safe or standard base64, with or without padding."""
    text = value.strip()
    if not BASE64_CHARACTERS.fullmatch(text):
        raise InvalidKey("not base64")
    text = text.rstrip("=").replace("+", "-").replace("/", "_")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise InvalidKey("not base64") from error


def subscriber_key(p256dh: str) -> bytes:
    """The subscriber's public key as an uncompressed P-256 point, checked to be on the curve."""
    raw = decode(p256dh)
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), raw)
    except ValueError as error:
        raise InvalidKey("not a P-256 public key") from error
    if len(raw) != 65:
        raise InvalidKey("not an uncompressed P-256 public key")
    return raw


def auth_secret(auth: str) -> bytes:
    raw = decode(auth)
    if len(raw) != AUTH_SECRET_BYTES:
        raise InvalidKey(f"the auth secret must be {AUTH_SECRET_BYTES} bytes")
    return raw


def audience(endpoint: str) -> str:
    """The endpoint's origin, which the VAPID token is issued for."""
    parts = urlsplit(endpoint)
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    port = parts.port
    if port is None or port == DEFAULT_PORTS.get(scheme):
        return f"{scheme}://{host}"
    return f"{scheme}://{host}:{port}"


def _public_bytes(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def encrypt(payload: bytes, *, p256dh: str, auth: str, standard: bool) -> Message:
    """The payload encrypted with a fresh key pair, with the headers its scheme needs."""
    receiver, secret = subscriber_key(p256dh), auth_secret(auth)
    sender = ec.generate_private_key(ec.SECP256R1())
    if standard:
        body = http_ece.encrypt(
            payload, private_key=sender, dh=receiver, auth_secret=secret, version="aes128gcm"
        )
        return Message(body, {"Content-Encoding": "aes128gcm"})
    salt = os.urandom(16)
    body = http_ece.encrypt(
        payload, salt=salt, private_key=sender, dh=receiver, auth_secret=secret, version="aesgcm"
    )
    headers = {
        "Content-Encoding": "aesgcm",
        "Encryption": f"salt={encode(salt)}",
        "Crypto-Key": f"dh={encode(_public_bytes(sender))}",
    }
    return Message(body, headers)


def vapid_headers(
    endpoint: str, *, subject: str, standard: bool, crypto_key: str | None = None
) -> dict[str, str]:
    """`Authorization: vapid t=…,k=…` (RFC 8292), or for the draft scheme
    `Authorization: WebPush …` with the key in `Crypto-Key`, after the message's own `dh`."""
    claims = {
        "aud": audience(endpoint),
        "sub": subject,
        "exp": int(time.time()) + TOKEN_LIFETIME,
    }
    # Not strict: py_vapid wants an https subject, and local instances run on http.
    signer_class = Vapid02 if standard else Vapid01
    signer = signer_class(private_key=vapid.private_key(), conf={"no-strict": True})
    headers: dict[str, str] = signer.sign(claims, crypto_key)
    return headers


def build_message(
    endpoint: str, payload: bytes, *, p256dh: str, auth: str, standard: bool, subject: str
) -> Message:
    message = encrypt(payload, p256dh=p256dh, auth=auth, standard=standard)
    headers = dict(message.headers)
    crypto_key = headers.pop("Crypto-Key", None)
    headers.update(
        vapid_headers(endpoint, subject=subject, standard=standard, crypto_key=crypto_key)
    )
    return Message(message.body, headers)
