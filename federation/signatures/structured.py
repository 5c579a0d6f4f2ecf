"""The part of RFC 8941 (structured field values) that RFC 9421 signatures use: dictionaries
whose members are inner lists of strings or byte sequences, with parameters."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field

from federation.signatures.common import SignatureError

KEY_RE = re.compile(r"[a-z*][a-z0-9_\-.*]*")
TOKEN_RE = re.compile(r"[A-Za-z*][A-Za-z0-9!#$%&'*+\-.^_`|~:/]*")
INTEGER_RE = re.compile(r"-?[0-9]{1,15}")


class Token(str):
    """A bare token, which serialises without quotes."""


BareItem = str | int | bool | bytes
Params = dict[str, BareItem]


@dataclass
class Item:
    value: BareItem
    params: Params = field(default_factory=dict)


@dataclass
class InnerList:
    items: list[Item]
    params: Params = field(default_factory=dict)


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def skip(self, chars: str = " ") -> None:
        while self.peek() and self.peek() in chars:
            self.pos += 1

    def expect(self, char: str) -> None:
        if self.peek() != char:
            raise SignatureError(f"Expected {char!r} in a structured header.")
        self.pos += 1

    def match(self, pattern: re.Pattern[str]) -> str:
        found = pattern.match(self.text, self.pos)
        if found is None:
            raise SignatureError("A structured header cannot be parsed.")
        self.pos = found.end()
        return found.group(0)

    def bare_item(self) -> BareItem:
        char = self.peek()
        if char == '"':
            return self.string()
        if char == ":":
            self.pos += 1
            end = self.text.find(":", self.pos)
            if end < 0:
                raise SignatureError("An unterminated byte sequence.")
            raw, self.pos = self.text[self.pos : end], end + 1
            try:
                return base64.b64decode(raw, validate=True)
            except ValueError as error:
                raise SignatureError("A byte sequence is not base64.") from error
        if char == "?":
            self.pos += 1
            value = self.peek()
            if value not in ("0", "1"):
                raise SignatureError("A boolean must be ?0 or ?1.")
            self.pos += 1
            return value == "1"
        if char == "-" or char.isdigit():
            return int(self.match(INTEGER_RE))
        return Token(self.match(TOKEN_RE))

    def string(self) -> str:
        self.expect('"')
        out: list[str] = []
        while True:
            char = self.peek()
            if not char:
                raise SignatureError("An unterminated string.")
            self.pos += 1
            if char == '"':
                return "".join(out)
            if char == "\\":
                escaped = self.peek()
                if escaped not in ('"', "\\"):
                    raise SignatureError("A bad escape in a string.")
                self.pos += 1
                char = escaped
            elif not 0x20 <= ord(char) <= 0x7E:
                raise SignatureError("A string holds a character it may not.")
            out.append(char)

    def params(self) -> Params:
        params: Params = {}
        while self.peek() == ";":
            self.pos += 1
            self.skip()
            key = self.match(KEY_RE)
            value: BareItem = True
            if self.peek() == "=":
                self.pos += 1
                value = self.bare_item()
            params[key] = value
        return params

    def member(self) -> Item | InnerList:
        if self.peek() != "(":
            return Item(self.bare_item(), self.params())
        self.pos += 1
        items: list[Item] = []
        while True:
            self.skip()
            if self.peek() == ")":
                self.pos += 1
                return InnerList(items, self.params())
            items.append(Item(self.bare_item(), self.params()))
            if self.peek() not in (" ", ")"):
                raise SignatureError("Items of an inner list are separated by spaces.")


def parse_dictionary(text: str) -> dict[str, Item | InnerList]:
    reader = _Reader(text.strip())
    members: dict[str, Item | InnerList] = {}
    while reader.peek():
        key = reader.match(KEY_RE)
        if reader.peek() == "=":
            reader.pos += 1
            members[key] = reader.member()
        else:
            members[key] = Item(True, reader.params())
        reader.skip(" \t")
        if not reader.peek():
            break
        reader.expect(",")
        reader.skip(" \t")
        if not reader.peek():
            raise SignatureError("A structured header ends with a comma.")
    return members


def serialize_bare(value: BareItem) -> str:
    if isinstance(value, bool):
        return "?1" if value else "?0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, bytes):
        return ":" + base64.b64encode(value).decode("ascii") + ":"
    if isinstance(value, Token):
        return str(value)
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def serialize_params(params: Params) -> str:
    return "".join(
        f";{key}" if value is True else f";{key}={serialize_bare(value)}"
        for key, value in params.items()
    )


def serialize_item(item: Item) -> str:
    return serialize_bare(item.value) + serialize_params(item.params)


def serialize_inner_list(inner: InnerList) -> str:
    return (
        "("
        + " ".join(serialize_item(i) for i in inner.items)
        + ")"
        + serialize_params(inner.params)
    )
