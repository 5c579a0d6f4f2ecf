"""The server's VAPID key pair for Web Push: from the environment in production, generated
once under the data folder for a single-machine instance."""

import base64
import os
from functools import cache

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings


@cache
def private_key() -> ec.EllipticCurvePrivateKey:
    pem = os.environ.get("VAPID_PRIVATE_KEY", "")
    path = settings.DATA_DIR / "vapid_private_key.pem"
    if not pem and path.exists():
        pem = path.read_text()
    if not pem:
        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode()
        path.write_text(pem)
        path.chmod(0o600)
    loaded = serialization.load_pem_private_key(pem.encode(), password=None)
    assert isinstance(loaded, ec.EllipticCurvePrivateKey)
    return loaded


def public_key() -> str:
    """The uncompressed point, base64url without padding, as browsers and apps expect."""
    raw = (
        private_key()
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
