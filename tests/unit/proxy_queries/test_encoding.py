"""JSON encoding of database values loses nothing."""

from __future__ import annotations

import datetime
import decimal

import pytest

from dbops.queries.encoding import json_row, json_value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (decimal.Decimal("12345678901234567890.000000001"), "12345678901234567890.000000001"),
        (datetime.date(2026, 11, 24), "2026-11-24"),
        (datetime.datetime(2026, 11, 24, 17, 30, 0, 123456), "2026-11-24T17:30:00.123456"),
        (datetime.timedelta(hours=-838, minutes=-59, seconds=-59), "-838:59:59"),
        (datetime.timedelta(hours=1, microseconds=5), "1:00:00.000005"),
        (b"\x00\xffbinary", "AP9iaW5hcnk="),
        ({"b", "a"}, ["a", "b"]),
        (None, None),
        (2**64 - 1, 2**64 - 1),
    ],
)
def test_json_value_keeps_every_digit_and_byte_when_encoding(value: object, expected: object) -> None:
    assert json_value(value) == expected


def test_json_row_encodes_each_column_when_given_a_row() -> None:
    assert json_row({"total": decimal.Decimal("1.50"), "on": datetime.date(2026, 1, 2)}) == {
        "total": "1.50",
        "on": "2026-01-02",
    }


def test_json_value_refuses_a_type_when_it_has_no_json_form() -> None:
    with pytest.raises(TypeError, match="object"):
        json_value(object())
