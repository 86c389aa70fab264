"""Fixtures for the data_api handler: the example shop in MariaDB behind the local Data API, its login in a
moto secret, and the function's environment pointing at both."""

from __future__ import annotations

import importlib.util
import json
import uuid
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

from dbops.aws import clients
from dbops.data_api import runtime
from tests.integration.data_api.conftest import CLUSTER_ARN, read_secret
from tests.integration.proxy_queries.shop import Shop, shop_database
from tools.data_api_server import DataApiHttpServer, LocalDataApi, serving
from tools.events import load_event
from tools.lambda_context import LocalLambdaContext
from tools.mariadb import MariaDB
from tools.template import ROOT

HANDLER_PATH = ROOT / "functions" / "data_api" / "handler.py"


@pytest.fixture(scope="session")
def handler_module() -> ModuleType:
    """functions/data_api/handler.py, imported as Lambda would."""
    spec = importlib.util.spec_from_file_location("data_api_handler", HANDLER_PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def shop(mariadb: MariaDB) -> Iterator[Shop]:
    """A fresh copy of the example shop for this test."""
    with shop_database(mariadb) as created:
        yield created


@pytest.fixture
def data_api_server(aws: None, mariadb: MariaDB) -> Iterator[DataApiHttpServer]:
    """The local Data API serving CLUSTER_ARN, reading logins from moto's Secrets Manager."""
    api = LocalDataApi(mariadb, read_secret, clusters={CLUSTER_ARN: True})
    with serving(api) as server:
        yield server
    assert api.open_transactions() == 0, "a test left a Data API transaction open"


@pytest.fixture
def environment(
    data_api_server: DataApiHttpServer, shop: Shop, monkeypatch: pytest.MonkeyPatch
) -> Iterator[dict[str, str]]:
    """The function's variables: the shop's login in a moto secret, the Data API endpoint the local one."""
    arn = clients.secretsmanager().create_secret(
        Name=f"dbops-test/{uuid.uuid4().hex}",
        SecretString=json.dumps({"username": shop.user, "password": shop.password}),
    )["ARN"]
    variables = {
        "POWERTOOLS_SERVICE_NAME": "data_api",
        "AWS_ENDPOINT_URL_RDS_DATA": data_api_server.endpoint_url,
        "DATA_API_CLUSTER_ARN": CLUSTER_ARN,
        "DATA_API_SECRET_ARN": arn,
        "DATA_API_DATABASE": shop.database,
        "DATA_API_MAINTENANCE_QUERIES": "cancel_stale_orders",
    }
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    runtime.reset()
    yield variables
    runtime.reset()


@pytest.fixture
def invoke(
    handler_module: ModuleType, environment: dict[str, str], lambda_context: LocalLambdaContext
) -> Callable[[dict[str, Any]], Any]:
    """Call the handler on an event, as Lambda would."""

    def call(event: dict[str, Any]) -> Any:
        return handler_module.lambda_handler(event, lambda_context)

    return call


@pytest.fixture
def sample() -> Callable[[str], dict[str, Any]]:
    """A sample event of events/data_api/ (a fresh copy each time)."""
    return lambda name: load_event(f"data_api/{name}")
