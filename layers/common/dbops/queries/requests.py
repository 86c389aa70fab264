"""A query request, from a direct invocation or from the HTTP API, checked for shape before any lookup."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from dbops.errors import QueryRequestError

MAX_CURSOR_LENGTH = 2_048
INVOKE_KEYS = ("query", "params", "cursor", "limit")


@dataclass(frozen=True)
class QueryRequest:
    """Run catalogue query ``query`` with ``params``; for reads, from ``cursor`` with at most ``limit`` rows."""

    query: str
    params: Mapping[str, Any] = field(default_factory=dict)
    cursor: str | None = None
    limit: int | None = None


def from_invoke(event: Any) -> QueryRequest:
    """Parse a direct invocation: ``{"query": name, "params": {...}, "cursor": ..., "limit": n}``."""
    if not isinstance(event, Mapping):
        raise QueryRequestError('a direct invocation is a JSON object like {"query": "name", "params": {...}}')
    unknown = sorted(str(key)[:32] for key in event if key not in INVOKE_KEYS)
    if unknown:
        raise QueryRequestError(f"unknown keys {unknown} in the invocation: it takes {', '.join(INVOKE_KEYS)}")
    name = event.get("query")
    if not isinstance(name, str) or not name:
        raise QueryRequestError("'query' must name a catalogue query (a string)")
    return QueryRequest(
        query=name,
        params=_params(event.get("params")),
        cursor=_cursor(event.get("cursor")),
        limit=_limit(event.get("limit")),
    )


def is_http(event: Any) -> bool:
    """Whether ``event`` came from API Gateway (an HTTP API payload) rather than a direct invocation."""
    return isinstance(event, Mapping) and "requestContext" in event and "query" not in event


def from_http(
    name: str, body: str | bytes | None, *, cursor: str | None = None, limit: str | int | None = None
) -> QueryRequest:
    """Parse ``POST /queries/{name}``: the JSON body holds the parameters, ``cursor`` and ``limit`` come from the
    query string."""
    if body is None or not str(body if isinstance(body, str) else body.decode("utf-8", "replace")).strip():
        params: Any = {}
    else:
        try:
            params = json.loads(body)
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise QueryRequestError("the request body must be a JSON object of parameter name to value") from None
    if isinstance(limit, int):
        limit_value: Any = limit
    elif limit is not None:
        try:
            limit_value = int(limit)
        except ValueError:
            raise QueryRequestError("'limit' must be a whole number") from None
    else:
        limit_value = None
    return QueryRequest(query=name, params=_params(params), cursor=_cursor(cursor), limit=_limit(limit_value))


def _params(value: Any) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise QueryRequestError("the parameters must be a JSON object of parameter name to value")
    return value


def _cursor(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str) or len(value) > MAX_CURSOR_LENGTH:
        raise QueryRequestError("'cursor' must be the 'next' value of the previous page")
    return value


def _limit(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise QueryRequestError("'limit' must be a whole number of at least 1")
    return value
