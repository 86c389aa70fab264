"""Errors to HTTP: each named error has its status and a message, and nothing else leaks."""

from __future__ import annotations

import pytest

from dbops.errors import (
    CatalogueError,
    DatabaseUnavailableError,
    DbopsError,
    InvalidCursorError,
    InvalidParameterError,
    QueryConflictError,
    QueryFailedError,
    QueryRequestError,
    UnknownQueryError,
    WriteOutcomeUnknownError,
)
from dbops.queries.responses import http_error


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (UnknownQueryError("nope"), 404, "unknown_query"),
        (InvalidParameterError("bad p", query="q", parameter="p", expected="int"), 400, "invalid_parameter"),
        (InvalidCursorError("bad cursor"), 400, "invalid_cursor"),
        (QueryRequestError("bad body"), 400, "bad_request"),
        (DatabaseUnavailableError("down", retry_after=3), 503, "database_unavailable"),
        (WriteOutcomeUnknownError("lost"), 503, "write_outcome_unknown"),
        (QueryConflictError("duplicate"), 409, "conflict"),
        (QueryFailedError("failed"), 500, "internal_error"),
        (CatalogueError("entry x is bad"), 500, "misconfigured"),
    ],
)
def test_http_error_maps_each_named_error_to_its_status(error: DbopsError, status: int, code: str) -> None:
    response = http_error(error)

    assert response.status == status
    assert response.body["error"] == code


def test_http_error_names_the_parameter_and_its_type_when_a_parameter_is_bad() -> None:
    error = InvalidParameterError("query 'q' needs parameter 'p' (int)", query="q", parameter="p", expected="int")

    assert http_error(error).body == {
        "error": "invalid_parameter",
        "message": "query 'q' needs parameter 'p' (int)",
        "parameter": "p",
        "expected": "int",
    }


def test_http_error_gives_a_retry_hint_when_the_database_is_unavailable() -> None:
    response = http_error(DatabaseUnavailableError("the database is unavailable", retry_after=3))

    assert response.headers == {"Retry-After": "3"}
    assert response.body["retry_after"] == 3


def test_http_error_hides_the_configuration_detail_when_the_function_is_misconfigured() -> None:
    response = http_error(CatalogueError("catalogue entry 'x': SELECT secret_column FROM t"))

    assert "secret_column" not in str(response.body)
