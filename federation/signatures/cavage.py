"""HTTP signatures as draft-cavage-http-signatures describes them and Mastodon uses them:
a `Signature` header naming the key, the algorithm and the headers signed, over a string of
`name: value` lines. `rsa-sha256` and `hs2019` are accepted; an `hs2019` signature may use
`(created)` and `(expires)` instead of `Date`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from federation.signatures.common import (
    RequestParts,
    SignatureError,
    SigningKey,
    b64,
    b64decode,
    check_time_window,
    from_timestamp,
    load_private_key,
    load_public_key,
    sha256_b64,
    sign_rsa_sha256,
    verify_ed25519,
    verify_rsa_sha256,
)

REQUEST_TARGET = "(request-target)"
SUPPORTED_ALGORITHMS = ("rsa-sha256", "hs2019")
PARAM_RE = re.compile(r'\s*([A-Za-z]+)\s*=\s*(?:"([^"]*)"|([^",\s]*))\s*(?:,|$)')


def http_date(moment: datetime | None = None) -> str:
    return format_datetime((moment or datetime.now(UTC)).astimezone(UTC), usegmt=True)


def parse_params(header: str) -> dict[str, str]:
    params: dict[str, str] = {}
    position = 0
    header = header.strip()
    while position < len(header):
        match = PARAM_RE.match(header, position)
        if match is None or match.end() == position:
            raise SignatureError("The Signature header cannot be parsed.")
        value = match.group(2) if match.group(2) is not None else match.group(3)
        params.setdefault(match.group(1), value)
        position = match.end()
    return params


@dataclass(frozen=True)
class CavageSignature:
    params: dict[str, str]

    @classmethod
    def parse(cls, header: str) -> CavageSignature:
        params = parse_params(header)
        if not params.get("keyId") or not params.get("signature"):
            raise SignatureError("keyId and signature are required.")
        return cls(params)

    @property
    def key_id(self) -> str:
        return self.params["keyId"]

    @property
    def algorithm(self) -> str:
        return self.params.get("algorithm", "hs2019").lower()

    @property
    def signed_headers(self) -> list[str]:
        default = "(created)" if self.algorithm == "hs2019" else "date"
        return (self.params.get("headers") or default).lower().split()

    def check(self, parts: RequestParts, now: datetime | None = None) -> None:
        """Everything but the cryptography: algorithm, coverage, time window and digest."""
        if self.algorithm not in SUPPORTED_ALGORITHMS:
            raise SignatureError("Only rsa-sha256 and hs2019 signatures are supported.")
        check_time_window(self._created(parts), self._expires(), now)
        self._check_strength(parts)
        self._check_digest(parts)

    def verify(self, parts: RequestParts, public_key_pem: str) -> bool:
        key = load_public_key(public_key_pem)
        signature = b64decode(self.params["signature"])
        # Mastodon once signed the path without its query; both forms are accepted.
        for with_query in (True, False):
            message = self.signing_string(parts, with_query=with_query).encode()
            if verify_rsa_sha256(key, signature, message):
                return True
            if self.algorithm == "hs2019" and verify_ed25519(key, signature, message):
                return True
        return False

    def signing_string(self, parts: RequestParts, *, with_query: bool = True) -> str:
        lines = []
        for name in self.signed_headers:
            if name == REQUEST_TARGET:
                target = parts.path_and_query if with_query else parts.path
                lines.append(f"{REQUEST_TARGET}: {parts.method.lower()} {target}")
            elif name in ("(created)", "(expires)"):
                lines.append(f"{name}: {self._pseudo_header(name)}")
            else:
                value = parts.header(name)
                if value is None:
                    raise SignatureError(f"The signed header {name} is missing.")
                lines.append(f"{name}: {value.strip()}")
        return "\n".join(lines)

    def _pseudo_header(self, name: str) -> str:
        param = name.strip("()")
        if self.algorithm != "hs2019":
            raise SignatureError(f"{name} is only valid with hs2019.")
        value = self.params.get(param)
        if not value:
            raise SignatureError(f"{name} is signed but its parameter is missing.")
        return value

    def _created(self, parts: RequestParts) -> datetime | None:
        if self.algorithm == "hs2019" and self.params.get("created"):
            return from_timestamp(self.params["created"])
        date = parts.header("date")
        if not date:
            return None
        try:
            moment = parsedate_to_datetime(date)
        except (TypeError, ValueError) as error:
            raise SignatureError("The Date header cannot be read.") from error
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)

    def _expires(self) -> datetime | None:
        value = self.params.get("expires")
        return from_timestamp(value) if value else None

    def _check_strength(self, parts: RequestParts) -> None:
        signed = self.signed_headers
        if "date" not in signed and "(created)" not in signed:
            raise SignatureError("The Date header or (created) must be signed.")
        if REQUEST_TARGET not in signed and "digest" not in signed:
            raise SignatureError("(request-target) or Digest must be signed.")
        if parts.method.upper() == "GET" and "host" not in signed:
            raise SignatureError("The Host header must be signed on GET.")
        if parts.method.upper() == "POST" and "digest" not in signed:
            raise SignatureError("The Digest header must be signed on POST.")

    def _check_digest(self, parts: RequestParts) -> None:
        if "digest" not in self.signed_headers:
            return
        header = parts.header("digest")
        if not header:
            raise SignatureError("The Digest header is missing.")
        digests = {}
        for item in header.split(","):
            algorithm, _, value = item.strip().partition("=")
            digests[algorithm.lower()] = value.strip()
        if "sha-256" not in digests:
            raise SignatureError("Only SHA-256 digests are supported.")
        if digests["sha-256"] != sha256_b64(parts.body):
            raise SignatureError("The Digest does not match the body.")


def sign(parts: RequestParts, key: SigningKey, now: datetime | None = None) -> dict[str, str]:
    """Headers to add to the request: Date, Digest (with a body) and Signature. `parts` must
    carry the Host header the request will be sent with."""
    headers = {"Date": parts.header("date") or http_date(now)}
    names = [REQUEST_TARGET, "host", "date"]
    if parts.body or parts.method.upper() == "POST":
        headers["Digest"] = f"SHA-256={sha256_b64(parts.body)}"
        names.append("digest")
        if parts.header("content-type"):
            names.append("content-type")
    signed = RequestParts(parts.method, parts.url, {**parts.headers, **headers}, parts.body)
    draft = CavageSignature({"keyId": key.key_id, "headers": " ".join(names)})
    message = draft.signing_string(signed).encode()
    signature = b64(sign_rsa_sha256(load_private_key(key.private_key_pem), message))
    headers["Signature"] = (
        f'keyId="{key.key_id}",algorithm="rsa-sha256",'
        f'headers="{" ".join(names)}",signature="{signature}"'
    )
    return headers
