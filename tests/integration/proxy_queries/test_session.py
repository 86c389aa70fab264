"""QuerySession against the real MariaDB: reads, writes, transactions, lost connections and logins."""

from __future__ import annotations

import datetime
import decimal
import json
import threading
import time
import uuid

import pymysql
import pytest

from dbops.aws import clients
from dbops.aws.db_auth import SecretLogin
from dbops.errors import DatabaseUnavailableError, QueryConflictError, QueryFailedError, WriteOutcomeUnknownError
from dbops.mysql.connection import Endpoint
from dbops.mysql.session import QuerySession, StaticLogin
from tests.integration.proxy_queries.shop import Shop
from tools.mariadb import free_port


def test_read_returns_typed_rows_when_the_query_matches(session: QuerySession) -> None:
    rows = session.read("SELECT id, total, placed_at FROM orders WHERE customer_id = %s ORDER BY id", [1])

    assert rows == [
        {"id": 1, "total": decimal.Decimal("19.99"), "placed_at": datetime.datetime(2026, 3, 1, 10, 0)},
        {"id": 2, "total": decimal.Decimal("5.00"), "placed_at": datetime.datetime(2026, 3, 2, 11, 30)},
    ]


def test_session_reuses_one_connection_when_called_repeatedly(session: QuerySession) -> None:
    session.read("SELECT 1 AS one", [])
    first = session.thread_id

    session.read("SELECT 1 AS one", [])

    assert session.thread_id == first


def test_write_runs_statements_in_one_transaction_when_given_several(session: QuerySession, shop: Shop) -> None:
    affected = session.write(
        [
            ("UPDATE orders SET status = %s WHERE id = %s", ["shipped", 1]),
            ("UPDATE customers SET vip = %s WHERE id = %s", [False, 1]),
        ]
    )

    assert affected == 2
    assert shop.fetch("SELECT status FROM orders WHERE id = 1") == [("shipped",)]


def test_write_applies_nothing_when_a_later_statement_breaks_a_constraint(session: QuerySession, shop: Shop) -> None:
    with pytest.raises(QueryConflictError, match="conflicts with existing data"):
        session.write(
            [
                ("UPDATE orders SET status = %s WHERE id = %s", ["shipped", 1]),
                (
                    "INSERT INTO orders (id, customer_id, status, total, placed_at) VALUES (9, 999, 'open', 1, NOW())",
                    [],
                ),
            ]
        )

    assert shop.fetch("SELECT status FROM orders WHERE id = 1") == [("paid",)]
    assert session.read("SELECT @@autocommit AS autocommit", []) == [{"autocommit": 1}]


def test_read_reconnects_when_the_connection_was_killed_while_idle(session: QuerySession, shop: Shop) -> None:
    session.read("SELECT 1 AS one", [])
    killed = session.thread_id
    shop.kill(killed)

    rows = session.read("SELECT name FROM customers WHERE id = %s", [1])

    assert rows == [{"name": "Ada"}]
    assert session.thread_id not in (None, killed)


def test_read_is_retried_once_on_a_fresh_connection_when_killed_while_running(
    session: QuerySession, shop: Shop
) -> None:
    session.read("SELECT 1 AS one", [])
    killed = session.thread_id
    killer = threading.Timer(0.3, shop.kill, args=(killed,))
    killer.start()

    rows = session.read("SELECT SLEEP(1) AS slept, %s AS token", ["t"])

    killer.join()
    assert rows == [{"slept": 0, "token": "t"}]
    assert session.thread_id != killed


def test_write_reconnects_before_sending_when_the_connection_was_killed_while_idle(
    session: QuerySession, shop: Shop
) -> None:
    session.read("SELECT 1 AS one", [])
    shop.kill(session.thread_id)

    affected = session.write([("UPDATE orders SET status = %s WHERE id = %s", ["shipped", 2])])

    assert affected == 1
    assert shop.fetch("SELECT status FROM orders WHERE id = 2") == [("shipped",)]


def test_write_is_never_retried_when_the_connection_is_lost_while_it_runs(session: QuerySession, shop: Shop) -> None:
    session.read("SELECT 1 AS one", [])
    victim = session.thread_id
    holder = shop.server.admin_connection()
    with holder, holder.cursor() as cursor:
        cursor.execute(f"USE `{shop.database}`")
        cursor.execute("BEGIN")
        cursor.execute("SELECT total FROM orders WHERE id = 1 FOR UPDATE")  # the write below waits on this lock
        threading.Timer(0.5, shop.kill, args=(victim,)).start()

        with pytest.raises(WriteOutcomeUnknownError, match="may or may not have been applied"):
            session.write([("UPDATE orders SET total = total + 1 WHERE id = %s", [1])])

        cursor.execute("COMMIT")
    time.sleep(0.2)  # a blind retry would have been sent by now

    assert shop.fetch("SELECT total FROM orders WHERE id = 1") == [(decimal.Decimal("19.99"),)]
    assert session.thread_id is None


def test_read_raises_unavailable_when_nothing_listens(shop: Shop) -> None:
    session = QuerySession(
        Endpoint("127.0.0.1", free_port(), shop.database),
        StaticLogin(shop.credentials),
        ca_bundle=shop.server.ca_bundle,
    )

    with pytest.raises(DatabaseUnavailableError, match="retry shortly"):
        session.read("SELECT 1 AS one", [])


def test_read_raises_query_failed_without_sql_when_the_table_is_missing(session: QuerySession) -> None:
    with pytest.raises(QueryFailedError) as raised:
        session.read("SELECT secret_column FROM no_such_table ORDER BY 1", [])

    assert "no_such_table" not in str(raised.value)
    assert isinstance(raised.value.__cause__, pymysql.err.ProgrammingError)


@pytest.mark.usefixtures("aws")
def test_secret_login_is_read_afresh_when_the_cached_password_is_refused(shop: Shop) -> None:
    secrets = clients.secretsmanager()
    name = f"db/{uuid.uuid4().hex}"
    arn = secrets.create_secret(Name=name, SecretString=json.dumps({"username": shop.user, "password": "stale"}))["ARN"]
    login = SecretLogin(arn, max_age=300)
    assert login.credentials().password == "stale"  # now cached for 5 minutes
    secrets.put_secret_value(SecretId=arn, SecretString=json.dumps({"username": shop.user, "password": shop.password}))
    session = QuerySession(shop.endpoint, login, ca_bundle=shop.server.ca_bundle)

    rows = session.read("SELECT CURRENT_USER() AS user", [])

    session.close()
    assert rows[0]["user"].startswith(f"{shop.user}@")


@pytest.mark.usefixtures("aws")
def test_secret_login_gives_unavailable_without_the_password_when_it_stays_refused(shop: Shop) -> None:
    password = f"wrong-{uuid.uuid4()}"
    arn = clients.secretsmanager().create_secret(
        Name=f"db/{uuid.uuid4().hex}", SecretString=json.dumps({"username": shop.user, "password": password})
    )["ARN"]
    session = QuerySession(shop.endpoint, SecretLogin(arn), ca_bundle=shop.server.ca_bundle)

    with pytest.raises(DatabaseUnavailableError) as raised:
        session.read("SELECT 1 AS one", [])

    assert password not in str(raised.value)
    assert password not in repr(raised.value.__cause__)
