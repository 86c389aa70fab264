"""DynamoDB JSON as Lambda delivers it (binary as base64 text) to plain JSON, exactly.

Numbers stay exact decimals (never a float), binary stays base64 text, sets become sorted lists. The DynamoDB
JSON itself is checked and kept as it came, because that is the form DynamoDB's ImportTable reads back.
"""

from __future__ import annotations

import base64
import binascii
from decimal import Decimal, InvalidOperation
from json.encoder import encode_basestring_ascii
from typing import TYPE_CHECKING

from dbops.errors import MalformedRecordError

if TYPE_CHECKING:
    from collections.abc import Callable

type Plain = bool | str | Decimal | list[Plain] | dict[str, Plain] | None

# DynamoDB numbers: up to 38 significant digits, magnitude from 1E-130 to under 1E+126.
MAX_DIGITS = 38
MIN_EXPONENT = -130
MAX_ADJUSTED_EXPONENT = 125


def item_to_plain(item: object) -> dict[str, Plain]:
    """Decode an item (attribute name to typed value) to plain values; MalformedRecordError if it is not."""
    if not isinstance(item, dict):
        raise MalformedRecordError(f"an item must be a map of attribute names to typed values, got {_kind(item)}")
    return {_name(name): to_plain(value, path=name) for name, value in item.items()}


def to_plain(value: object, *, path: str = "value") -> Plain:
    """Decode one typed value (``{"N": "1.5"}``) to its plain value; MalformedRecordError names a bad path."""
    if not isinstance(value, dict) or len(value) != 1:
        raise MalformedRecordError(f"{path}: a typed value is a map with exactly one type key, got {_kind(value)}")
    ((kind, content),) = value.items()
    match kind:
        case "S":
            return _string(content, path)
        case "N":
            return number(content, path=path)
        case "B":
            return _binary(content, path)
        case "BOOL":
            if not isinstance(content, bool):
                raise MalformedRecordError(f"{path}: BOOL must be true or false")
            return content
        case "NULL":
            if content is not True:
                raise MalformedRecordError(f"{path}: NULL must be true")
            return None
        case "SS":
            return list[Plain](sorted(_string(element, path) for element in _set(content, path)))
        case "NS":
            return list[Plain](sorted(number(element, path=path) for element in _set(content, path)))
        case "BS":
            binaries: list[str] = [_binary(element, path) for element in _set(content, path)]
            ordered = sorted(binaries, key=_bytes)
            return list[Plain](ordered)
        case "L":
            if not isinstance(content, list):
                raise MalformedRecordError(f"{path}: L must be a list")
            return [to_plain(element, path=f"{path}[{index}]") for index, element in enumerate(content)]
        case "M":
            if not isinstance(content, dict):
                raise MalformedRecordError(f"{path}: M must be a map")
            return {_name(name): to_plain(element, path=f"{path}.{name}") for name, element in content.items()}
        case _:
            raise MalformedRecordError(f"{path}: unknown DynamoDB type {kind!r}")


def number(text: object, *, path: str = "value") -> Decimal:
    """A DynamoDB number's exact value; MalformedRecordError when it is not one DynamoDB could hold."""
    if not isinstance(text, str):
        raise MalformedRecordError(f"{path}: N must be a number in a string, got {_kind(text)}")
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise MalformedRecordError(f"{path}: N {text[:50]!r} is not a number") from None
    if not value.is_finite():
        raise MalformedRecordError(f"{path}: N {text[:50]!r} is not a finite number")
    if value:
        significant = "".join(map(str, value.as_tuple().digits)).strip("0")
        if len(significant) > MAX_DIGITS or not MIN_EXPONENT <= value.adjusted() <= MAX_ADJUSTED_EXPONENT:
            raise MalformedRecordError(f"{path}: N {text[:50]!r} has more precision or range than DynamoDB keeps")
    return value


def dumps(value: Plain) -> str:
    """Plain values as compact JSON; numbers are written with their exact decimal digits."""
    parts: list[str] = []
    _encode(value, parts.append)
    return "".join(parts)


def _encode(value: Plain, write: Callable[[str], None]) -> None:
    # json cannot write a Decimal as a number, and float would round it: numbers are written by hand.
    if isinstance(value, str):
        write(encode_basestring_ascii(value))
    elif isinstance(value, Decimal):
        write(str(value))
    elif isinstance(value, dict):
        separator = "{"
        for name, element in value.items():
            write(separator + encode_basestring_ascii(name) + ":")
            _encode(element, write)
            separator = ","
        write("}" if value else "{}")
    elif isinstance(value, list):
        separator = "["
        for element in value:
            write(separator)
            _encode(element, write)
            separator = ","
        write("]" if value else "[]")
    else:
        write("null" if value is None else "true" if value else "false")


def _string(content: object, path: str) -> str:
    if not isinstance(content, str):
        raise MalformedRecordError(f"{path}: S must be a string, got {_kind(content)}")
    return content


def _binary(content: object, path: str) -> str:
    if not isinstance(content, str):
        raise MalformedRecordError(f"{path}: B must be base64 text, got {_kind(content)}")
    try:
        base64.b64decode(content, validate=True)
    except binascii.Error:
        raise MalformedRecordError(f"{path}: B is not valid base64") from None
    return content


def _bytes(text: str) -> bytes:
    return base64.b64decode(text)


def _set(content: object, path: str) -> list[object]:
    if not isinstance(content, list) or not content:
        raise MalformedRecordError(f"{path}: a set must be a non-empty list")
    return content


def _name(name: object) -> str:
    if not isinstance(name, str):
        raise MalformedRecordError(f"attribute names must be strings, got {_kind(name)}")
    return name


def _kind(value: object) -> str:
    return type(value).__name__
