"""Decoding a ~1 MiB Data API result (10,000 rows of mixed types): ours against a plain dict comprehension
and aurora-data-api's decoder, on typed records and on ``formatRecordsAs=JSON``, with and without botocore's
parsing of the HTTP body (which is where the two formats differ most).

    make bench                                   # pytest-benchmark, every case
    .venv/bin/python -m benchmarks.data_api.test_decode    # one run, rows/s per case
"""

from __future__ import annotations

import copy
import datetime
import decimal
import json
import random
import time
from typing import TYPE_CHECKING, Any

import botocore.session
import pytest
from botocore.parsers import create_parser

from dbops.data_api import values

if TYPE_CHECKING:
    from collections.abc import Callable

ROWS = 10_000
COLUMNS = [
    ("id", "BIGINT"),
    ("price", "DECIMAL"),
    ("paid", "BIT"),
    ("ordered_at", "DATETIME"),
    ("note", "VARCHAR"),
]
METADATA = [{"name": name, "label": name, "typeName": type_name} for name, type_name in COLUMNS]


def _records(rng: random.Random) -> list[list[dict[str, Any]]]:
    start = datetime.datetime(2026, 1, 1)
    records = []
    for row in range(ROWS):
        moment = start + datetime.timedelta(seconds=rng.randrange(10**7))
        records.append(
            [
                {"longValue": row + 1},
                {"stringValue": str(decimal.Decimal(rng.randrange(10**8)) / 100)},
                {"booleanValue": rng.random() < 0.5},
                {"stringValue": moment.isoformat(sep=" ")},
                {"isNull": True} if row % 3 == 0 else {"stringValue": "gift wrap"},
            ]
        )
    return records


def _formatted(records: list[list[dict[str, Any]]]) -> str:
    return json.dumps(
        [
            {name: values.decode_field(field) for (name, _), field in zip(COLUMNS, record, strict=True)}
            for record in records
        ],  # type: ignore[arg-type]
        separators=(",", ":"),
    )


RECORDS = _records(random.Random(7))
FORMATTED = _formatted(RECORDS)
RECORDS_BODY = json.dumps({"records": RECORDS, "columnMetadata": METADATA, "numberOfRecordsUpdated": 0}).encode()
FORMATTED_BODY = json.dumps({"formattedRecords": FORMATTED, "numberOfRecordsUpdated": 0}).encode()
_MODEL = botocore.session.get_session().get_service_model("rds-data")
_OUTPUT = _MODEL.operation_model("ExecuteStatement").output_shape
_PARSER = create_parser("rest-json")


def _parse(body: bytes) -> dict[str, Any]:
    """What botocore does with the HTTP response before any decoder sees it."""
    parsed: dict[str, Any] = _PARSER.parse({"body": body, "headers": {}, "status_code": 200}, _OUTPUT)
    return parsed


def baseline(records: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The straight dict comprehension: first value of each Field, no typing (DECIMAL stays text, etc.)."""
    names = [name for name, _ in COLUMNS]
    return [
        {
            name: None if "isNull" in field else next(iter(field.values()))
            for name, field in zip(names, record, strict=True)
        }
        for record in records
    ]


def aurora_data_api(records: list[list[dict[str, Any]]]) -> list[tuple[Any, ...]]:
    """aurora-data-api's cursor decoder (tuples, its PostgreSQL-named type map)."""
    from aurora_data_api import AuroraDataAPICursor

    cursor = AuroraDataAPICursor()
    cursor._set_description(METADATA)
    rendered: list[tuple[Any, ...]] = cursor._render_response({"records": records})["records"]
    return rendered


def ours_records(records: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Our decoder on typed records."""
    return values.decode_records(records, METADATA)  # type: ignore[arg-type]


def ours_json(formatted: str) -> list[dict[str, Any]]:
    """Our decoder on formatRecordsAs=JSON (no columnMetadata comes with it: values stay JSON-native)."""
    return values.decode_formatted(formatted)


def _aurora_installed() -> bool:
    try:
        import aurora_data_api  # noqa: F401
    except ImportError:
        return False
    return True


# name -> (setup returning the argument, function); aurora-data-api's mutates its input, so it gets a copy.
CASES: dict[str, tuple[Callable[[], Any], Callable[[Any], Any]]] = {
    "decode only: dict comprehension baseline (records)": (lambda: RECORDS, baseline),
    "decode only: ours (records)": (lambda: RECORDS, ours_records),
    "decode only: ours (formatRecordsAs=JSON)": (lambda: FORMATTED, ours_json),
    "botocore parse + dict comprehension baseline (records)": (
        lambda: RECORDS_BODY,
        lambda b: baseline(_parse(b)["records"]),
    ),
    "botocore parse + ours (records)": (lambda: RECORDS_BODY, lambda b: ours_records(_parse(b)["records"])),
    "botocore parse + ours (formatRecordsAs=JSON)": (
        lambda: FORMATTED_BODY,
        lambda b: ours_json(_parse(b)["formattedRecords"]),
    ),
}
if _aurora_installed():
    CASES["decode only: aurora-data-api 0.5 (records)"] = (lambda: copy.deepcopy(RECORDS), aurora_data_api)
    CASES["botocore parse + aurora-data-api 0.5 (records)"] = (
        lambda: RECORDS_BODY,
        lambda b: aurora_data_api(_parse(b)["records"]),
    )


@pytest.mark.parametrize("case", list(CASES))
def test_decode(benchmark: Any, case: str) -> None:
    setup, function = CASES[case]
    benchmark.group = "data_api decode 10,000 rows"
    benchmark.extra_info["rows"] = ROWS
    result = benchmark.pedantic(function, setup=lambda: ((setup(),), {}), rounds=5, iterations=1)

    assert len(result) == ROWS


def main() -> None:
    """One run of every case, as rows per second."""
    print(f"records body {len(RECORDS_BODY) / 2**20:.2f} MiB, JSON body {len(FORMATTED_BODY) / 2**20:.2f} MiB")
    for case, (setup, function) in CASES.items():
        argument = setup()
        started = time.perf_counter()
        result = function(argument)
        elapsed = time.perf_counter() - started
        assert len(result) == ROWS
        print(f"{case:<58} {ROWS / elapsed:>12,.0f} rows/s  ({elapsed * 1000:7.1f} ms)")


if __name__ == "__main__":
    main()
