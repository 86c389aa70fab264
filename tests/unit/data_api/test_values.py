"""Python values to Data API parameters and Data API results back, with no service in sight."""

from __future__ import annotations

import datetime
import decimal
import uuid

import pytest

from dbops.data_api import values
from dbops.errors import UnsupportedParameterError


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, {"value": {"isNull": True}}),
        (True, {"value": {"booleanValue": True}}),
        (7, {"value": {"longValue": 7}}),
        (2**63, {"value": {"stringValue": str(2**63)}, "typeHint": "DECIMAL"}),
        (1.5, {"value": {"doubleValue": 1.5}}),
        (decimal.Decimal("1E+2"), {"value": {"stringValue": "100"}, "typeHint": "DECIMAL"}),
        ("2024-01-01", {"value": {"stringValue": "2024-01-01"}}),
        (b"\x00", {"value": {"blobValue": b"\x00"}}),
        (datetime.date(2024, 1, 2), {"value": {"stringValue": "2024-01-02"}, "typeHint": "DATE"}),
        (datetime.time(3, 4, 5), {"value": {"stringValue": "03:04:05"}, "typeHint": "TIME"}),
        (
            datetime.datetime(2024, 1, 2, 3, 4, 5, 600),
            {"value": {"stringValue": "2024-01-02 03:04:05.000600"}, "typeHint": "TIMESTAMP"},
        ),
        (datetime.timedelta(hours=-30, seconds=-1), {"value": {"stringValue": "-30:00:01"}}),
        (
            uuid.UUID(int=1),
            {"value": {"stringValue": "00000000-0000-0000-0000-000000000001"}, "typeHint": "UUID"},
        ),
        ({"a": [1]}, {"value": {"stringValue": '{"a":[1]}'}, "typeHint": "JSON"}),
    ],
    ids=repr,
)
def test_parameter_is_typed_from_its_python_type_when_encoded(value: object, expected: dict[str, object]) -> None:
    assert values.parameter("p", value) == {"name": "p", **expected}


def test_aware_datetime_is_sent_in_utc_when_it_has_a_zone() -> None:
    moment = datetime.datetime(2024, 1, 2, 3, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=2)))

    assert values.parameter("at", moment)["value"] == {"stringValue": "2024-01-02 01:00:00"}


@pytest.mark.parametrize("value", [{1, 2}, object(), float("nan"), decimal.Decimal("Infinity"), 1j])
def test_parameter_is_refused_naming_it_when_its_type_has_no_form(value: object) -> None:
    with pytest.raises(UnsupportedParameterError, match=r"parameter 'odd'"):
        values.parameter("odd", value)


def test_json_parameter_is_refused_when_it_nests_an_unknown_type() -> None:
    with pytest.raises(UnsupportedParameterError, match="parameter 'doc' cannot be sent as JSON"):
        values.parameter("doc", {"a": object()})


def _column(type_name: str, label: str) -> dict[str, object]:
    return {"name": label, "label": label, "typeName": type_name}


METADATA = [
    _column("DECIMAL", "price"),
    _column("DATETIME", "moment"),
    _column("DATE", "day"),
    _column("TIME", "span"),
    _column("JSON", "doc"),
    _column("BIGINT UNSIGNED", "huge"),
    _column("VARCHAR", "label"),
    _column("BLOB", "blob"),
    _column("BIT", "flag"),
]
EXPECTED_ROW = {
    "price": decimal.Decimal("0.10000000000000000001"),
    "moment": datetime.datetime(2024, 1, 2, 3, 4, 5, 120000),
    "day": datetime.date(2024, 1, 2),
    "span": datetime.timedelta(hours=-838, minutes=-59, seconds=-59),
    "doc": {"a": [1, None]},
    "huge": 2**64 - 1,
    "label": "2024-01-02",
    "blob": b"\x00\xff",
    "flag": True,
}


def test_records_decode_to_python_types_when_metadata_names_them() -> None:
    records = [
        [
            {"stringValue": "0.10000000000000000001"},
            {"stringValue": "2024-01-02 03:04:05.12"},
            {"stringValue": "2024-01-02"},
            {"stringValue": "-838:59:59"},
            {"stringValue": '{"a": [1, null]}'},
            {"stringValue": str(2**64 - 1)},
            {"stringValue": "2024-01-02"},
            {"blobValue": b"\x00\xff"},
            {"booleanValue": True},
        ],
        [{"isNull": True}] * 9,
    ]

    rows = values.decode_records(records, METADATA)  # type: ignore[arg-type]

    assert rows == [EXPECTED_ROW, dict.fromkeys(EXPECTED_ROW)]


def test_formatted_records_keep_json_values_when_no_metadata_comes_with_them() -> None:
    formatted = '[{"price": "0.10", "moment": "2024-01-02 03:04:05", "huge": 18446744073709551615, "n": null}]'

    rows = values.decode_formatted(formatted)

    assert rows == [{"price": "0.10", "moment": "2024-01-02 03:04:05", "huge": 2**64 - 1, "n": None}]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("00:00:00", datetime.timedelta(0)),
        ("838:59:59.000001", datetime.timedelta(hours=838, minutes=59, seconds=59, microseconds=1)),
        ("-00:00:01.5", datetime.timedelta(seconds=-1.5)),
    ],
)
def test_time_text_is_a_duration_when_decoded(text: str, expected: datetime.timedelta) -> None:
    assert values.parse_duration(text) == expected
    assert values.parse_duration(values.duration_text(expected)) == expected


def test_column_is_keyed_by_its_alias_when_the_label_differs_from_the_name() -> None:
    metadata = [{"name": "id", "label": "customer_id", "typeName": "INT"}]

    assert values.decode_records([[{"longValue": 1}]], metadata) == [{"customer_id": 1}]  # type: ignore[arg-type]


def test_long_returned_as_string_is_an_int_when_the_column_is_an_integer() -> None:
    metadata = [{"name": "n", "typeName": "BIGINT"}]

    assert values.decode_records([[{"stringValue": "-5"}]], metadata) == [{"n": -5}]  # type: ignore[arg-type]
