"""The proxy_queries handler on its sample events: HTTP API and direct invoke, each status and its message."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dbops.errors import (
    ConfigurationError,
    DatabaseUnavailableError,
    InvalidParameterError,
    QueryRequestError,
    UnknownQueryError,
)
from dbops.observability import logger
from dbops.queries import proxy
from tests.integration.proxy_queries.shop import Shop
from tools.mariadb import free_port

type Invoke = Callable[[dict[str, Any]], Any]
type Sample = Callable[[str], dict[str, Any]]


def _body(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])


def _http(sample: Sample, query: str, params: Any, *, query_string: dict[str, str] | None = None) -> dict[str, Any]:
    event = sample("http_customer_by_id.json")
    path = f"/queries/{query}"
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    event["pathParameters"] = {"name": query}
    event["body"] = params if isinstance(params, str) else json.dumps(params)
    if query_string:
        event["queryStringParameters"] = query_string
        event["rawQueryString"] = "&".join(f"{key}={value}" for key, value in query_string.items())
    return event


def test_list_queries_returns_the_catalogue_without_sql_when_asked(invoke: Invoke, sample: Sample) -> None:
    response = invoke(sample("http_list_queries.json"))

    assert response["statusCode"] == 200
    names = [query["name"] for query in _body(response)["queries"]]
    assert {"customer_by_id", "orders_by_customer", "place_order"} <= set(names)
    assert "SELECT" not in response["body"]


def test_read_returns_rows_and_no_cursor_when_one_page_holds_them(invoke: Invoke, sample: Sample) -> None:
    response = invoke(sample("http_customer_by_id.json"))

    assert response["statusCode"] == 200
    assert _body(response) == {
        "rows": [
            {
                "id": 1,
                "email": "ada@example.com",
                "name": "Ada",
                "created_on": "2026-01-05",
                "vip": 1,
                "last_order_at": None,
            }
        ],
        "next": None,
    }


def test_read_pages_follow_the_cursor_when_limit_is_smaller_than_the_result(invoke: Invoke, sample: Sample) -> None:
    event = sample("http_orders_by_customer.json")
    first = _body(invoke(event))

    event["queryStringParameters"]["cursor"] = first["next"]
    second = _body(invoke(event))

    assert [row["id"] for row in first["rows"]] == [1]
    assert first["rows"][0]["total"] == "19.99"
    assert [row["id"] for row in second["rows"]] == [2]
    assert second["next"] is None


def test_http_write_has_one_effect_when_the_event_is_replayed(invoke: Invoke, sample: Sample, shop: Shop) -> None:
    event = sample("http_upsert_customer.json")

    first = invoke(event)
    replay = invoke(event)

    assert (first["statusCode"], _body(first)) == (200, {"affected": 1})
    assert (replay["statusCode"], _body(replay)) == (200, {"affected": 0})
    assert shop.fetch("SELECT COUNT(*) FROM customers WHERE id = 3") == [(1,)]


def test_direct_write_has_one_effect_when_the_event_is_replayed(invoke: Invoke, sample: Sample, shop: Shop) -> None:
    event = sample("invoke_place_order.json")

    first = invoke(event)
    replay = invoke(event)

    assert first == {"affected": 2}
    assert replay == {"affected": 0}
    assert shop.fetch("SELECT COUNT(*) FROM orders WHERE id = 100") == [(1,)]


def test_direct_read_returns_a_page_when_invoked_with_limit(invoke: Invoke, sample: Sample) -> None:
    result = invoke(sample("invoke_customers_created_between.json"))

    assert [row["id"] for row in result["rows"]] == [1, 2]
    assert result["next"] is None


def test_unknown_query_is_404_naming_it_when_the_name_is_not_in_the_catalogue(invoke: Invoke, sample: Sample) -> None:
    response = invoke(sample("invalid_unknown_query.json"))

    assert response["statusCode"] == 404
    assert _body(response) == {
        "error": "unknown_query",
        "message": "no query named 'drop_everything' in the catalogue: GET /queries lists them",
        "query": "drop_everything",
    }


def test_bad_parameter_is_400_naming_it_and_its_type_when_the_type_is_wrong(invoke: Invoke, sample: Sample) -> None:
    response = invoke(sample("invalid_parameter_type.json"))

    assert response["statusCode"] == 400
    assert _body(response) == {
        "error": "invalid_parameter",
        "message": "query 'customer_by_id' needs parameter 'customer_id' (int of at least 1)",
        "parameter": "customer_id",
        "expected": "int of at least 1",
    }


def test_missing_parameter_is_400_naming_it_when_the_body_lacks_it(invoke: Invoke, sample: Sample) -> None:
    response = invoke(_http(sample, "customers_created_between", {"since": "2026-01-01"}))

    assert response["statusCode"] == 400
    assert _body(response)["parameter"] == "until"
    assert "needs parameter 'until' (date as YYYY-MM-DD)" in _body(response)["message"]


@pytest.mark.parametrize(
    ("body", "query_string", "message"),
    [
        ("{not json", None, "the request body must be a JSON object"),
        ('["a"]', None, "the parameters must be a JSON object"),
        ('{"customer_id": 1}', {"limit": "many"}, "limit"),
        ('{"customer_id": 1}', {"cursor": "garbage!"}, "the cursor is damaged"),
        ('{"customer_id": 1}', {"limit": "5"}, "'limit' for query 'customer_by_id' must be from 1 to 1"),
    ],
)
def test_malformed_request_is_400_saying_why_when_body_or_query_string_is_bad(
    invoke: Invoke, sample: Sample, body: str, query_string: dict[str, str] | None, message: str
) -> None:
    response = invoke(_http(sample, "customer_by_id", body, query_string=query_string))

    assert response["statusCode"] == 400
    assert message in _body(response)["message"]


def test_direct_invoke_raises_the_named_error_when_a_parameter_is_missing(invoke: Invoke, sample: Sample) -> None:
    with pytest.raises(InvalidParameterError, match="needs parameter 'customer_id'"):
        invoke(sample("invalid_invoke_missing_parameter.json"))


def test_direct_invoke_raises_unknown_query_when_the_name_is_not_in_the_catalogue(invoke: Invoke) -> None:
    with pytest.raises(UnknownQueryError):
        invoke({"query": "nope", "params": {}})


def test_unavailable_database_is_503_with_a_retry_hint_when_nothing_listens(
    invoke: Invoke, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DB_PORT", str(free_port()))

    response = invoke(sample("http_customer_by_id.json"))

    assert response["statusCode"] == 503
    assert response["headers"]["Retry-After"] == "2"
    assert _body(response)["error"] == "database_unavailable"


def test_direct_invoke_raises_unavailable_when_nothing_listens(
    invoke: Invoke, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DB_PORT", str(free_port()))

    with pytest.raises(DatabaseUnavailableError, match="retry shortly"):
        invoke(sample("invoke_customers_created_between.json"))


def test_constraint_violation_is_409_when_the_order_names_no_customer(invoke: Invoke, sample: Sample) -> None:
    params = {"order_id": 7, "customer_id": 999, "total": "1.00", "placed_at": "2026-11-24T00:00:00"}

    response = invoke(_http(sample, "place_order", params))

    assert response["statusCode"] == 409
    assert _body(response)["error"] == "conflict"


def test_database_refusal_is_500_without_sql_when_the_catalogue_names_a_missing_table(
    invoke: Invoke, sample: Sample, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    catalogue = tmp_path / "catalogue.json"
    catalogue.write_text(
        json.dumps({"queries": {"customer_by_id": {"sql": "SELECT hidden_column FROM no_such_table ORDER BY 1"}}})
    )
    monkeypatch.setenv("QUERY_CATALOGUE", str(catalogue))

    response = invoke(_http(sample, "customer_by_id", {}))

    assert response["statusCode"] == 500
    assert "no_such_table" not in response["body"]
    assert "hidden_column" not in response["body"]


def test_misconfiguration_is_500_naming_nothing_over_http_and_the_variable_on_direct_invoke(
    invoke: Invoke, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DB_NAME")

    response = invoke(sample("http_customer_by_id.json"))

    assert (response["statusCode"], _body(response)["error"]) == (500, "misconfigured")
    with pytest.raises(ConfigurationError, match="DB_NAME is missing"):
        invoke(sample("invoke_customers_created_between.json"))


def test_logs_never_hold_the_password_when_queries_run(
    invoke: Invoke, sample: Sample, shop: Shop, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=logger.name)
    invoke(sample("http_customer_by_id.json"))
    invoke(sample("invoke_place_order.json"))

    logged = [str(record.__dict__) for record in caplog.records]
    assert [record.getMessage() for record in caplog.records].count("query ran") == 2
    assert not any(shop.password in line for line in logged)


def test_direct_write_refuses_paging_when_given_a_limit(invoke: Invoke, sample: Sample, shop: Shop) -> None:
    event = {**sample("invoke_place_order.json"), "limit": 5}

    with pytest.raises(QueryRequestError, match="is a write: it takes no 'cursor' or 'limit'"):
        invoke(event)

    assert shop.fetch("SELECT COUNT(*) FROM orders WHERE id = 100") == [(0,)]


def test_reads_go_to_the_read_endpoint_and_writes_to_the_proxy_when_both_are_set(
    invoke: Invoke, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DB_PROXY_READ_ENDPOINT", "localhost")  # the same server under its other certified name

    invoke(sample("invoke_customers_created_between.json"))
    runtime = proxy.runtime()
    assert runtime.reader is not runtime.writer
    assert (runtime.reader.thread_id is not None, runtime.writer.thread_id) == (True, None)

    invoke(sample("invoke_place_order.json"))
    assert runtime.writer.thread_id is not None


def test_iam_auth_mode_reports_unavailable_without_the_token_when_the_server_refuses_it(
    invoke: Invoke, sample: Sample, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DB_AUTH_MODE", "iam")  # MariaDB knows no IAM tokens: the login is refused, twice

    response = invoke(sample("http_customer_by_id.json"))

    assert response["statusCode"] == 503
    assert "X-Amz-Signature" not in response["body"]
