"""HTTP message signatures (RFC 9421), as Mastodon accepts them: `Signature-Input` and
`Signature` dictionaries; the signature must cover `@method` and `@target-uri`, carry `created`,
and cover `Content-Digest` (RFC 9530) on POST."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

from federation.signatures.common import (
    PrivateKey,
    PublicKey,
    RequestParts,
    SignatureError,
    SigningKey,
    check_time_window,
    from_timestamp,
    load_private_key,
    load_public_key,
)
from federation.signatures.structured import (
    InnerList,
    Item,
    Params,
    parse_dictionary,
    serialize_bare,
    serialize_inner_list,
    serialize_item,
)

DEFAULT_LABEL = "sig1"
DIGESTS = {"sha-256": hashlib.sha256, "sha-512": hashlib.sha512}


DEFAULT_PORTS = {"http": 80, "https": 443}


def authority(url: str) -> str:
    """Host and port as RFC 9421 covers them: lower case, default port left out."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    if parts.port is not None and parts.port != DEFAULT_PORTS.get(parts.scheme.lower()):
        host = f"{host}:{parts.port}"
    return host


def _component_value(parts: RequestParts, item: Item) -> str:
    name = item.value
    if not isinstance(name, str) or item.params:
        raise SignatureError("Component parameters are not supported.")
    url = urlsplit(parts.url)
    derived = {
        "@method": lambda: parts.method.upper(),
        "@target-uri": lambda: parts.url,
        "@authority": lambda: authority(parts.url),
        "@scheme": lambda: url.scheme.lower(),
        "@request-target": lambda: parts.path_and_query,
        "@path": lambda: url.path or "/",
        "@query": lambda: f"?{url.query}",
    }
    if name.startswith("@"):
        if name not in derived:
            raise SignatureError(f"The component {name} is not supported.")
        return derived[name]()
    value = parts.header(name)
    if value is None:
        raise SignatureError(f"The signed header {name} is missing.")
    return value.strip()


def signature_base(parts: RequestParts, covered: InnerList) -> str:
    lines = []
    seen = set()
    for item in covered.items:
        identifier = serialize_item(item)
        if identifier in seen:
            raise SignatureError("A component is covered twice.")
        seen.add(identifier)
        lines.append(f"{identifier}: {_component_value(parts, item)}")
    lines.append(f'"@signature-params": {serialize_inner_list(covered)}')
    return "\n".join(lines)


def _verify_with(algorithm: str, key: PublicKey, signature: bytes, message: bytes) -> None:
    """Raises InvalidSignature (or TypeError for the wrong kind of key) unless it verifies."""
    if algorithm == "rsa-v1_5-sha256" and isinstance(key, rsa.RSAPublicKey):
        key.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
    elif algorithm == "rsa-pss-sha512" and isinstance(key, rsa.RSAPublicKey):
        pss = padding.PSS(mgf=padding.MGF1(hashes.SHA512()), salt_length=64)
        key.verify(signature, message, pss, hashes.SHA512())
    elif algorithm == "ed25519" and isinstance(key, ed25519.Ed25519PublicKey):
        key.verify(signature, message)
    elif algorithm == "ecdsa-p256-sha256" and isinstance(key, ec.EllipticCurvePublicKey):
        if len(signature) != 64:
            raise InvalidSignature
        der = encode_dss_signature(
            int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
        )
        key.verify(der, message, ec.ECDSA(hashes.SHA256()))
    else:
        raise TypeError(f"{algorithm} does not fit this key.")


def _algorithms_for(key: PublicKey, declared: object) -> list[str]:
    if isinstance(declared, str):
        return [declared]
    if isinstance(key, rsa.RSAPublicKey):
        return ["rsa-v1_5-sha256", "rsa-pss-sha512"]
    if isinstance(key, ed25519.Ed25519PublicKey):
        return ["ed25519"]
    return ["ecdsa-p256-sha256"]


@dataclass(frozen=True)
class MessageSignature:
    label: str
    covered: InnerList
    signature: bytes

    @classmethod
    def parse(cls, signature_input: str, signature: str) -> MessageSignature:
        inputs = parse_dictionary(signature_input)
        values = parse_dictionary(signature)
        for label, covered in inputs.items():
            value = values.get(label)
            if isinstance(covered, InnerList) and value is not None:
                if not isinstance(value, Item) or not isinstance(value.value, bytes):
                    raise SignatureError("The signature is not a byte sequence.")
                return cls(label, covered, value.value)
        raise SignatureError("Signature-Input and Signature share no label.")

    @property
    def params(self) -> Params:
        return self.covered.params

    @property
    def key_id(self) -> str:
        key_id = self.params.get("keyid")
        if not isinstance(key_id, str) or not key_id:
            raise SignatureError("keyid is required.")
        return key_id

    @property
    def components(self) -> list[str]:
        return [str(item.value) for item in self.covered.items]

    def check(self, parts: RequestParts, now: datetime | None = None) -> None:
        if "created" not in self.params:
            raise SignatureError("The created parameter is required.")
        expires = self.params.get("expires")
        check_time_window(
            from_timestamp(self.params["created"]),
            from_timestamp(expires) if expires is not None else None,
            now,
        )
        if "@method" not in self.components or "@target-uri" not in self.components:
            raise SignatureError("@method and @target-uri must be signed.")
        if parts.method.upper() == "POST" and "content-digest" not in self.components:
            raise SignatureError("Content-Digest must be signed on POST.")
        if "content-digest" in self.components:
            check_content_digest(parts)

    def verify(self, parts: RequestParts, public_key_pem: str) -> bool:
        key = load_public_key(public_key_pem)
        message = signature_base(parts, self.covered).encode()
        for algorithm in _algorithms_for(key, self.params.get("alg")):
            try:
                _verify_with(algorithm, key, self.signature, message)
            except (InvalidSignature, TypeError):
                continue
            return True
        return False


def check_content_digest(parts: RequestParts) -> None:
    header = parts.header("content-digest")
    if not header:
        raise SignatureError("The Content-Digest header is missing.")
    digests = parse_dictionary(header)
    known = [name for name in digests if name in DIGESTS]
    if not known:
        raise SignatureError("Only sha-256 and sha-512 content digests are supported.")
    for name in known:
        item = digests[name]
        if not isinstance(item, Item) or item.value != DIGESTS[name](parts.body).digest():
            raise SignatureError("The Content-Digest does not match the body.")


def content_digest(body: bytes) -> str:
    return "sha-256=" + serialize_bare(hashlib.sha256(body).digest())


def sign_base(key: PrivateKey, message: bytes) -> bytes:
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(message, padding.PKCS1v15(), hashes.SHA256())
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return key.sign(message)
    r, s = decode_dss_signature(key.sign(message, ec.ECDSA(hashes.SHA256())))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def sign(
    parts: RequestParts,
    key: SigningKey,
    *,
    components: tuple[str, ...] | None = None,
    params: Params | None = None,
    label: str = DEFAULT_LABEL,
    now: datetime | None = None,
) -> dict[str, str]:
    """Headers to add: Content-Digest (when covered), Signature-Input and Signature. By default
    the components Mastodon signs, with `created` and `keyid`."""
    headers: dict[str, str] = {}
    if components is None:
        components = ("@method", "@target-uri")
        if parts.body or parts.method.upper() == "POST":
            components += ("content-digest",)
    if "content-digest" in components and not parts.header("content-digest"):
        headers["Content-Digest"] = content_digest(parts.body)
    if params is None:
        created = int((now or datetime.now().astimezone()).timestamp())
        params = {"created": created, "keyid": key.key_id}
    covered = InnerList([Item(name) for name in components], dict(params))
    signed = RequestParts(parts.method, parts.url, {**parts.headers, **headers}, parts.body)
    message = signature_base(signed, covered).encode()
    signature = sign_base(load_private_key(key.private_key_pem), message)
    headers["Signature-Input"] = f"{label}={serialize_inner_list(covered)}"
    headers["Signature"] = f"{label}={serialize_bare(signature)}"
    return headers
