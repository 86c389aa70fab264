"""Connections to MySQL and MariaDB, always over TLS with the server's certificate and host name verified."""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field

import pymysql
import pymysql.cursors


@dataclass(frozen=True)
class Endpoint:
    """Where a database listens."""

    host: str
    port: int = 3306
    database: str | None = None


@dataclass(frozen=True)
class Credentials:
    """A database login. The password never shows in repr, logs or errors."""

    username: str
    password: str = field(repr=False)


@dataclass(frozen=True)
class Timeouts:
    """Socket timeouts in seconds, kept well below the Lambda function's own timeout."""

    connect: float = 5
    read: float = 10
    write: float = 10


def tls_context(ca_bundle: str | None = None) -> ssl.SSLContext:
    """A client TLS context verifying the server against ``ca_bundle`` (a PEM path) or the system store."""
    context = ssl.create_default_context(cafile=ca_bundle)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def connect(
    endpoint: Endpoint,
    credentials: Credentials,
    *,
    ca_bundle: str | None = None,
    timeouts: Timeouts | None = None,
) -> pymysql.connections.Connection[pymysql.cursors.DictCursor]:
    """Open an autocommit connection over verified TLS, rows as dicts.

    Raises pymysql.err.OperationalError when the server is unreachable or refuses the login.
    """
    timeouts = timeouts or Timeouts()
    return pymysql.connect(
        host=endpoint.host,
        port=endpoint.port,
        user=credentials.username,
        password=credentials.password,
        database=endpoint.database,
        ssl=tls_context(ca_bundle),
        connect_timeout=timeouts.connect,
        read_timeout=timeouts.read,
        write_timeout=timeouts.write,
        autocommit=True,
        charset="utf8mb4",
        cursorclass=pymysql.cursors.DictCursor,
    )
