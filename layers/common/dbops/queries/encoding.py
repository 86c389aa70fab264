"""Lossless JSON for database values: DECIMAL as a string, dates ISO 8601, bytes base64, TIME as [-]H:MM:SS."""

from __future__ import annotations

import base64
import datetime
import decimal
from collections.abc import Mapping
from typing import Any

type JSONValue = bool | int | float | str | list[JSONValue] | dict[str, JSONValue] | None


def json_value(value: Any) -> JSONValue:
    """Return ``value`` as a JSON value that keeps every digit, instant and byte."""
    match value:
        case None | bool() | int() | str():
            return value
        case float():
            return value
        case decimal.Decimal():
            return str(value)
        case datetime.datetime() | datetime.date() | datetime.time():
            return value.isoformat()
        case datetime.timedelta():
            return duration_text(value)
        case bytes() | bytearray() | memoryview():
            return base64.b64encode(bytes(value)).decode("ascii")
        case set() | frozenset():
            return [json_value(item) for item in sorted(str(item) for item in value)]
        case list() | tuple():
            return [json_value(item) for item in value]
        case Mapping():
            return {str(key): json_value(item) for key, item in value.items()}
    raise TypeError(f"no JSON form for a value of type {type(value).__name__}")


def json_row(row: Mapping[str, Any]) -> dict[str, JSONValue]:
    """One result row as a JSON object."""
    return {str(column): json_value(value) for column, value in row.items()}


def duration_text(value: datetime.timedelta) -> str:
    """A MySQL TIME (which pymysql returns as a timedelta, possibly negative or over 24 h) as [-]H:MM:SS[.ffffff]."""
    sign = "-" if value < datetime.timedelta(0) else ""
    value = abs(value)
    hours, remainder = divmod(value.days * 86_400 + value.seconds, 3_600)
    minutes, seconds = divmod(remainder, 60)
    fraction = f".{value.microseconds:06d}" if value.microseconds else ""
    return f"{sign}{hours}:{minutes:02d}:{seconds:02d}{fraction}"
