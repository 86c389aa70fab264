"""Warm-invocation latency of a one-row lookup: through the handler versus a raw reused pymysql connection.

Same run, same MariaDB (TLS on both), interleaved so both see the same machine noise. Prints p50, p99 and the
ratio, and writes them to .local/bench/proxy_queries.json. Run with `make bench`. Nothing is asserted about speed.
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import time
from collections.abc import Callable
from typing import Any

import pytest

from dbops.mysql.connection import connect
from dbops.queries import proxy
from tests.integration.proxy_queries.shop import shop_database
from tools.events import load_event
from tools.lambda_context import LocalLambdaContext
from tools.mariadb import MariaDB
from tools.template import ROOT

WARMUP = 200
ROUNDS = 3_000
LOOKUP = "SELECT id, email, name, created_on, vip, last_order_at FROM customers WHERE id = %s ORDER BY id LIMIT 2"


def _percentiles(samples: list[int]) -> dict[str, float]:
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50_us": round(cuts[49] / 1000, 1), "p99_us": round(cuts[98] / 1000, 1)}


def _time(call: Callable[[], Any]) -> int:
    started = time.perf_counter_ns()
    call()
    return time.perf_counter_ns() - started


@pytest.mark.usefixtures("aws")
def test_one_row_lookup_latency_through_the_handler_and_raw_pymysql(
    mariadb: MariaDB,
    monkeypatch: pytest.MonkeyPatch,
    lambda_context: LocalLambdaContext,
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec = importlib.util.spec_from_file_location("proxy_queries_bench", ROOT / "functions/proxy_queries/handler.py")
    assert spec is not None
    assert spec.loader is not None
    handler = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(handler)
    with shop_database(mariadb) as shop:
        from dbops.aws import clients

        arn = clients.secretsmanager().create_secret(
            Name="bench/proxy-queries", SecretString=json.dumps({"username": shop.user, "password": shop.password})
        )["ARN"]
        for name, value in {
            "DB_PROXY_ENDPOINT": mariadb.host,
            "DB_PORT": str(mariadb.port),
            "DB_NAME": shop.database,
            "DB_AUTH_MODE": "secret",
            "DB_SECRET_ARN": arn,
            "DB_CA_BUNDLE": mariadb.ca_bundle or "",
        }.items():
            monkeypatch.setenv(name, value)
        proxy.reset()
        http_event = load_event("proxy_queries/http_customer_by_id.json")
        invoke_event = {"query": "customer_by_id", "params": {"customer_id": 1}}
        raw = connect(shop.endpoint, shop.credentials, ca_bundle=mariadb.ca_bundle)

        def raw_lookup() -> Any:
            with raw.cursor() as cursor:
                cursor.execute(LOOKUP, (1,))
                return cursor.fetchall()

        variants: dict[str, Callable[[], Any]] = {
            "raw_pymysql": raw_lookup,
            "handler_direct_invoke": lambda: handler.lambda_handler(invoke_event, lambda_context),
            "handler_http_api": lambda: handler.lambda_handler(http_event, lambda_context),
        }
        assert handler.lambda_handler(http_event, lambda_context)["statusCode"] == 200
        samples: dict[str, list[int]] = {name: [] for name in variants}
        for _ in range(WARMUP):
            for call in variants.values():
                call()
        for _ in range(ROUNDS):
            for name, call in variants.items():
                samples[name].append(_time(call))
        raw.close()
        proxy.reset()

    figures: dict[str, Any] = {name: _percentiles(values) for name, values in samples.items()}
    for name in ("handler_direct_invoke", "handler_http_api"):
        figures[name]["p50_ratio_to_raw"] = round(figures[name]["p50_us"] / figures["raw_pymysql"]["p50_us"], 2)
        figures[name]["p99_ratio_to_raw"] = round(figures[name]["p99_us"] / figures["raw_pymysql"]["p99_us"], 2)
    figures["rounds"] = ROUNDS
    out = ROOT / ".local" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "proxy_queries.json").write_text(json.dumps(figures, indent=2))
    capsys.readouterr()  # drop the handler's log lines
    with capsys.disabled():
        print("\nproxy_queries one-row lookup, warm:", json.dumps(figures, indent=2))
