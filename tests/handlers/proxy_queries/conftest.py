"""Fixtures for the proxy_queries handler: the shop in MariaDB, its login in a moto secret, the environment."""

from __future__ import annotations

import importlib.util
import json
import uuid
from collections.abc import Callable, Iterator
from types import ModuleType
from typing import Any

import pytest

from dbops.aws import clients
from dbops.queries import proxy
from tests.integration.proxy_queries.shop import Shop, shop_database
from tools.events import load_event
from tools.lambda_context import LocalLambdaContext
from tools.mariadb import MariaDB
from tools.template import ROOT

HANDLER_PATH = ROOT / "functions" / "proxy_queries" / "handler.py"


@pytest.fixture(scope="session")
def handler_module() -> ModuleType:
    """functions/proxy_queries/handler.py, imported as Lambda would."""
    spec = importlib.util.spec_from_file_location("proxy_queries_handler", HANDLER_PATH)
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
def environment(aws: None, shop: Shop, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """The function's variables, pointing at the shop with the login in a moto secret (as the local stack does)."""
    arn = clients.secretsmanager().create_secret(
        Name=f"dbops-test/{uuid.uuid4().hex}",
        SecretString=json.dumps({"username": shop.user, "password": shop.password}),
    )["ARN"]
    variables = {
        "POWERTOOLS_SERVICE_NAME": "proxy_queries",
        "DB_PROXY_ENDPOINT": shop.server.host,
        "DB_PORT": str(shop.server.port),
        "DB_NAME": shop.database,
        "DB_AUTH_MODE": "secret",
        "DB_SECRET_ARN": arn,
        "DB_USER": shop.user,
        "DB_CA_BUNDLE": shop.server.ca_bundle or "",
    }
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    proxy.reset()
    yield variables
    proxy.reset()


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
    """Load events/proxy_queries/<name>."""
    return lambda name: load_event(f"proxy_queries/{name}")
