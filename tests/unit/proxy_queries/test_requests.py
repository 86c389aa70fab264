"""Request parsing: direct invocations and HTTP requests become one QueryRequest, or a 400 saying why."""

from __future__ import annotations

import re
from typing import Any

import pytest

from dbops.errors import QueryRequestError
from dbops.queries.requests import QueryRequest, from_http, from_invoke


def test_from_invoke_reads_every_field_when_the_event_is_complete() -> None:
    request = from_invoke({"query": "q", "params": {"a": 1}, "cursor": "abc", "limit": 5})

    assert request == QueryRequest(query="q", params={"a": 1}, cursor="abc", limit=5)


@pytest.mark.parametrize(
    ("event", "message"),
    [
        ([], "a direct invocation is a JSON object"),
        ({"params": {}}, "'query' must name a catalogue query"),
        ({"query": "q", "sql": "DROP TABLE t"}, "unknown keys ['sql']"),
        ({"query": "q", "params": [1]}, "JSON object of parameter name to value"),
        ({"query": "q", "limit": 0}, "'limit' must be a whole number of at least 1"),
        ({"query": "q", "cursor": 5}, "'cursor' must be the 'next' value"),
    ],
)
def test_from_invoke_says_what_is_wrong_when_the_event_is_malformed(event: Any, message: str) -> None:
    with pytest.raises(QueryRequestError, match=re.escape(message)):
        from_invoke(event)


def test_from_http_reads_parameters_from_the_body_and_paging_from_the_query_string() -> None:
    request = from_http("q", '{"a": "x"}', cursor="c", limit="10")

    assert request == QueryRequest(query="q", params={"a": "x"}, cursor="c", limit=10)


def test_from_http_takes_no_parameters_when_the_body_is_empty() -> None:
    assert from_http("q", None).params == {}


@pytest.mark.parametrize(
    ("body", "limit", "message"),
    [
        ("{not json", None, "the request body must be a JSON object"),
        ("[1, 2]", None, "the parameters must be a JSON object"),
        ("{}", "ten", "'limit' must be a whole number"),
    ],
)
def test_from_http_says_what_is_wrong_when_the_request_is_malformed(body: str, limit: str | None, message: str) -> None:
    with pytest.raises(QueryRequestError, match=re.escape(message)):
        from_http("q", body, limit=limit)
