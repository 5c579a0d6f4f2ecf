"""The server's VAPID key pair for Web Push. It must be the same in every process (web
servers publish the public key, workers sign with the private one), so it comes from, in
order: VAPID_PRIVATE_KEY (PEM, or Mastodon's base64url private key), a key file left under
the data folder by an earlier version, or a derivation of SECRET_KEY, which every process of
an instance already shares."""

import base64
import binascii
from functools import cache

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# The order of the P-256 group: private scalars lie in [1, ORDER - 1].
ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
DERIVATION_INFO = b"herd vapid private key"


def _from_setting(value: str) -> ec.EllipticCurvePrivateKey:
    if "-----BEGIN" in value:
        loaded = serialization.load_pem_private_key(value.encode(), password=None)
        if not isinstance(loaded, ec.EllipticCurvePrivateKey):
            raise ImproperlyConfigured("VAPID_PRIVATE_KEY is not an elliptic curve key.")
        return loaded
    text = value.strip().rstrip("=")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise ImproperlyConfigured("VAPID_PRIVATE_KEY is neither PEM nor base64.") from error
    scalar = int.from_bytes(raw, "big")
    if len(raw) != 32 or not 0 < scalar < ORDER:
        raise ImproperlyConfigured("VAPID_PRIVATE_KEY is not a P-256 private key.")
    return ec.derive_private_key(scalar, ec.SECP256R1())


def _derived() -> ec.EllipticCurvePrivateKey:
    material = HKDF(hashes.SHA256(), 48, salt=None, info=DERIVATION_INFO).derive(
        settings.SECRET_KEY.encode()
    )
    # 48 bytes reduced modulo the order leave no measurable bias.
    scalar = int.from_bytes(material, "big") % (ORDER - 1) + 1
    return ec.derive_private_key(scalar, ec.SECP256R1())


@cache
def private_key() -> ec.EllipticCurvePrivateKey:
    if settings.VAPID_PRIVATE_KEY:
        return _from_setting(settings.VAPID_PRIVATE_KEY)
    path = settings.DATA_DIR / "vapid_private_key.pem"
    if path.exists():
        return _from_setting(path.read_text())
    return _derived()


def public_key() -> str:
    """The uncompressed point, base64url without padding, as browsers and apps expect."""
    raw = (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
