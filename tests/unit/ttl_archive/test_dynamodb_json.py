"""Lambda's DynamoDB JSON decodes to exact plain values, and plain JSON reads back to the same values."""

from __future__ import annotations

import base64
import json
from decimal import Decimal
from typing import Any

import pytest
from boto3.dynamodb.types import Binary, TypeSerializer
from hypothesis import given
from hypothesis import strategies as st

from dbops.archive.dynamodb_json import dumps, item_to_plain, to_plain
from dbops.errors import MalformedRecordError

SERIALIZER = TypeSerializer()


def _dynamodb_number(sign: int, digits: list[int], exponent: int) -> Decimal:
    return Decimal((sign, tuple(digits), exponent))


numbers = st.builds(
    _dynamodb_number,
    st.integers(0, 1),
    st.lists(st.integers(0, 9), min_size=1, max_size=38),
    st.integers(-90, 80),
)
names = st.text(min_size=1, max_size=8)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.text(max_size=20),
    numbers,
    st.binary(max_size=20),
    st.frozensets(st.text(max_size=8), min_size=1, max_size=5).map(set),
    st.frozensets(numbers, min_size=1, max_size=5).map(set),
    st.frozensets(st.binary(min_size=1, max_size=8), min_size=1, max_size=5).map(set),
)
values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(names, children, max_size=4),
    max_leaves=20,
)
items = st.dictionaries(names, values, min_size=1, max_size=6)


def _as_lambda_delivers(typed: Any) -> Any:
    """boto3's DynamoDB JSON with binary as base64 text, as Lambda puts it in a stream event."""
    if isinstance(typed, Binary | bytes | bytearray):
        return base64.b64encode(bytes(typed)).decode()
    if isinstance(typed, dict):
        return {key: _as_lambda_delivers(value) for key, value in typed.items()}
    if isinstance(typed, list):
        return [_as_lambda_delivers(value) for value in typed]
    return typed


def _expected(value: Any) -> Any:
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, set):
        members = sorted(value)
        return [_expected(member) for member in members]
    if isinstance(value, dict):
        return {key: _expected(member) for key, member in value.items()}
    if isinstance(value, list):
        return [_expected(member) for member in value]
    return value


def _exactly(value: Any) -> Any:
    """Values with each number as (type, exact text): Decimal('1.0') == Decimal('1') would hide a change."""
    if isinstance(value, Decimal):
        return ("N", value.as_tuple())
    if isinstance(value, dict):
        return {key: _exactly(member) for key, member in value.items()}
    if isinstance(value, list):
        return [_exactly(member) for member in value]
    return value


@given(items)
def test_decoding_gives_exact_values_when_lambda_delivers_any_item(item: dict[str, Any]) -> None:
    delivered = json.loads(json.dumps(_as_lambda_delivers({k: SERIALIZER.serialize(v) for k, v in item.items()})))

    plain = item_to_plain(delivered)

    assert _exactly(plain) == _exactly(_expected(item))


@given(items)
def test_plain_json_reads_back_to_the_same_values_when_parsed_with_decimals(item: dict[str, Any]) -> None:
    delivered = _as_lambda_delivers({k: SERIALIZER.serialize(v) for k, v in item.items()})
    plain = item_to_plain(delivered)

    text = dumps(plain)

    assert _exactly(json.loads(text, parse_float=Decimal, parse_int=Decimal)) == _exactly(plain)


def test_numbers_keep_38_digits_when_no_float_could() -> None:
    text = "12345678901234567890.123456789012345678"

    plain = to_plain({"N": text})

    assert str(plain) == text
    assert dumps({"n": plain}) == '{"n":12345678901234567890.123456789012345678}'


def test_sets_come_out_sorted_when_delivered_in_any_order() -> None:
    assert to_plain({"NS": ["10", "-2.5", "3"]}) == [Decimal("-2.5"), Decimal("3"), Decimal("10")]
    assert to_plain({"SS": ["b", "a"]}) == ["a", "b"]
    assert to_plain({"BS": ["/wA=", "AAE="]}) == ["AAE=", "/wA="]


@pytest.mark.parametrize(
    ("value", "complaint"),
    [
        ({"N": "1e400"}, "more precision or range"),
        ({"N": "NaN"}, "not a finite number"),
        ({"N": "12.x"}, "not a number"),
        ({"N": "1" * 39}, "more precision or range"),
        ({"B": "not base64!"}, "not valid base64"),
        ({"B": b"bytes".hex().encode().decode() + "="}, "not valid base64"),
        ({"SS": []}, "non-empty list"),
        ({"S": 1}, "S must be a string"),
        ({"BOOL": "yes"}, "BOOL must be true or false"),
        ({"NULL": False}, "NULL must be true"),
        ({"X": "?"}, "unknown DynamoDB type"),
        ({"S": "a", "N": "1"}, "exactly one type key"),
        ("text", "exactly one type key"),
    ],
)
def test_decoding_names_the_problem_when_a_value_is_malformed(value: Any, complaint: str) -> None:
    with pytest.raises(MalformedRecordError, match=complaint):
        to_plain(value)


def test_decoding_names_the_path_when_a_nested_value_is_malformed() -> None:
    with pytest.raises(MalformedRecordError, match=r"profile\.visits\[1\]"):
        item_to_plain({"profile": {"M": {"visits": {"L": [{"N": "1"}, {"N": "one"}]}}}})
