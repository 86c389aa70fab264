"""Parameter types: each accepts its JSON form and refuses anything else with the expected type named."""

from __future__ import annotations

import datetime
import decimal
from typing import Any

import pytest

from dbops.errors import InvalidParameterError
from dbops.queries.parameters import Parameter, parameter


def _convert(spec: dict[str, Any], value: Any) -> Any:
    return parameter("probe", "p", spec).convert(value, query="probe")


@pytest.mark.parametrize(
    ("spec", "value", "expected"),
    [
        ({"type": "int", "min": 1, "max": 10}, 10, 10),
        ({"type": "str", "max_length": 3}, "abc", "abc"),
        ({"type": "str", "pattern": "[a-z]+"}, "abc", "abc"),
        ({"type": "decimal", "digits": 5, "places": 2}, "123.45", decimal.Decimal("123.45")),
        ({"type": "decimal"}, 12, decimal.Decimal(12)),
        ({"type": "date"}, "2024-02-29", datetime.date(2024, 2, 29)),
        ({"type": "datetime"}, "2026-11-24T17:30:00.5", datetime.datetime(2026, 11, 24, 17, 30, 0, 500000)),
        ({"type": "datetime"}, "2026-11-24T18:30:00+01:00", datetime.datetime(2026, 11, 24, 17, 30)),
        ({"type": "bool"}, False, False),
        ({"type": "list", "items": "int"}, [1, 2], (1, 2)),
        ({"type": "int", "nullable": True}, None, None),
    ],
)
def test_convert_returns_the_bindable_value_when_the_value_fits(
    spec: dict[str, Any], value: Any, expected: Any
) -> None:
    assert _convert(spec, value) == expected


@pytest.mark.parametrize(
    ("spec", "value", "expected_text"),
    [
        ({"type": "int", "min": 1, "max": 10}, 11, "int from 1 to 10"),
        ({"type": "int"}, True, "(int)"),
        ({"type": "int"}, 1.0, "(int)"),
        ({"type": "int", "min": 0}, "1", "(int of at least 0)"),
        ({"type": "str", "max_length": 3}, "abcd", "str of 0 to 3 characters"),
        ({"type": "str"}, "a\x00b", "NUL"),
        ({"type": "str", "pattern": "[a-z]+"}, "ab1", "matching [a-z]+"),
        ({"type": "str"}, 5, "str of"),
        ({"type": "decimal", "digits": 5, "places": 2}, "1234.5", "too many digits"),
        ({"type": "decimal", "digits": 5, "places": 2}, "1.234", "too many digits"),
        ({"type": "decimal"}, 1.5, "decimal string"),
        ({"type": "decimal"}, "NaN", "finite"),
        ({"type": "decimal"}, "1e999999", "too many digits"),
        ({"type": "decimal", "min": "0"}, "-1", "out of range"),
        ({"type": "date"}, "2023-02-29", "no such date"),
        ({"type": "date"}, "24/11/2026", "date as YYYY-MM-DD"),
        ({"type": "date", "max": "2026-01-01"}, "2026-01-02", "out of range"),
        ({"type": "datetime"}, "yesterday", "datetime as"),
        ({"type": "bool"}, "true", "bool (true or false)"),
        ({"type": "list", "items": "int"}, [], "list of 1 to 100 items"),
        ({"type": "list", "items": "int", "max_items": 2}, [1, 2, 3], "it has 3 items"),
        ({"type": "list", "items": "int"}, [1, "2"], "'p[1]'"),
        ({"type": "list", "items": "int"}, 1, "list of"),
        ({"type": "int"}, None, "null is not allowed"),
    ],
)
def test_convert_names_the_expected_type_when_the_value_does_not_fit(
    spec: dict[str, Any], value: Any, expected_text: str
) -> None:
    with pytest.raises(InvalidParameterError) as raised:
        _convert(spec, value)

    assert "query 'probe' needs parameter 'p" in str(raised.value)
    assert expected_text in str(raised.value)


def test_parameter_is_optional_when_it_has_a_default() -> None:
    built = parameter("probe", "p", {"type": "date", "default": datetime.date(2026, 1, 1)})

    assert isinstance(built, Parameter)
    assert built.has_default
    assert not built.required
    assert built.default == datetime.date(2026, 1, 1)


def test_describe_gives_type_constraints_and_description_when_listed() -> None:
    described = parameter("probe", "p", {"type": "str", "max_length": 8, "description": "A code."}).describe()

    assert described == {
        "name": "p",
        "type": "str",
        "min_length": 0,
        "max_length": 8,
        "required": True,
        "description": "A code.",
    }
