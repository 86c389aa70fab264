"""dbops.mysql.connection against the real MariaDB: TLS is verified, never optional."""

from __future__ import annotations

import ssl
import uuid

import pymysql
import pytest

from dbops.mysql.connection import Credentials, Endpoint, connect
from tools.mariadb import MariaDB


def test_connect_uses_verified_tls_when_the_ca_is_given(mariadb: MariaDB) -> None:
    connection = connect(
        Endpoint(mariadb.host, mariadb.port),
        Credentials(mariadb.user, mariadb.password),
        ca_bundle=mariadb.ca_bundle,
    )
    with connection, connection.cursor() as cursor:
        cursor.execute("SHOW SESSION STATUS LIKE 'Ssl_version'")
        row = cursor.fetchone()

    assert row is not None
    assert row["Value"].startswith("TLSv1.")


def test_connect_refuses_a_server_whose_certificate_is_not_trusted(mariadb: MariaDB) -> None:
    if mariadb.ca_bundle is None:
        pytest.fail("the harness's server must have a known CA to test verification")

    with pytest.raises(pymysql.err.OperationalError) as raised:
        connect(Endpoint(mariadb.host, mariadb.port), Credentials(mariadb.user, mariadb.password), ca_bundle=None)

    assert isinstance(raised.value.__context__, ssl.SSLCertVerificationError)


def test_connect_error_never_contains_the_password(mariadb: MariaDB) -> None:
    password = f"wrong-{uuid.uuid4()}"

    with pytest.raises(pymysql.err.OperationalError) as raised:
        connect(
            Endpoint(mariadb.host, mariadb.port),
            Credentials(mariadb.user, password),
            ca_bundle=mariadb.ca_bundle,
        )

    assert raised.value.args[0] == 1045
    assert password not in str(raised.value)


def test_credentials_repr_hides_the_password() -> None:
    credentials = Credentials("app", "s3cr3t-value")

    assert "s3cr3t-value" not in repr(credentials)
