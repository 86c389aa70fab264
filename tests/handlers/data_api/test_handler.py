"""The data_api handler on its sample events through the local Data API: statuses, pages, transactions,
the maintenance job, retries, replays with one effect, and no secret in the logs."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from dbops.errors import InvalidParameterError, QueryRequestError, UnknownQueryError
from dbops.observability import logger
from tests.integration.proxy_queries.shop import Shop
from tools.data_api_server import DataApiHttpServer, DataApiServiceError

type Invoke = Callable[[dict[str, Any]], Any]
type Sample = Callable[[str], dict[str, Any]]


def _body(response: dict[str, Any]) -> Any:
    return json.loads(response["body"])


def _http(sample: Sample, query: str, params: Any, *, query_string: dict[str, str] | None = None) -> dict[str, Any]:
    event = sample("http_customer_by_id.json")
    path = f"/data-api/queries/{query}"
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    event["pathParameters"] = {"name": query}
    event["body"] = params if isinstance(params, str) else json.dumps(params)
    if query_string:
        event["queryStringParameters"] = query_string
        event["rawQueryString"] = "&".join(f"{key}={value}" for key, value in query_string.items())
    return event


def test_read_returns_rows_when_called_over_http(invoke: Invoke, sample: Sample) -> None:
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


def test_keyset_pages_return_every_order_once_when_the_cursors_are_followed(invoke: Invoke, sample: Sample) -> None:
    event = sample("http_orders_by_customer.json")
    seen: list[int] = []

    while True:
        body = _body(invoke(event))
        seen += [row["id"] for row in body["rows"]]
        if body["next"] is None:
            break
        event = _http(sample, "orders_by_customer", event["body"], query_string={"limit": "1", "cursor": body["next"]})

    assert seen == [1, 2]


def test_read_returns_the_same_rows_when_invoked_directly(invoke: Invoke, sample: Sample) -> None:
    result = invoke(sample("invoke_customers_created_between.json"))

    assert [row["name"] for row in result["rows"]] == ["Ada", "Grace"]
    assert result["next"] is None


def test_upsert_has_one_effect_when_the_event_is_replayed(invoke: Invoke, sample: Sample, shop: Shop) -> None:
    event = sample("http_upsert_customer.json")

    first, second = invoke(event), invoke(event)

    assert (first["statusCode"], second["statusCode"]) == (200, 200)
    assert shop.fetch("SELECT id, email, name FROM customers WHERE id = 3") == [(3, "linus@example.com", "Linus")]


def test_order_is_placed_once_in_one_transaction_when_the_event_is_replayed(
    invoke: Invoke, sample: Sample, shop: Shop, data_api_server: DataApiHttpServer
) -> None:
    event = sample("invoke_place_order.json")

    first = invoke(event)
    invoke(event)

    assert first == {"affected": 2}
    assert shop.fetch("SELECT COUNT(*) FROM orders WHERE id = 100") == [(1,)]
    assert shop.fetch("SELECT last_order_at IS NOT NULL FROM customers WHERE id = 2") == [(1,)]
    assert data_api_server.api.calls[:4] == ["BeginTransaction", "Execute", "Execute", "CommitTransaction"]


def test_write_is_run_again_in_a_new_transaction_when_the_first_outcome_is_unknown(
    invoke: Invoke, sample: Sample, shop: Shop, data_api_server: DataApiHttpServer
) -> None:
    data_api_server.api.inject(DataApiServiceError("DatabaseUnavailableException", 504), operation="Execute")

    result = invoke(sample("invoke_place_order.json"))

    assert result == {"affected": 2}
    assert shop.fetch("SELECT COUNT(*) FROM orders WHERE id = 100") == [(1,)]
    assert data_api_server.api.calls.count("RollbackTransaction") == 1


def test_read_succeeds_when_the_cluster_is_resuming(
    invoke: Invoke, sample: Sample, data_api_server: DataApiHttpServer
) -> None:
    data_api_server.api.resuming(times=2)

    response = invoke(sample("http_customer_by_id.json"))

    assert response["statusCode"] == 200
    assert data_api_server.api.calls == ["Execute"] * 3


def test_status_is_503_with_retry_after_when_the_cluster_resumes_past_the_budget(
    invoke: Invoke, sample: Sample, data_api_server: DataApiHttpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATA_API_RETRY_BUDGET_SECONDS", "1")
    data_api_server.api.resuming(times=100)

    response = invoke(sample("http_customer_by_id.json"))

    assert response["statusCode"] == 503
    assert _body(response)["error"] == "database_unavailable"
    assert "still resuming" in _body(response)["message"]
    assert int(response["headers"]["Retry-After"]) > 0


def test_maintenance_job_cancels_stale_orders_once_when_the_schedule_fires_twice(
    invoke: Invoke, sample: Sample, shop: Shop
) -> None:
    first = invoke(sample("schedule_maintenance.json"))
    second = invoke(sample("schedule_maintenance.json"))

    assert first == {"job": "maintenance", "queries": ["cancel_stale_orders"], "affected": 1}
    assert second["affected"] == 0
    assert shop.fetch("SELECT id, status FROM orders ORDER BY id") == [(1, "paid"), (2, "cancelled")]


def test_unknown_job_is_refused_when_the_schedule_names_another(invoke: Invoke, sample: Sample, shop: Shop) -> None:
    with pytest.raises(QueryRequestError, match="no job named 'vacuum_everything'"):
        invoke(sample("invalid_schedule_unknown_job.json"))

    assert shop.fetch("SELECT status FROM orders WHERE id = 2") == [("open",)]


def test_unknown_query_is_404_when_the_catalogue_lacks_it(invoke: Invoke, sample: Sample) -> None:
    response = invoke(sample("invalid_unknown_query.json"))

    assert response["statusCode"] == 404
    assert _body(response)["error"] == "unknown_query"


def test_wrong_parameter_type_is_400_naming_it_when_sent_over_http(
    invoke: Invoke, sample: Sample, data_api_server: DataApiHttpServer
) -> None:
    response = invoke(sample("invalid_parameter_type.json"))

    assert response["statusCode"] == 400
    assert _body(response)["parameter"] == "customer_id"
    assert data_api_server.api.calls == []


def test_missing_parameter_raises_when_invoked_directly(invoke: Invoke, sample: Sample) -> None:
    with pytest.raises(InvalidParameterError, match="needs parameter 'customer_id'"):
        invoke(sample("invalid_invoke_missing_parameter.json"))


def test_unknown_query_raises_when_invoked_directly(invoke: Invoke) -> None:
    with pytest.raises(UnknownQueryError):
        invoke({"query": "drop_everything"})


def test_duplicate_key_is_409_when_a_write_conflicts(invoke: Invoke, sample: Sample) -> None:
    event = _http(
        sample,
        "place_order",
        {"order_id": 555, "customer_id": 999, "total": "1.00", "placed_at": "2026-11-24T10:00:00"},
    )

    response = invoke(event)

    assert response["statusCode"] == 409
    assert _body(response)["error"] == "conflict"


def test_page_is_split_not_truncated_when_rows_exceed_the_response_limit(
    invoke: Invoke, shop: Shop, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop.fetch("CREATE TABLE notes (id INT PRIMARY KEY, body MEDIUMTEXT NOT NULL)")
    for note_id in range(1, 41):
        shop.fetch("INSERT INTO notes (id, body) VALUES (%s, REPEAT('n', 60000))", note_id)
    shop.fetch(f"GRANT SELECT ON `{shop.database}`.notes TO '{shop.user}'@'%'")
    catalogue = tmp_path / "catalogue.yaml"
    catalogue.write_text("queries:\n  notes:\n    sql: SELECT id, body FROM notes ORDER BY id\n    page_size: 1000\n")
    monkeypatch.setenv("QUERY_CATALOGUE", str(catalogue))
    monkeypatch.setenv("DATA_API_MAINTENANCE_QUERIES", "")
    seen: list[int] = []
    event: dict[str, Any] = {"query": "notes"}

    while True:
        page = invoke(event)
        assert sum(len(row["body"]) for row in page["rows"]) < 1024 * 1024
        seen += [row["id"] for row in page["rows"]]
        if page["next"] is None:
            break
        event = {"query": "notes", "cursor": page["next"]}

    assert seen == list(range(1, 41))


def test_no_password_reaches_the_logs_when_queries_run_and_fail(
    invoke: Invoke, sample: Sample, shop: Shop, caplog: pytest.LogCaptureFixture, capsys: pytest.CaptureFixture[str]
) -> None:
    logger.setLevel(logging.DEBUG)
    try:
        for name in ("http_customer_by_id.json", "invoke_place_order.json", "invalid_unknown_query.json"):
            with contextlib.suppress(Exception):  # only the logs matter here
                invoke(sample(name))
    finally:
        logger.setLevel(logging.INFO)

    assert shop.password not in capsys.readouterr().out + caplog.text


def test_list_queries_returns_the_catalogue_without_sql_when_asked(
    invoke: Invoke, sample: Sample, data_api_server: DataApiHttpServer
) -> None:
    response = invoke(sample("http_list_queries.json"))

    assert response["statusCode"] == 200
    names = {query["name"] for query in _body(response)["queries"]}
    assert {"customer_by_id", "place_order", "cancel_stale_orders"} <= names
    assert "SELECT" not in response["body"]
    assert data_api_server.api.calls == []


def test_unreadable_secret_is_500_and_logged_with_the_fix_when_the_arn_is_wrong(
    invoke: Invoke, sample: Sample, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    missing = "arn:aws:secretsmanager:us-east-1:123456789012:secret:dbops/missing-AbCdEf"
    monkeypatch.setenv("DATA_API_SECRET_ARN", missing)

    response = invoke(sample("http_customer_by_id.json"))

    assert response["statusCode"] == 500
    assert _body(response)["error"] == "misconfigured"
    assert missing not in response["body"]
    details = [str(getattr(record, "detail", "")) for record in caplog.records]
    assert any(f"cannot read secret {missing}" in detail for detail in details)
