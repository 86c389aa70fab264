"""What a query returns, and each named error as the HTTP status, body and headers a caller sees.

Only dbops' own errors map to a status here; their messages are written for callers and never hold SQL,
stack traces or credentials. Anything else is the function's fault and becomes a bare 500.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict

from aws_lambda_powertools.event_handler import Response

from dbops.errors import (
    ConfigurationError,
    DatabaseUnavailableError,
    DbopsError,
    InvalidCursorError,
    InvalidParameterError,
    QueryConflictError,
    QueryRequestError,
    UnknownQueryError,
    WriteOutcomeUnknownError,
)
from dbops.queries.encoding import JSONValue


class ReadResult(TypedDict):
    """A page of a read: its rows and the cursor of the next page (None on the last)."""

    rows: list[dict[str, JSONValue]]
    next: str | None


class WriteResult(TypedDict):
    """A write: how many rows its statements changed."""

    affected: int


type QueryResult = ReadResult | WriteResult


@dataclass(frozen=True)
class HttpError:
    """An error as an HTTP response."""

    status: int
    body: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


INTERNAL_ERROR = HttpError(500, {"error": "internal_error", "message": "the query failed: see the function's logs"})


def http_error(error: DbopsError) -> HttpError:
    """The HTTP response for one of dbops' named errors."""
    match error:
        case UnknownQueryError():
            return HttpError(404, {"error": "unknown_query", "message": str(error), "query": error.query})
        case InvalidParameterError():
            body: dict[str, Any] = {"error": "invalid_parameter", "message": str(error), "parameter": error.parameter}
            if error.expected:
                body["expected"] = error.expected
            return HttpError(400, body)
        case InvalidCursorError():
            return HttpError(400, {"error": "invalid_cursor", "message": str(error)})
        case QueryRequestError():
            return HttpError(400, {"error": "bad_request", "message": str(error)})
        case WriteOutcomeUnknownError():
            return HttpError(503, {"error": "write_outcome_unknown", "message": str(error)})
        case DatabaseUnavailableError():
            return HttpError(
                503,
                {"error": "database_unavailable", "message": str(error), "retry_after": error.retry_after},
                {"Retry-After": str(error.retry_after)},
            )
        case QueryConflictError():
            return HttpError(409, {"error": "conflict", "message": str(error)})
        case ConfigurationError():
            return HttpError(500, {"error": "misconfigured", "message": "the function is misconfigured: see its logs"})
    return INTERNAL_ERROR


def validation_error(errors: Sequence[Mapping[str, Any]]) -> HttpError:
    """A 400 for a request Powertools' validation refused (a query-string value of the wrong type)."""
    first = errors[0] if errors else {}
    location = ".".join(str(part) for part in first.get("loc", ()) if part not in ("query", "body", "path"))
    reason = str(first.get("msg", "is malformed"))
    message = f"{location or 'the request'}: {reason}"
    return HttpError(400, {"error": "bad_request", "message": message})


def http_response(error: HttpError) -> Response[dict[str, Any]]:
    """The error as a Powertools Response with a JSON body."""
    return Response(
        status_code=error.status,
        content_type="application/json",
        body=json.dumps(error.body),  # type: ignore[arg-type]  # a str body is what API Gateway sends
        headers=error.headers,
    )
