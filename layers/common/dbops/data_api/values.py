"""Python values to Data API parameters, and Data API results back to Python rows, losing nothing.

Parameters are typed from the Python type alone (a ``str`` is text even when it looks like a date): the Field
and the ``typeHint`` come from ``type(value)``. Results are decoded with one converter per column chosen once
from ``columnMetadata`` (the ``typeName`` Aurora MySQL reports), then applied to every row: DECIMAL from its
string to ``Decimal``, DATETIME/TIMESTAMP to ``datetime``, DATE to ``date``, TIME to ``timedelta`` (MySQL TIME
is a duration from -838:59:59 to 838:59:59), JSON parsed, unsigned BIGINT exact, NULL to ``None``.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import json
import math
import re
import uuid
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from dbops.errors import UnsupportedParameterError

if TYPE_CHECKING:
    from mypy_boto3_rds_data.type_defs import ColumnMetadataTypeDef, FieldOutputTypeDef, SqlParameterTypeDef

LONG_MIN, LONG_MAX = -(2**63), 2**63 - 1
SUPPORTED_TYPES = "None, bool, int, float, str, bytes, Decimal, date, time, datetime, timedelta, UUID, dict, list"
_TIME = re.compile(r"(-)?(\d+):(\d{2}):(\d{2})(?:\.(\d{1,6})\d*)?")

type Row = dict[str, Any]
type Converter = Callable[[Any], Any]


def parameters(values: Mapping[str, Any]) -> list[SqlParameterTypeDef]:
    """Every named value as a typed Data API parameter (``:name`` in the SQL)."""
    return [parameter(name, value) for name, value in values.items()]


def parameter(name: str, value: object) -> SqlParameterTypeDef:
    """One named value as a Data API parameter, its Field and typeHint chosen from its Python type.

    Raises UnsupportedParameterError naming the parameter when its type has no Data API form.
    """
    match value:
        case None:
            return {"name": name, "value": {"isNull": True}}
        case bool():
            return {"name": name, "value": {"booleanValue": value}}
        case int():
            if LONG_MIN <= value <= LONG_MAX:
                return {"name": name, "value": {"longValue": value}}
            # Beyond a signed 64-bit long (an unsigned BIGINT): sent as an exact decimal, never rounded.
            return {"name": name, "value": {"stringValue": str(value)}, "typeHint": "DECIMAL"}
        case float():
            if not math.isfinite(value):
                raise UnsupportedParameterError(f"parameter {name!r} is {value}: MySQL stores only finite numbers")
            return {"name": name, "value": {"doubleValue": value}}
        case decimal.Decimal():
            if not value.is_finite():
                raise UnsupportedParameterError(f"parameter {name!r} is {value}: MySQL stores only finite numbers")
            return {"name": name, "value": {"stringValue": format(value, "f")}, "typeHint": "DECIMAL"}
        case str():
            return {"name": name, "value": {"stringValue": value}}
        case bytes() | bytearray() | memoryview():
            return {"name": name, "value": {"blobValue": bytes(value)}}
        case datetime.datetime():
            return {"name": name, "value": {"stringValue": timestamp_text(value)}, "typeHint": "TIMESTAMP"}
        case datetime.date():
            return {"name": name, "value": {"stringValue": value.isoformat()}, "typeHint": "DATE"}
        case datetime.time():
            if value.tzinfo is not None:
                raise UnsupportedParameterError(
                    f"parameter {name!r} is a time with a time zone: MySQL TIME has none, pass a naive time"
                )
            return {"name": name, "value": {"stringValue": value.isoformat()}, "typeHint": "TIME"}
        case datetime.timedelta():
            # A duration may be negative or past 24 h, which the TIME hint refuses: MySQL casts the text.
            return {"name": name, "value": {"stringValue": duration_text(value)}}
        case uuid.UUID():
            return {"name": name, "value": {"stringValue": str(value)}, "typeHint": "UUID"}
        case dict() | list() | tuple():
            return {"name": name, "value": {"stringValue": _json_text(name, value)}, "typeHint": "JSON"}
    raise UnsupportedParameterError(
        f"parameter {name!r} is a {type(value).__name__}, which the Data API cannot take: pass one of {SUPPORTED_TYPES}"
    )


def timestamp_text(value: datetime.datetime) -> str:
    """A datetime as the TIMESTAMP hint wants it (``YYYY-MM-DD HH:MM:SS[.ffffff]``), aware ones in UTC."""
    if value.tzinfo is not None:
        value = value.astimezone(datetime.UTC).replace(tzinfo=None)
    return value.isoformat(sep=" ")


def duration_text(value: datetime.timedelta) -> str:
    """A duration as MySQL TIME text: ``[-]H:MM:SS[.ffffff]``."""
    sign = "-" if value < datetime.timedelta(0) else ""
    value = abs(value)
    hours, remainder = divmod(value.days * 86_400 + value.seconds, 3_600)
    minutes, seconds = divmod(remainder, 60)
    fraction = f".{value.microseconds:06d}" if value.microseconds else ""
    return f"{sign}{hours}:{minutes:02d}:{seconds:02d}{fraction}"


def parse_duration(text: str) -> datetime.timedelta:
    """MySQL TIME text (``[-]HHH:MM:SS[.ffffff]``) as a duration."""
    match = _TIME.fullmatch(text.strip())
    if match is None:
        raise ValueError(f"not a MySQL TIME: {text!r}")
    sign, hours, minutes, seconds, fraction = match.groups()
    duration = datetime.timedelta(
        hours=int(hours),
        minutes=int(minutes),
        seconds=int(seconds),
        microseconds=int((fraction or "0").ljust(6, "0")),
    )
    return -duration if sign else duration


def _json_text(name: str, value: object) -> str:
    try:
        return json.dumps(value, separators=(",", ":"), default=_json_default)
    except (TypeError, ValueError) as error:
        raise UnsupportedParameterError(f"parameter {name!r} cannot be sent as JSON: {error}") from None


def _json_default(value: object) -> str:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    raise TypeError(f"a {type(value).__name__} inside a JSON value has no JSON form")


# --- results ---


def _decimal(value: object) -> decimal.Decimal:
    # From the string the Data API sends by default; a double (DOUBLE_OR_LONG) goes through its repr.
    return decimal.Decimal(value if isinstance(value, str) else repr(value))


def _integer(value: object) -> int:
    return value if isinstance(value, int) else int(str(value))


def _datetime(value: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(value)


def _date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def _json(value: object) -> object:
    return json.loads(value) if isinstance(value, str) else value


def _year(value: object) -> int:
    return value if isinstance(value, int) else int(str(value)[:4])


def _base64(value: object) -> object:
    return base64.b64decode(value) if isinstance(value, str) else value


_INTEGER_TYPES = {"TINYINT", "SMALLINT", "MEDIUMINT", "INT", "INTEGER", "BIGINT"}
_CONVERTERS: dict[str, Converter] = {
    "DECIMAL": _decimal,
    "NUMERIC": _decimal,
    "DATETIME": _datetime,
    "TIMESTAMP": _datetime,
    "DATE": _date,
    "TIME": parse_duration,
    "JSON": _json,
    "YEAR": _year,
}
_BINARY_TYPES = {"BINARY", "VARBINARY", "BLOB", "TINYBLOB", "MEDIUMBLOB", "LONGBLOB", "GEOMETRY"}


def converter(column: ColumnMetadataTypeDef, *, binary_as_base64: bool = False) -> Converter | None:
    """The conversion one column's non-NULL values need, or None when the Data API's value is right as is."""
    type_name = column.get("typeName", "").upper()
    base = type_name.removesuffix(" UNSIGNED").removesuffix(" ZEROFILL").removesuffix(" UNSIGNED")
    if base in _CONVERTERS:
        return _CONVERTERS[base]
    if base in _INTEGER_TYPES:
        return _integer  # a long, or (longReturnType STRING, unsigned BIGINT past 2**63) its exact digits
    if binary_as_base64 and base in _BINARY_TYPES:
        return _base64
    return None


def column_names(metadata: Sequence[ColumnMetadataTypeDef]) -> list[str]:
    """Each column's key in a row: its label (the ``AS`` alias) or, failing that, its name."""
    return [column.get("label") or column.get("name", f"column_{index}") for index, column in enumerate(metadata)]


def decode_records(
    records: Sequence[Sequence[FieldOutputTypeDef]], metadata: Sequence[ColumnMetadataTypeDef]
) -> list[Row]:
    """Rows from ``records`` (typed Fields) and ``columnMetadata``, as dicts of Python values."""
    columns = list(zip(column_names(metadata), [converter(column) for column in metadata], strict=True))
    rows: list[Row] = []
    append = rows.append
    for record in records:
        row: Row = {}
        for (name, convert), field in zip(columns, record, strict=True):
            if "isNull" in field:
                row[name] = None
                continue
            (value,) = field.values()
            row[name] = value if convert is None else convert(value)
        append(row)
    return rows


def decode_formatted(formatted: str, metadata: Sequence[ColumnMetadataTypeDef]) -> list[Row]:
    """Rows from ``formattedRecords`` (``formatRecordsAs=JSON``), columns converted as their metadata says."""
    rows: list[Row] = json.loads(formatted, parse_float=float)
    conversions = [
        (name, convert)
        for name, convert in zip(
            column_names(metadata),
            [converter(column, binary_as_base64=True) for column in metadata],
            strict=True,
        )
        if convert is not None
    ]
    if not conversions:
        return rows
    for row in rows:
        for name, convert in conversions:
            value = row.get(name)
            if value is not None:
                row[name] = convert(value)
    return rows


def decode_field(field: FieldOutputTypeDef) -> object:
    """One Field (a generated key, say) as its plain value; NULL as None."""
    if "isNull" in field:
        return None
    (value,) = field.values()
    return value
