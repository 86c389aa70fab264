"""Local setup for proxy_queries: the example schema in MariaDB, an app login in a moto secret, the endpoint.

No RDS Proxy exists locally and IAM database authentication cannot work against MariaDB, so the function
connects straight to the local MariaDB (verified TLS with its CA) with the secret's login.
"""

from __future__ import annotations

import json
import secrets
from typing import TYPE_CHECKING, Any

from dbops.queries.catalogue import DEFAULT_PATH

if TYPE_CHECKING:
    import pymysql

    from tools.local_stack import LocalStack

DATABASE = "dbops_shop"
APP_USER = "dbops_queries"
SECRET_NAME = "dbops-local/proxy-queries"
SCHEMA_PATH = DEFAULT_PATH.with_name("example_schema.sql")
SEED = (
    "INSERT INTO customers (id, email, name, created_on, vip) VALUES "
    "(1, 'ada@example.com', 'Ada', '2026-01-05', TRUE), (2, 'grace@example.com', 'Grace', '2026-02-11', FALSE) "
    "ON DUPLICATE KEY UPDATE id = id",
    "INSERT INTO orders (id, customer_id, status, total, placed_at) VALUES "
    "(1, 1, 'paid', '19.99', '2026-03-01 10:00:00'), (2, 1, 'open', '5.00', '2026-03-02 11:30:00') "
    "ON DUPLICATE KEY UPDATE id = id",
)


def load_schema(connection: pymysql.connections.Connection[Any], database: str) -> None:
    """Create ``database`` and the example catalogue's tables in it (idempotent)."""
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE IF NOT EXISTS `{database}`")
        cursor.execute(f"USE `{database}`")
        for statement in SCHEMA_PATH.read_text().split(";"):
            code = "\n".join(line for line in statement.splitlines() if not line.strip().startswith("--"))
            if code.strip():
                cursor.execute(code)


def create_app_user(connection: pymysql.connections.Connection[Any], database: str, user: str) -> str:
    """(Re)create ``user`` with a fresh password, TLS required, allowed only to read and write ``database``."""
    password = secrets.token_urlsafe(18)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE USER IF NOT EXISTS '{user}'@'%%' IDENTIFIED BY %s REQUIRE SSL", (password,))
        cursor.execute(f"ALTER USER '{user}'@'%%' IDENTIFIED BY %s REQUIRE SSL", (password,))
        cursor.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON `{database}`.* TO '{user}'@'%'")
    return password


def prepare(stack: LocalStack) -> dict[str, str]:
    """Load the schema and seed rows, store the app login in a moto secret, return the function's variables."""
    server = stack.mariadb
    connection = server.admin_connection()
    with connection:
        load_schema(connection, DATABASE)
        with connection.cursor() as cursor:
            for statement in SEED:
                cursor.execute(statement)
        password = create_app_user(connection, DATABASE, APP_USER)
    secretsmanager = stack.client("secretsmanager")
    login = json.dumps({"username": APP_USER, "password": password, "host": server.host, "port": server.port})
    try:
        arn = secretsmanager.create_secret(Name=SECRET_NAME, SecretString=login)["ARN"]
    except secretsmanager.exceptions.ResourceExistsException:
        arn = secretsmanager.put_secret_value(SecretId=SECRET_NAME, SecretString=login)["ARN"]
    return {
        "DB_PROXY_ENDPOINT": server.host,
        "DB_PROXY_READ_ENDPOINT": "",
        "DB_PORT": str(server.port),
        "DB_NAME": DATABASE,
        "DB_AUTH_MODE": "secret",
        "DB_SECRET_ARN": arn,
        "DB_USER": APP_USER,
        "DB_CA_BUNDLE": server.ca_bundle or "",
    }
