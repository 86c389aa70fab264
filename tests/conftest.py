"""The suite's harness: one real MariaDB per session, moto for AWS, sample events, a Lambda context, clean state.

Fixtures every test can ask for:
- ``mariadb``: a running MariaDB with TLS (MYSQL_* when set, else a throwaway server) and an admin login.
- ``aws``: moto's in-process mock of every AWS API for the test's duration.
- ``lambda_context``: a Lambda context with a real 30 s deadline.
Every test runs with fake AWS credentials in us-east-1, no AWS_ENDPOINT_URL, tracing off, and fresh
client factories, settings, Powertools metrics and parameter caches.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

# dbops.observability builds the shared Metrics when first imported, reading the namespace then: set it before.
os.environ.setdefault("POWERTOOLS_METRICS_NAMESPACE", "dbops")

from aws_lambda_powertools.metrics.provider import cold_start
from aws_lambda_powertools.utilities import parameters
from moto import mock_aws

from dbops import settings
from dbops.aws import clients
from dbops.observability import metrics
from tools import mariadb as mariadb_server
from tools.lambda_context import LocalLambdaContext

REGION = "us-east-1"


@pytest.fixture(scope="session")
def mariadb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[mariadb_server.MariaDB]:
    """The session's MariaDB: the one MYSQL_HOST names, else a throwaway server with TLS on."""
    server = mariadb_server.from_environment()
    if server is not None:
        yield server
        return
    with mariadb_server.throwaway(tmp_path_factory.mktemp("mariadb")) as server:
        yield server


@pytest.fixture(autouse=True)
def aws_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fake credentials and one region, so nothing can reach a real AWS account."""
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    monkeypatch.setenv("AWS_REGION", REGION)
    # botocore 1.44+ sends DynamoDB Streams calls to an account-based endpoint that moto does not route.
    monkeypatch.setenv("AWS_ACCOUNT_ID_ENDPOINT_MODE", "disabled")
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "dbops")


@pytest.fixture(autouse=True)
def fresh_state() -> Iterator[None]:
    """Forget cached clients, settings, Powertools metrics and parameter caches around every test."""
    _reset()
    yield
    _reset()


def _reset() -> None:
    clients.reset()
    settings.reset()
    parameters.clear_caches()
    metrics.clear_metrics()
    metrics.clear_default_dimensions()
    cold_start.reset_cold_start_flag()


@pytest.fixture
def aws() -> Iterator[None]:
    """moto's in-process mock of AWS for this test."""
    with mock_aws():
        yield


@pytest.fixture
def lambda_context() -> LocalLambdaContext:
    """A Lambda context whose remaining time counts down from 30 seconds."""
    return LocalLambdaContext(function_name="dbops-test")
