"""The local Data API on the session's MariaDB, a secret in moto with its login, and a schema per test."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import boto3
import pytest

from dbops.aws.data_api import DataApi, Target
from dbops.data_api.retrying import RetryPolicy
from tools.data_api_server import DataApiHttpServer, LocalDataApi, Login, serving

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tools import mariadb as mariadb_server

CLUSTER_ARN = "arn:aws:rds:us-east-1:123456789012:cluster:dbops-local"
DISABLED_CLUSTER_ARN = "arn:aws:rds:us-east-1:123456789012:cluster:no-data-api"

TABLES = """
CREATE TABLE everything (
    id BIGINT AUTO_INCREMENT PRIMARY KEY,
    flag BIT(1), small TINYINT, whole INT, big BIGINT, huge BIGINT UNSIGNED, ratio DOUBLE,
    price DECIMAL(20, 6), label VARCHAR(200), note TEXT, payload VARBINARY(4096), picture LONGBLOB,
    day DATE, moment DATETIME(6), stamp TIMESTAMP(6) NULL DEFAULT NULL, span TIME(6), doc JSON, token CHAR(36)
);
CREATE TABLE accounts (
    id INT PRIMARY KEY,
    name VARCHAR(80) NOT NULL,
    balance DECIMAL(12, 2) NOT NULL DEFAULT 0
)
"""


@dataclass
class LocalCluster:
    """The running local Data API and what a test needs to reach it."""

    api: LocalDataApi
    server: DataApiHttpServer
    secret_arn: str
    database: str
    mariadb: mariadb_server.MariaDB

    def client(self) -> Any:
        """A boto3 rds-data client pointed at the local Data API, botocore retries off as in production."""
        from dbops.aws.clients import DATA_API_CONFIG

        return boto3.client("rds-data", endpoint_url=self.server.endpoint_url, config=DATA_API_CONFIG)

    def data_api(self, **options: Any) -> DataApi:
        """Our client on this cluster (no waiting between retries)."""
        options.setdefault("policy", RetryPolicy(base_seconds=0.001, cap_seconds=0.002))
        options.setdefault("sleep", lambda _seconds: None)
        return DataApi(
            Target(cluster_arn=CLUSTER_ARN, secret_arn=self.secret_arn, database=self.database),
            client=options.pop("client", None) or self.client(),
            **options,
        )

    def rows(self, sql: str, *args: Any) -> list[tuple[Any, ...]]:
        """Rows read straight from MariaDB (not through the Data API)."""
        with self.mariadb.admin_connection() as connection, connection.cursor() as cursor:
            cursor.execute(f"USE `{self.database}`")
            cursor.execute(sql, args)
            return list(cursor.fetchall())


def read_secret(arn: str) -> Login:
    """Read a database login from Secrets Manager (moto, in tests), as the Data API does."""
    secret = json.loads(boto3.client("secretsmanager").get_secret_value(SecretId=arn)["SecretString"])
    return Login(username=secret["username"], password=secret["password"])


@pytest.fixture
def database(mariadb: mariadb_server.MariaDB) -> Iterator[str]:
    """A fresh database with the test tables; dropped afterwards."""
    name = f"data_api_{uuid.uuid4().hex[:12]}"
    with mariadb.admin_connection() as connection, connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4")
        cursor.execute(f"USE `{name}`")
        for statement in TABLES.split(";"):
            cursor.execute(statement)
    yield name
    with mariadb.admin_connection() as connection, connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE `{name}`")


@pytest.fixture
def cluster(aws: None, mariadb: mariadb_server.MariaDB, database: str) -> Iterator[LocalCluster]:
    """The local Data API serving CLUSTER_ARN, with a secret holding the MariaDB login."""
    secret_arn = boto3.client("secretsmanager").create_secret(
        Name=f"dbops/data-api/{uuid.uuid4().hex[:8]}",
        SecretString=json.dumps({"username": mariadb.user, "password": mariadb.password}),
    )["ARN"]
    api = LocalDataApi(mariadb, read_secret, clusters={CLUSTER_ARN: True, DISABLED_CLUSTER_ARN: False})
    with serving(api) as server:
        yield LocalCluster(api=api, server=server, secret_arn=secret_arn, database=database, mariadb=mariadb)
    assert api.open_transactions() == 0, "a test left a Data API transaction open"
