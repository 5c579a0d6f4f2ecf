"""The receiving side of Web Push, written independently of the server's code: a subscriber's
key pair and auth secret, RFC 8291 decryption done here with `cryptography` (the draft aesgcm
scheme through Mastodon.py's client), and RFC 8292 VAPID checks against the public key the
instance publishes."""

from __future__ import annotations

import base64
import json
import os
import secrets
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.test import Client
from django.utils import timezone
from mastodon import Mastodon
from oauth2_provider.models import AbstractAccessToken, get_access_token_model

from accounts.models import OAuthApplication, User


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hkdf(secret: bytes, salt: bytes, info: bytes, length: int) -> bytes:
    return HKDF(hashes.SHA256(), length, salt=salt, info=info).derive(secret)


def issue_token(user: User, scope: str = "read write follow push") -> AbstractAccessToken:
    app = OAuthApplication.objects.create(
        name="push test app",
        client_type=OAuthApplication.CLIENT_CONFIDENTIAL,
        authorization_grant_type=OAuthApplication.GRANT_AUTHORIZATION_CODE,
        redirect_uris="urn:ietf:wg:oauth:2.0:oob",
        scopes=scope,
    )
    return get_access_token_model().objects.create(
        user=user,
        application=app,
        token=secrets.token_urlsafe(32),
        scope=scope,
        expires=timezone.now() + timedelta(days=1),
    )


@dataclass
class Subscriber:
    """What a browser or a phone keeps for one subscription."""

    key: ec.EllipticCurvePrivateKey = field(
        default_factory=lambda: ec.generate_private_key(ec.SECP256R1())
    )
    auth: bytes = field(default_factory=lambda: os.urandom(16))

    @property
    def public_bytes(self) -> bytes:
        return self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )

    def keys(self) -> dict[str, str]:
        return {"p256dh": b64url(self.public_bytes), "auth": b64url(self.auth)}

    def subscribe(
        self, client: Client, endpoint: str, *, standard: bool, data: dict[str, Any]
    ) -> dict[str, Any]:
        body = {
            "subscription": {"endpoint": endpoint, "standard": standard, "keys": self.keys()},
            "data": data,
        }
        response = client.post(
            "/api/v1/push/subscription", json.dumps(body), content_type="application/json"
        )
        assert response.status_code == 200, response.content
        return response.json()

    def decrypt(self, body: bytes, headers: Any) -> dict[str, Any]:
        if headers["Content-Encoding"] == "aes128gcm":
            return json.loads(self._decrypt_aes128gcm(body))
        assert headers["Content-Encoding"] == "aesgcm"
        client = Mastodon(api_base_url="http://127.0.0.1:9", version_check_mode="none")
        private = {"privkey": self.key.private_numbers().private_value, "auth": self.auth}
        found = client.push_subscription_decrypt_push(
            body, private, headers["Encryption"], headers["Crypto-Key"]
        )
        return dict(found)

    def _decrypt_aes128gcm(self, body: bytes) -> bytes:
        """RFC 8291 section 3.4 and RFC 8188: one record, keyed by the sender's public key."""
        salt, record_size, id_length = body[:16], body[16:20], body[20]
        assert int.from_bytes(record_size, "big") >= 18
        sender_public = body[21 : 21 + id_length]
        ciphertext = body[21 + id_length :]
        sender = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender_public)
        shared = self.key.exchange(ec.ECDH(), sender)
        key_info = b"WebPush: info\x00" + self.public_bytes + sender_public
        ikm = hkdf(shared, self.auth, key_info, 32)
        cek = hkdf(ikm, salt, b"Content-Encoding: aes128gcm\x00", 16)
        nonce = hkdf(ikm, salt, b"Content-Encoding: nonce\x00", 12)
        padded = AESGCM(cek).decrypt(nonce, ciphertext, None).rstrip(b"\x00")
        assert padded.endswith(b"\x02"), "the last record ends with the 0x02 delimiter"
        return padded[:-1]


def verify_jwt(token: str, public_key: str) -> dict[str, Any]:
    """ES256 over `header.claims`, checked with the key the instance publishes."""
    signed, signature = token.rsplit(".", 1)
    raw = unb64url(signature)
    assert len(raw) == 64
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64url(public_key))
    key.verify(der, signed.encode(), ec.ECDSA(hashes.SHA256()))
    header = json.loads(unb64url(signed.split(".")[0]))
    assert header["alg"] == "ES256"
    return dict(json.loads(unb64url(signed.split(".")[1])))


def vapid_claims(headers: Any, public_key: str) -> dict[str, Any]:
    """The JWT of either scheme, its signature verified and its key checked."""
    scheme, _, value = headers["Authorization"].partition(" ")
    if scheme == "vapid":
        parts = dict(part.split("=", 1) for part in value.split(","))
        assert parts["k"] == public_key
        token = parts["t"]
    else:
        assert scheme == "WebPush"
        assert f"p256ecdsa={public_key}" in headers["Crypto-Key"].split(";")
        token = value
    claims = verify_jwt(token, public_key)
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600
    return claims
