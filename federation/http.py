"""The one outbound HTTP client. Every request the server makes to another server goes
through here, so that every one of them is bounded and safe:

- the host is resolved here and each address checked (federation.addresses) before the
  connection is opened to that same address, so DNS cannot change between check and connect;
- connect within 5 s, the whole exchange within 30 s (redirects included), however slowly
  the other side drips bytes;
- bodies stop at 1 MB, counted after decompression;
- at most 3 redirects, each one checked like the first request;
- a User-Agent naming the software and this instance."""

from __future__ import annotations

import json
import os
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from django.conf import settings

from federation.addresses import may_connect
from federation.parse.document import MalformedDocument, load_document
from federation.signatures import RequestParts, SigningKey, cavage, rfc9421
from fediverse import uris

ACTIVITYPUB_ACCEPT = 'application/activity+json, application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
ACTIVITYPUB_TYPES = ("application/activity+json", "application/ld+json")
REDIRECT_CODES = (301, 302, 303, 307, 308)


class FetchError(Exception):
    """The request could not be made, or its answer is unusable."""


class UnsafeAddress(FetchError):
    """The host resolves to an address this server must not connect to."""


class ResponseTooLarge(FetchError):
    pass


class TooManyRedirects(FetchError):
    pass


class BadResponse(FetchError):
    """A status, content type or document this server cannot use."""


@dataclass(frozen=True)
class Limits:
    connect: float = 5.0
    total: float = 30.0
    max_bytes: int = 1024 * 1024
    max_redirects: int = 3


DEFAULT_LIMITS = Limits()


@dataclass
class Response:
    status: int
    url: str
    headers: httpx.Headers
    body: bytes = field(repr=False)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300


def user_agent() -> str:
    return f"Herd/{settings.HERD_VERSION} (+{uris.base_url()}/)"


_resolvers: dict[int, ThreadPoolExecutor] = {}


def _resolve(host: str, port: int, timeout: float) -> list[str]:
    """getaddrinfo has no timeout of its own; a worker thread gives it one. One pool per
    process, since a pool does not survive a fork."""
    pool = _resolvers.get(os.getpid())
    if pool is None:
        pool = _resolvers[os.getpid()] = ThreadPoolExecutor(max_workers=4)
    future = pool.submit(socket.getaddrinfo, host, port, 0, socket.SOCK_STREAM)
    try:
        infos = future.result(timeout=timeout)
    except FutureTimeout as error:
        raise httpcore.ConnectTimeout(f"Resolving {host} took too long.") from error
    except OSError as error:
        raise httpcore.ConnectError(f"{host} cannot be resolved: {error}") from error
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class DeadlineStream(httpcore.NetworkStream):
    """A socket stream whose every read and write ends by the request's deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: float) -> None:
        self.inner = inner
        self.deadline = deadline

    def _timeout(self, timeout: float | None, error: type[Exception]) -> float:
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise error("The request took longer than allowed.")
        return remaining if timeout is None else min(timeout, remaining)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self.inner.read(max_bytes, self._timeout(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self.inner.write(buffer, self._timeout(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self.inner.close()

    def start_tls(
        self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        timeout = self._timeout(timeout, httpcore.ConnectTimeout)
        return DeadlineStream(
            self.inner.start_tls(ssl_context, server_hostname, timeout), self.deadline
        )

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)


class CheckedBackend(httpcore.NetworkBackend):
    """Resolves, checks every address, and connects to a checked one."""

    def __init__(self, limits: Limits, deadline: float) -> None:
        self.limits = limits
        self.deadline = deadline
        self.inner = httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Any = None,
    ) -> httpcore.NetworkStream:
        budget = min(self.limits.connect, max(self.deadline - time.monotonic(), 0.001))
        addresses = _resolve(host, port, budget)
        refused = [a for a in addresses if not may_connect(a)]
        if refused or not addresses:
            raise UnsafeAddress(f"{host} resolves to an address that is not public.")
        last_error: Exception | None = None
        for address in addresses:
            remaining = min(self.limits.connect, self.deadline - time.monotonic())
            if remaining <= 0:
                break
            try:
                stream = self.inner.connect_tcp(address, port, remaining, local_address)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last_error = error
                continue
            return DeadlineStream(stream, self.deadline)
        raise last_error or httpcore.ConnectTimeout(f"Connecting to {host} took too long.")


class CheckedTransport(httpx.HTTPTransport):
    def __init__(self, limits: Limits, deadline: float) -> None:
        super().__init__(trust_env=False, retries=0)
        # The same pool httpx builds, with the checking backend in place of the plain one.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=4,
            network_backend=CheckedBackend(limits, deadline),
        )


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"Only http and https URLs can be fetched: {url!r}")
    if parts.username or parts.password:
        raise FetchError("URLs with credentials are not fetched.")


def check_public_url(url: str, *, timeout: float = DEFAULT_LIMITS.connect) -> None:
    """For URLs kept now and requested later (push endpoints): raises FetchError unless the
    URL is http(s) and its host resolves, only to addresses this client may connect to. The
    request itself checks again, since DNS answers can change in between."""
    _check_url(url)
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = _resolve(parts.hostname or "", port, timeout)
    except (ValueError, httpcore.ConnectError, httpcore.ConnectTimeout) as error:
        raise FetchError(f"{url} cannot be reached: {error}") from error
    if not addresses or not all(may_connect(address) for address in addresses):
        raise UnsafeAddress(f"{parts.hostname} resolves to an address that is not public.")


def _signed_headers(
    request: httpx.Request, body: bytes, signer: SigningKey | None, scheme: str
) -> None:
    if signer is None:
        return
    parts = RequestParts(request.method, str(request.url), dict(request.headers), body)
    sign = cavage.sign if scheme == "cavage" else rfc9421.sign
    request.headers.update(sign(parts, signer))


def _read_capped(response: httpx.Response, limits: Limits) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limits.max_bytes:
        raise ResponseTooLarge(f"The answer announces {declared} bytes.")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > limits.max_bytes:
            raise ResponseTooLarge("The answer is larger than allowed.")
        chunks.append(chunk)
    return b"".join(chunks)


def request(
    method: str,
    url: str,
    *,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
    signer: SigningKey | None = None,
    signature_scheme: str = "cavage",
    follow_redirects: bool = True,
    limits: Limits = DEFAULT_LIMITS,
) -> Response:
    deadline = time.monotonic() + limits.total
    timeout = httpx.Timeout(limits.total, connect=limits.connect)
    base_headers = {"User-Agent": user_agent(), **(headers or {})}
    with httpx.Client(
        transport=CheckedTransport(limits, deadline), timeout=timeout, trust_env=False
    ) as client:
        for _ in range(limits.max_redirects + 1):
            _check_url(url)
            outgoing = client.build_request(method, url, headers=base_headers, content=body or None)
            _signed_headers(outgoing, body, signer, signature_scheme)
            try:
                response = client.send(outgoing, stream=True)
            except httpx.TimeoutException as error:
                raise FetchError(f"{url} did not answer in time.") from error
            except httpx.HTTPError as error:
                raise FetchError(f"{url} could not be reached: {error}") from error
            try:
                location = response.headers.get("location")
                if follow_redirects and response.status_code in REDIRECT_CODES and location:
                    url = urljoin(url, location)
                    continue
                content = _read_capped(response, limits)
            except httpx.TimeoutException as error:
                raise FetchError(f"{url} did not finish answering in time.") from error
            except httpx.HTTPError as error:
                raise FetchError(f"{url} broke off its answer: {error}") from error
            finally:
                response.close()
            return Response(response.status_code, url, response.headers, content)
    raise TooManyRedirects(f"More than {limits.max_redirects} redirects from {url}.")


def get(url: str, *, accept: str = "*/*", **options: Any) -> Response:
    return request("GET", url, headers={"Accept": accept}, **options)


def post_activity(
    url: str, document: dict[str, Any], *, signer: SigningKey, **options: Any
) -> Response:
    body = json.dumps(document).encode()
    headers = {"Content-Type": "application/activity+json", "Accept": ACTIVITYPUB_ACCEPT}
    return request(
        "POST", url, headers=headers, body=body, signer=signer, follow_redirects=False, **options
    )


def _get_document(url: str, signer: SigningKey | None, limits: Limits) -> dict[str, Any]:
    response = get(url, accept=ACTIVITYPUB_ACCEPT, signer=signer, limits=limits)
    if not response.ok:
        raise BadResponse(f"{url} answered {response.status}.")
    if response.content_type not in ACTIVITYPUB_TYPES:
        raise BadResponse(f"{url} is {response.content_type or 'untyped'}, not ActivityPub.")
    try:
        return load_document(response.body)
    except MalformedDocument as error:
        raise BadResponse(f"{url} is not a usable document: {error}") from error


def fetch_document(
    url: str, *, signer: SigningKey | None = None, limits: Limits = DEFAULT_LIMITS
) -> dict[str, Any]:
    """An ActivityPub document whose `id` is `url`. A document that names another id is
    fetched again from that id, once; its answer must then name itself."""
    document = _get_document(url, signer, limits)
    claimed = document.get("id")
    if claimed == url:
        return document
    if not isinstance(claimed, str):
        raise BadResponse(f"{url} has no id.")
    document = _get_document(claimed, signer, limits)
    if document.get("id") != claimed:
        raise BadResponse(f"{claimed} does not name itself.")
    return document
