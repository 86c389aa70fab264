"""The Data API client through the local Data API on MariaDB: types, batches, transactions, errors."""

from __future__ import annotations

import base64
import dataclasses
import datetime
import decimal
import uuid

import pytest

from dbops.errors import (
    DataApiAccessError,
    DataApiError,
    DataApiUnavailableError,
    DataApiWriteOutcomeUnknownError,
    ResultTooLargeError,
    SqlConflictError,
    SqlDataError,
    SqlStatementError,
    TransactionNotFoundError,
    UnsupportedParameterError,
)
from tests.integration.data_api.conftest import DISABLED_CLUSTER_ARN, LocalCluster
from tools.data_api_server import DataApiServiceError

INSERT_EVERYTHING = """
    INSERT INTO everything (flag, small, whole, big, huge, ratio, price, label, note, payload, picture, day,
        moment, stamp, span, doc, token)
    VALUES (:flag, :small, :whole, :big, :huge, :ratio, :price, :label, :note, :payload, :picture, :day,
        :moment, :stamp, :span, :doc, :token)
"""
SELECT_EVERYTHING = """
    SELECT flag, small, whole, big, huge, ratio, price, label, note, payload, picture, day, moment, stamp,
        span, doc, token
    FROM everything WHERE id = :id
"""
EVERY_TYPE = {
    "flag": True,
    "small": -128,
    "whole": 2_147_483_647,
    "big": -(2**63),
    "huge": 2**64 - 1,
    "ratio": 0.1 + 0.2,
    "price": decimal.Decimal("12345678901234.123456"),
    "label": "2024-01-02",  # looks like a date, stays text
    "note": "naïve ☃ \u00e9 'quoted' :not_a_param",
    "payload": bytes(range(256)),
    "picture": b"\x00\xff" * 1000,
    "day": datetime.date(2024, 2, 29),
    "moment": datetime.datetime(2024, 2, 29, 23, 59, 58, 123456),
    "stamp": datetime.datetime(2030, 1, 1, 0, 0, 0, 1),
    "span": datetime.timedelta(hours=-838, minutes=-59, seconds=-59),
    "doc": {"a": [1, 2.5, None, True], "b": {"c": "d"}},
    "token": uuid.UUID("12345678-1234-5678-1234-567812345678"),
}


def _expected(values: dict[str, object]) -> dict[str, object]:
    return {**values, "token": str(values["token"])}


def test_every_type_round_trips_when_written_and_read_back(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()

    inserted = data_api.execute(INSERT_EVERYTHING, EVERY_TYPE, reads=False)
    rows = data_api.query(SELECT_EVERYTHING, {"id": inserted.generated[0]})

    assert inserted.affected == 1
    assert rows == [_expected(EVERY_TYPE)]
    assert type(rows[0]["price"]) is decimal.Decimal
    assert type(rows[0]["moment"]) is datetime.datetime


@pytest.mark.parametrize("records_format", ["JSON", "NONE"])
def test_every_column_reads_none_when_written_as_null(cluster: LocalCluster, records_format: str) -> None:
    data_api = cluster.data_api(records_format=records_format)
    nulls = dict.fromkeys(EVERY_TYPE)

    inserted = data_api.execute(INSERT_EVERYTHING, nulls, reads=False)
    rows = data_api.query(SELECT_EVERYTHING, {"id": inserted.generated[0]})

    assert rows == [nulls]


def test_json_records_keep_json_native_values_when_asked_for(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()
    inserted = data_api.execute(INSERT_EVERYTHING, EVERY_TYPE, reads=False)

    rows = data_api.query(SELECT_EVERYTHING, {"id": inserted.generated[0]}, records_format="JSON")

    assert rows[0]["price"] == "12345678901234.123456"
    assert rows[0]["moment"] == "2024-02-29 23:59:58.123456"
    assert rows[0]["huge"] == 2**64 - 1
    assert rows[0]["payload"] == base64.b64encode(bytes(range(256))).decode()
    assert "includeResultMetadata" not in str(cluster.api.calls)


def test_time_reads_as_duration_when_over_a_day(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()

    rows = data_api.query("SELECT CAST('100:02:03.5' AS TIME(1)) AS span, CAST('12:00:00' AS TIME) AS noon")

    assert rows == [
        {"span": datetime.timedelta(hours=100, minutes=2, seconds=3.5), "noon": datetime.timedelta(hours=12)}
    ]


def test_time_parameter_is_typed_when_given_a_time_of_day(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()

    inserted = data_api.execute("INSERT INTO everything (span) VALUES (:t)", {"t": datetime.time(22, 30)}, reads=False)
    rows = data_api.query("SELECT span FROM everything WHERE id = :id", {"id": inserted.generated[0]})

    assert rows == [{"span": datetime.timedelta(hours=22, minutes=30)}]


def test_decimal_keeps_every_digit_when_more_than_a_double_holds(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()

    rows = data_api.query("SELECT CAST(:n AS DECIMAL(38, 20)) AS n", {"n": decimal.Decimal("1.00000000000000000001")})

    assert rows == [{"n": decimal.Decimal("1.00000000000000000001")}]


def test_integer_beyond_a_long_is_exact_when_sent_and_read(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()

    rows = data_api.query("SELECT CAST(:n AS UNSIGNED) AS n", {"n": 2**64 - 2})

    assert rows == [{"n": 2**64 - 2}]


def test_unsupported_parameter_type_is_refused_when_naming_the_parameter(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()

    with pytest.raises(UnsupportedParameterError, match=r"parameter 'tags' is a set"):
        data_api.query("SELECT :tags AS tags", {"tags": {"a", "b"}})

    assert cluster.api.calls == []


def test_batch_inserts_every_set_when_given_more_than_one_call_holds(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()
    sets = [{"id": n, "name": f"account {n}", "balance": decimal.Decimal(n) / 100} for n in range(1, 2502)]

    result = data_api.batch("INSERT INTO accounts (id, name, balance) VALUES (:id, :name, :balance)", sets)

    assert (result.sets, result.calls) == (2501, 3)
    assert cluster.rows("SELECT COUNT(*), SUM(balance) FROM accounts") == [(2501, decimal.Decimal("31287.51"))]
    assert cluster.api.calls.count("BatchExecute") == 3


def test_batch_splits_calls_by_bytes_when_sets_are_large(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()
    sets = [{"picture": bytes([n]) * 900_000} for n in range(8)]  # ~1.2 MB each in base64: 3 per request

    result = data_api.batch("INSERT INTO everything (picture) VALUES (:picture)", sets)

    assert result.calls == 3
    assert cluster.rows("SELECT COUNT(*), SUM(LENGTH(picture)) FROM everything") == [(8, decimal.Decimal(7_200_000))]


def test_batch_leaves_nothing_when_a_set_in_a_later_call_fails(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()
    sets = [{"id": n, "name": f"account {n}"} for n in range(1, 1500)] + [{"id": 1, "name": "duplicate"}]

    with pytest.raises(SqlConflictError) as raised:
        data_api.batch("INSERT INTO accounts (id, name) VALUES (:id, :name)", sets)

    assert raised.value.sqlstate == "23000"
    assert raised.value.error_code == 1062
    assert cluster.rows("SELECT COUNT(*) FROM accounts") == [(0,)]


def test_batch_returns_generated_keys_when_the_table_auto_increments(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()

    result = data_api.batch("INSERT INTO everything (label) VALUES (:label)", [{"label": "a"}, {"label": "b"}])

    assert len(result.generated) == 2
    assert result.generated[1][0] == result.generated[0][0] + 1


def test_transaction_commits_when_the_block_ends(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()

    with data_api.transaction() as transaction:
        transaction.execute("INSERT INTO accounts (id, name) VALUES (:id, :name)", {"id": 1, "name": "a"})
        transaction.execute("UPDATE accounts SET balance = balance + :amount WHERE id = :id", {"id": 1, "amount": 5})
        inside = transaction.execute("SELECT balance FROM accounts WHERE id = :id", {"id": 1}, reads=True).rows

    assert inside == [{"balance": decimal.Decimal("5.00")}]
    assert cluster.rows("SELECT id, balance FROM accounts") == [(1, decimal.Decimal("5.00"))]
    assert cluster.api.calls[0] == "BeginTransaction"
    assert cluster.api.calls[-1] == "CommitTransaction"


def test_transaction_leaves_nothing_when_a_statement_inside_fails(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()

    def transfer() -> None:
        with data_api.transaction() as transaction:
            transaction.execute("INSERT INTO accounts (id, name) VALUES (1, 'first')")
            transaction.execute("INSERT INTO no_such_table (id) VALUES (1)")

    with pytest.raises(SqlStatementError, match="42S02"):
        transfer()

    assert cluster.rows("SELECT COUNT(*) FROM accounts") == [(0,)]
    assert cluster.api.calls[-1] == "RollbackTransaction"


def test_transaction_rolls_back_when_the_block_raises_anything(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()

    def work() -> None:
        with data_api.transaction() as transaction:
            transaction.execute("INSERT INTO accounts (id, name) VALUES (1, 'first')")
            raise KeyError("caller's own failure")

    with pytest.raises(KeyError):
        work()

    assert cluster.rows("SELECT COUNT(*) FROM accounts") == [(0,)]


def test_statement_is_refused_when_its_transaction_id_is_unknown(cluster: LocalCluster) -> None:
    client = cluster.client()

    with pytest.raises(client.exceptions.TransactionNotFoundException):
        client.execute_statement(
            resourceArn="arn:aws:rds:us-east-1:123456789012:cluster:dbops-local",
            secretArn=cluster.secret_arn,
            sql="SELECT 1",
            transactionId="no-such-transaction",
        )


def test_transaction_not_found_is_raised_when_the_service_expired_it(cluster: LocalCluster) -> None:
    cluster.api.transaction_idle_seconds = 0.0
    data_api = cluster.data_api()

    with pytest.raises(TransactionNotFoundError, match="3 minutes"), data_api.transaction() as transaction:
        transaction.execute("INSERT INTO accounts (id, name) VALUES (1, 'first')")

    assert cluster.rows("SELECT COUNT(*) FROM accounts") == [(0,)]


def test_duplicate_key_is_a_conflict_when_inserted_twice(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()
    data_api.execute("INSERT INTO accounts (id, name) VALUES (1, 'first')", reads=False)

    with pytest.raises(SqlConflictError, match="SQLSTATE 23000, error 1062") as raised:
        data_api.execute("INSERT INTO accounts (id, name) VALUES (1, 'again')", reads=False)

    assert "first" not in str(raised.value)


def test_value_out_of_range_is_a_data_error_when_strict_mode_refuses_it(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()

    with pytest.raises(SqlDataError, match="SQLSTATE 22"):
        data_api.execute("INSERT INTO everything (small) VALUES (:n)", {"n": 1000}, reads=False)


def test_result_over_the_response_limit_is_refused_when_not_paged(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()
    data_api.batch("INSERT INTO everything (note) VALUES (:note)", [{"note": "x" * 60_000}] * 20)

    with pytest.raises(ResultTooLargeError, match="1 MiB"):
        data_api.query("SELECT id, note FROM everything ORDER BY id")
    rows = data_api.query("SELECT id, note FROM everything ORDER BY id LIMIT 10")

    assert len(rows) == 10


def test_access_error_names_the_cluster_when_its_data_api_is_off(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()
    data_api.target = dataclasses.replace(data_api.target, cluster_arn=DISABLED_CLUSTER_ARN)

    with pytest.raises(DataApiAccessError, match=f"not enabled on cluster {DISABLED_CLUSTER_ARN}"):
        data_api.query("SELECT 1")


def test_access_error_names_the_secret_when_it_cannot_be_read(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()
    missing = "arn:aws:secretsmanager:us-east-1:123456789012:secret:dbops/missing-AbCdEf"
    data_api.target = dataclasses.replace(data_api.target, secret_arn=missing)

    with pytest.raises(DataApiAccessError, match=f"cannot read secret {missing}") as raised:
        data_api.query("SELECT 1")

    assert cluster.mariadb.password not in str(raised.value)


def test_read_succeeds_when_the_cluster_resumes_after_two_attempts(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()
    cluster.api.resuming(times=2)

    rows = data_api.query("SELECT 1 AS one")

    assert rows == [{"one": 1}]
    assert cluster.api.calls == ["Execute"] * 3


def test_read_fails_unavailable_when_the_cluster_resumes_past_the_budget(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()
    cluster.api.resuming(times=50)

    with pytest.raises(DataApiUnavailableError, match="still resuming"):
        data_api.query("SELECT 1 AS one")


def test_write_is_sent_once_when_the_service_times_out_after_it(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()
    cluster.api.inject(DataApiServiceError("DatabaseUnavailableException", 504))

    with pytest.raises(DataApiWriteOutcomeUnknownError):
        data_api.execute("INSERT INTO accounts (id, name) VALUES (1, 'once')", reads=False)

    assert cluster.api.calls == ["Execute"]  # neither botocore nor the client sent it again


def test_write_runs_once_when_the_cluster_was_resuming(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()
    cluster.api.resuming(times=1)

    data_api.execute("INSERT INTO accounts (id, name) VALUES (1, 'once')", reads=False)

    assert cluster.rows("SELECT id, name FROM accounts") == [(1, "once")]
    assert cluster.api.calls == ["Execute", "Execute"]


def test_run_in_transaction_runs_again_when_the_first_attempt_is_rolled_back(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()
    attempts: list[int] = []

    def work(transaction):  # type: ignore[no-untyped-def]
        attempts.append(1)
        transaction.execute("INSERT INTO accounts (id, name) VALUES (1, 'once')")
        if len(attempts) == 1:
            cluster.api.inject(DataApiServiceError("DatabaseUnavailableException", 504))
        transaction.execute("UPDATE accounts SET balance = 10 WHERE id = 1")
        return "done"

    assert data_api.run_in_transaction(work) == "done"

    assert len(attempts) == 2
    assert cluster.rows("SELECT id, balance FROM accounts") == [(1, decimal.Decimal("10.00"))]


def test_unknown_database_is_an_access_error_when_named_in_settings(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()
    data_api.target = dataclasses.replace(data_api.target, database="no_such_db")

    with pytest.raises(DataApiAccessError, match="database 'no_such_db' does not exist"):
        data_api.query("SELECT 1")


def test_array_parameter_is_refused_by_the_service_when_sent_raw(cluster: LocalCluster) -> None:
    client = cluster.client()

    with pytest.raises(client.exceptions.BadRequestException, match="Array parameters"):
        client.execute_statement(
            resourceArn="arn:aws:rds:us-east-1:123456789012:cluster:dbops-local",
            secretArn=cluster.secret_arn,
            sql="SELECT :ids",
            parameters=[{"name": "ids", "value": {"arrayValue": {"longValues": [1, 2]}}}],
        )


def test_data_api_error_is_raised_when_a_parameter_is_missing(cluster: LocalCluster) -> None:
    data_api = cluster.data_api()

    with pytest.raises(DataApiError, match="No value specified for parameter :missing"):
        data_api.query("SELECT :missing AS m")
