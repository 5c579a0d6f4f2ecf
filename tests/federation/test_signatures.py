"""Both signature schemes against their published vectors, round trips, and the checks
Mastodon applies before any key is consulted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from federation.signatures import (
    CavageSignature,
    MessageSignature,
    RequestParts,
    SignatureError,
    SigningKey,
    cavage,
    read_signature,
    rfc9421,
)
from federation.signatures.common import b64, load_private_key, sign_rsa_sha256
from tests.federation import vectors
from tests.federation.conftest import remote_key_pair

CAVAGE_NOW = datetime(2014, 1, 5, 21, 32, tzinfo=UTC)


def cavage_request() -> RequestParts:
    return RequestParts(**vectors.CAVAGE_REQUEST)  # type: ignore[arg-type]


def rfc_request() -> RequestParts:
    return RequestParts(**vectors.RFC9421_REQUEST)  # type: ignore[arg-type]


@pytest.mark.parametrize(("headers", "signature"), vectors.CAVAGE_SIGNATURES)
def test_cavage_vectors_verify_and_sign_identically(headers: str | None, signature: str) -> None:
    header = 'keyId="Test",algorithm="rsa-sha256",'
    header += f'headers="{headers}",' if headers else ""
    parsed = CavageSignature.parse(header + f'signature="{signature}"')
    request = cavage_request()
    assert parsed.verify(request, vectors.CAVAGE_PUBLIC_KEY)
    # RSA PKCS#1 v1.5 is deterministic: our signing string signs to the published value.
    key = load_private_key(vectors.CAVAGE_PRIVATE_KEY)
    assert b64(sign_rsa_sha256(key, parsed.signing_string(request).encode())) == signature


def test_cavage_vector_fails_on_a_changed_request() -> None:
    headers, signature = vectors.CAVAGE_SIGNATURES[1]
    parsed = CavageSignature.parse(
        f'keyId="Test",algorithm="rsa-sha256",headers="{headers}",signature="{signature}"'
    )
    changed = RequestParts(**{**vectors.CAVAGE_REQUEST, "url": "https://example.com/bar"})  # type: ignore[arg-type]
    assert not parsed.verify(changed, vectors.CAVAGE_PUBLIC_KEY)


def test_rfc9421_ed25519_vector_signs_exactly() -> None:
    key = SigningKey("test-key-ed25519", vectors.ED25519_PRIVATE_KEY)
    headers = rfc9421.sign(
        rfc_request(),
        key,
        components=("date", "@method", "@path", "@authority", "content-type", "content-length"),
        params={"created": 1618884473, "keyid": "test-key-ed25519"},
        label="sig-b26",
    )
    assert headers["Signature-Input"] == vectors.B26_INPUT
    assert headers["Signature"] == vectors.B26_SIGNATURE
    parsed = MessageSignature.parse(vectors.B26_INPUT, vectors.B26_SIGNATURE)
    assert rfc9421.signature_base(rfc_request(), parsed.covered) == vectors.B26_BASE
    assert parsed.verify(rfc_request(), vectors.ED25519_PUBLIC_KEY)


def test_rfc9421_rsa_pss_vector_verifies() -> None:
    parsed = MessageSignature.parse(vectors.B23_INPUT, vectors.B23_SIGNATURE)
    assert parsed.key_id == "test-key-rsa-pss"
    assert parsed.verify(rfc_request(), vectors.RSA_PSS_PUBLIC_KEY)
    rfc9421.check_content_digest(rfc_request())
    tampered = RequestParts(**{**vectors.RFC9421_REQUEST, "method": "PUT"})  # type: ignore[arg-type]
    assert not parsed.verify(tampered, vectors.RSA_PSS_PUBLIC_KEY)


def signed_post(scheme: str, body: bytes = b'{"type": "Follow"}') -> RequestParts:
    private, _ = remote_key_pair("signer")
    base = {"Host": "example.net", "Content-Type": "application/activity+json"}
    parts = RequestParts("POST", "https://example.net/inbox", base, body)
    sign = cavage.sign if scheme == "cavage" else rfc9421.sign
    headers = sign(parts, SigningKey("https://a.example/users/x#main-key", private))
    return RequestParts("POST", parts.url, {**base, **headers}, body)


@pytest.mark.parametrize("scheme", ["cavage", "rfc9421"])
def test_round_trip(scheme: str) -> None:
    parts = signed_post(scheme)
    signature = read_signature(parts)
    assert signature is not None
    assert signature.key_id == "https://a.example/users/x#main-key"
    signature.check(parts)
    assert signature.verify(parts, remote_key_pair("signer")[1])
    assert not signature.verify(parts, remote_key_pair("other")[1])


@pytest.mark.parametrize("scheme", ["cavage", "rfc9421"])
def test_a_changed_body_fails_the_digest(scheme: str) -> None:
    parts = signed_post(scheme)
    tampered = RequestParts(parts.method, parts.url, parts.headers, b'{"type": "Delete"}')
    signature = read_signature(tampered)
    assert signature is not None
    with pytest.raises(SignatureError, match="igest"):
        signature.check(tampered)


@pytest.mark.parametrize(
    ("age", "accepted"),
    [(timedelta(minutes=-50), True), (timedelta(minutes=64), True),
     (timedelta(minutes=66), False), (timedelta(hours=-2), False), (timedelta(days=2), False)],
)  # fmt: skip
def test_cavage_time_window_follows_mastodon(age: timedelta, accepted: bool) -> None:
    """Valid five minutes from its Date, with an hour's margin either way."""
    parts = signed_post("cavage")
    signature = read_signature(parts)
    assert signature is not None
    now = datetime.now(UTC) + age
    if accepted:
        signature.check(parts, now)
    else:
        with pytest.raises(SignatureError):
            signature.check(parts, now)


def test_rfc9421_expires_is_honoured() -> None:
    private, _ = remote_key_pair("signer")
    created = int(datetime.now(UTC).timestamp()) - 7200
    parts = RequestParts("GET", "https://example.net/users/a", {"Host": "example.net"})
    headers = rfc9421.sign(
        parts, SigningKey("k", private), params={"created": created, "keyid": "k"}
    )
    signed = RequestParts("GET", parts.url, {**parts.headers, **headers})
    signature = read_signature(signed)
    assert signature is not None
    with pytest.raises(SignatureError, match="expired"):
        signature.check(signed)


def test_post_without_signed_digest_is_refused() -> None:
    private, _ = remote_key_pair("signer")
    body = b"{}"
    parts = RequestParts("POST", "https://example.net/inbox", {"Host": "example.net"}, body)
    date = cavage.http_date()
    draft = CavageSignature({"keyId": "k", "headers": "(request-target) host date"})
    signed = RequestParts(parts.method, parts.url, {**parts.headers, "Date": date}, body)
    value = b64(sign_rsa_sha256(load_private_key(private), draft.signing_string(signed).encode()))
    header = (
        f'keyId="k",algorithm="rsa-sha256",headers="(request-target) host date",signature="{value}"'
    )
    final = RequestParts(parts.method, parts.url, {**signed.headers, "Signature": header}, body)
    signature = read_signature(final)
    assert signature is not None
    with pytest.raises(SignatureError, match="Digest"):
        signature.check(final)


def test_rfc9421_must_cover_method_and_target() -> None:
    private, _ = remote_key_pair("signer")
    parts = RequestParts("GET", "https://example.net/a", {"Host": "example.net"})
    headers = rfc9421.sign(parts, SigningKey("k", private), components=("@authority",))
    signed = RequestParts("GET", parts.url, {**parts.headers, **headers})
    signature = read_signature(signed)
    assert signature is not None
    with pytest.raises(SignatureError, match="@method"):
        signature.check(signed)


@pytest.mark.parametrize(
    "header",
    ['keyId="a"', 'signature="abc"', 'keyId="a",signature="abc",algorithm="rsa-sha1"', "garbage"],
)
def test_malformed_or_unsupported_cavage_headers(header: str) -> None:
    parts = RequestParts("GET", "https://e.net/", {"Host": "e.net", "Signature": header})
    with pytest.raises(SignatureError):
        signature = read_signature(parts)
        assert signature is not None
        signature.check(parts)
