"""Reading JSON-LD as other servers write it: a value may be a string or an object with an
`id`, a single value may come as an array, text may come as a language map, `type` may be a
list. These helpers read each variant the same way, and never raise on surprising shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
PUBLIC_ALIASES = frozenset({PUBLIC, "as:Public", "Public"})


class ParseError(ValueError):
    """The document lacks something this server needs, or holds it in a form it refuses."""


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def first(value: Any) -> Any:
    items = as_list(value)
    return items[0] if items else None


def id_of(value: Any) -> str | None:
    """The URI a property points to: a string, an object's `id`, or a Link's `href`."""
    value = first(value)
    if isinstance(value, str):
        return value or None
    if isinstance(value, dict):
        for key in ("id", "href"):
            found = value.get(key)
            if isinstance(found, str) and found:
                return found
    return None


def ids_of(value: Any) -> list[str]:
    found = (id_of(item) for item in as_list(value))
    return [uri for uri in found if uri]


def types_of(document: Any) -> list[str]:
    if not isinstance(document, dict):
        return []
    return [t for t in as_list(document.get("type")) if isinstance(t, str)]


def type_of(document: Any, known: frozenset[str] | None = None) -> str | None:
    types = types_of(document)
    if known is not None:
        types = [t for t in types if t in known]
    return types[0] if types else None


def text_of(document: dict[str, Any], key: str) -> tuple[str | None, str | None]:
    """Text and its language: the plain property first, else the first entry of its map."""
    plain = first(document.get(key))
    language_map = document.get(f"{key}Map")
    language = None
    if isinstance(language_map, dict):
        entries = [(k, v) for k, v in language_map.items() if isinstance(v, str)]
        if entries:
            language = entries[0][0] if isinstance(entries[0][0], str) else None
            if not isinstance(plain, str):
                plain = entries[0][1]
    return (plain if isinstance(plain, str) else None), language


def string_of(document: dict[str, Any], key: str) -> str | None:
    value = first(document.get(key))
    return value if isinstance(value, str) else None


def bool_of(document: dict[str, Any], key: str, default: bool = False) -> bool:
    value = first(document.get(key))
    return value if isinstance(value, bool) else default


def datetime_of(document: dict[str, Any], key: str) -> datetime | None:
    value = string_of(document, key)
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def url_of(value: Any) -> str | None:
    """A `url` property: a string, a Link, or a list of either; text/html links first."""
    items = as_list(value)
    html = [
        i for i in items if isinstance(i, dict) and i.get("mediaType", "text/html") == "text/html"
    ]
    for item in [*html, *items]:
        uri = id_of(item)
        if uri and is_http_uri(uri):
            return uri
    return None


def is_http_uri(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def host_of(uri: str) -> str:
    """Host and port, lower case, as accounts' `domain` holds them."""
    parts = urlsplit(uri)
    host = (parts.hostname or "").lower()
    default = {"http": 80, "https": 443}.get(parts.scheme)
    if parts.port is not None and parts.port != default:
        return f"{host}:{parts.port}"
    return host


def require_uri(value: Any, what: str) -> str:
    uri = id_of(value)
    if uri is None or not is_http_uri(uri):
        raise ParseError(f"{what} is missing or not an http(s) URI.")
    return uri
