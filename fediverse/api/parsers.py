"""Request bodies as Mastodon takes them: JSON, forms and multipart, with Rails-style bracket
keys (`media_ids[]`, `poll[options][]`, `fields_attributes[0][name]`) turned into nested
dicts and lists, so that views read one shape whatever the client sent."""

import re
from typing import Any

from django.http import QueryDict
from rest_framework import parsers
from rest_framework.exceptions import ParseError

KEY_PART = re.compile(r"\[([^\]]*)\]")
FALSE_VALUES = {"false", "0", "f", "off", "no", "n", ""}


def nest(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        head = key.split("[", 1)[0]
        parts = [head, *KEY_PART.findall(key[len(head) :])]
        target: Any = result
        for index, part in enumerate(parts):
            last = index == len(parts) - 1
            following = parts[index + 1] if not last else None
            if last:
                if part == "" and isinstance(target, list):
                    target.append(value)
                elif isinstance(target, dict):
                    target[part] = value
                break
            if following == "":
                container = target.setdefault(part, []) if isinstance(target, dict) else None
                if not isinstance(container, list):
                    container = target[part] = [] if isinstance(target, dict) else []
                target = container
            else:
                if isinstance(target, list):
                    target.append({})
                    target = target[-1]
                    continue
                child = target.get(part)
                if not isinstance(child, dict):
                    child = target[part] = {}
                target = child
    return result


def nest_querydict(data: QueryDict) -> dict[str, Any]:
    return nest([(key, value) for key, values in data.lists() for value in values])


def to_bool(value: Any) -> bool:
    """Rails' boolean casting, which Mastodon clients rely on ("0", "false", "off"...)."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    return str(value).strip().lower() not in FALSE_VALUES


class JSONParser(parsers.JSONParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        if not isinstance(data, dict):
            raise ParseError("The request body must be a JSON object")
        return data


class FormParser(parsers.FormParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        return nest_querydict(super().parse(stream, media_type, parser_context))


class MultiPartParser(parsers.MultiPartParser):
    def parse(self, stream: Any, media_type: Any = None, parser_context: Any = None) -> Any:
        parsed = super().parse(stream, media_type, parser_context)
        return parsers.DataAndFiles(nest_querydict(parsed.data), parsed.files)
