"""The client's retries with injected Data API errors (Stubber): reads survive resumes, writes never rerun."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.stub import ANY, Stubber

from dbops.aws import clients
from dbops.aws.data_api import DataApi, Target
from dbops.data_api.retrying import RetryPolicy
from dbops.errors import (
    DataApiUnavailableError,
    DataApiWriteOutcomeUnknownError,
    SqlConflictError,
    TransactionNotFoundError,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

CLUSTER = "arn:aws:rds:us-east-1:123456789012:cluster:app"
SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:app-AbCdEf"
TARGET = Target(cluster_arn=CLUSTER, secret_arn=SECRET, database="app")
ONE_ROW = {
    "records": [[{"longValue": 1}]],
    "columnMetadata": [{"name": "n", "label": "n", "typeName": "INT"}],
    "numberOfRecordsUpdated": 0,
}
READ = {
    "resourceArn": CLUSTER,
    "secretArn": SECRET,
    "database": "app",
    "sql": "SELECT 1 AS n",
    "includeResultMetadata": True,
}
WRITE = {
    "resourceArn": CLUSTER,
    "secretArn": SECRET,
    "database": "app",
    "sql": "INSERT INTO t (id) VALUES (:id)",
    "includeResultMetadata": True,
    "parameters": [{"name": "id", "value": {"longValue": 1}}],
}


class FakeClock:
    """Time that moves only when the client sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def stubbed() -> Iterator[tuple[Any, Stubber]]:
    client = boto3.client("rds-data", config=clients.DATA_API_CONFIG)
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def _data_api(client: Any, clock: FakeClock, **options: Any) -> DataApi:
    return DataApi(TARGET, client=client, sleep=clock.sleep, clock=clock, **options)


def _error(
    stubber: Stubber, operation: str, code: str, status: int = 400, params: Any = None, message: str = ""
) -> None:
    stubber.add_client_error(
        operation,
        service_error_code=code,
        service_message=message or code,
        http_status_code=status,
        expected_params=params,
    )


def test_read_succeeds_when_the_cluster_resumes_after_two_attempts(stubbed, clock) -> None:
    client, stubber = stubbed
    _error(stubber, "execute_statement", "DatabaseResumingException", params=READ)
    _error(stubber, "execute_statement", "DatabaseResumingException", params=READ)
    stubber.add_response("execute_statement", ONE_ROW, READ)

    rows = _data_api(client, clock).query("SELECT 1 AS n")

    assert rows == [{"n": 1}]
    assert len(clock.sleeps) == 2


def test_read_succeeds_when_throttled_once(stubbed, clock) -> None:
    client, stubber = stubbed
    _error(stubber, "execute_statement", "ThrottlingException", status=429)
    stubber.add_response("execute_statement", ONE_ROW, READ)

    assert _data_api(client, clock).query("SELECT 1 AS n") == [{"n": 1}]


def test_read_is_retried_when_it_timed_out(stubbed, clock) -> None:
    client, stubber = stubbed
    _error(stubber, "execute_statement", "StatementTimeoutException")
    stubber.add_response("execute_statement", ONE_ROW, READ)

    assert _data_api(client, clock).query("SELECT 1 AS n") == [{"n": 1}]


def test_write_is_sent_once_when_it_timed_out(stubbed, clock) -> None:
    client, stubber = stubbed
    _error(stubber, "execute_statement", "StatementTimeoutException", params=WRITE)

    with pytest.raises(DataApiWriteOutcomeUnknownError, match="not repeated"):
        _data_api(client, clock).execute("INSERT INTO t (id) VALUES (:id)", {"id": 1}, reads=False)

    assert clock.sleeps == []


def test_write_is_sent_once_when_the_database_was_unavailable(stubbed, clock) -> None:
    client, stubber = stubbed
    _error(stubber, "execute_statement", "DatabaseUnavailableException", status=504, params=WRITE)

    with pytest.raises(DataApiWriteOutcomeUnknownError):
        _data_api(client, clock).execute("INSERT INTO t (id) VALUES (:id)", {"id": 1}, reads=False)


def test_write_runs_once_when_the_cluster_was_resuming(stubbed, clock) -> None:
    client, stubber = stubbed
    _error(stubber, "execute_statement", "DatabaseResumingException", params=WRITE)
    stubber.add_response("execute_statement", {"numberOfRecordsUpdated": 1}, WRITE)

    result = _data_api(client, clock).execute("INSERT INTO t (id) VALUES (:id)", {"id": 1}, reads=False)

    assert result.affected == 1


def test_read_fails_unavailable_when_resuming_outlasts_the_budget(stubbed, clock) -> None:
    client, stubber = stubbed
    # Waits of exactly 1 s (the jitter's range collapses when the cap is half the base): 15 waits, 16 calls.
    policy = RetryPolicy(budget_seconds=15, base_seconds=2, cap_seconds=1, max_attempts=50)
    for _ in range(16):
        _error(stubber, "execute_statement", "DatabaseResumingException")

    with pytest.raises(DataApiUnavailableError, match="still resuming") as raised:
        _data_api(client, clock, policy=policy).query("SELECT 1 AS n")

    assert clock.sleeps == [1.0] * 15
    assert raised.value.retry_after == 10


def test_retries_stop_before_the_lambda_runs_out_when_it_has_little_time_left(stubbed, clock) -> None:
    client, stubber = stubbed
    policy = RetryPolicy(budget_seconds=25, base_seconds=2, cap_seconds=1, reserve_seconds=3)
    for _ in range(3):
        _error(stubber, "execute_statement", "DatabaseResumingException")

    with pytest.raises(DataApiUnavailableError):
        _data_api(client, clock, policy=policy, remaining_seconds=lambda: 5.0).query("SELECT 1 AS n")

    assert clock.sleeps == [1.0, 1.0]  # 5 s left, 3 kept back: 2 s of waiting


def test_schema_and_continue_after_timeout_are_never_sent_when_not_asked(stubbed, clock) -> None:
    client, stubber = stubbed
    stubber.add_response("execute_statement", ONE_ROW, READ)  # exact parameters: no schema, no continueAfterTimeout

    _data_api(client, clock).query("SELECT 1 AS n")


def test_transaction_is_run_again_when_a_write_inside_has_an_unknown_outcome(stubbed, clock) -> None:
    client, stubber = stubbed
    begin = {"resourceArn": CLUSTER, "secretArn": SECRET, "database": "app"}
    end = {"resourceArn": CLUSTER, "secretArn": SECRET, "transactionId": ANY}
    stubber.add_response("begin_transaction", {"transactionId": "t1"}, begin)
    _error(stubber, "execute_statement", "DatabaseUnavailableException", status=504)
    stubber.add_response("rollback_transaction", {"transactionStatus": "Rollback Complete"}, end)
    stubber.add_response("begin_transaction", {"transactionId": "t2"}, begin)
    stubber.add_response("execute_statement", {"numberOfRecordsUpdated": 1}, {**WRITE, "transactionId": "t2"})
    stubber.add_response("commit_transaction", {"transactionStatus": "Transaction Committed"}, end)

    affected = _data_api(client, clock).run_in_transaction(
        lambda transaction: transaction.execute("INSERT INTO t (id) VALUES (:id)", {"id": 1}).affected
    )

    assert affected == 1


def test_commit_is_never_sent_again_when_its_outcome_is_unknown(stubbed, clock) -> None:
    client, stubber = stubbed
    stubber.add_response("begin_transaction", {"transactionId": "t1"})
    stubber.add_response("execute_statement", {"numberOfRecordsUpdated": 1})
    _error(stubber, "commit_transaction", "DatabaseUnavailableException", status=504)

    with pytest.raises(DataApiWriteOutcomeUnknownError, match="CommitTransaction"):
        _data_api(client, clock).run_in_transaction(
            lambda transaction: transaction.execute("INSERT INTO t (id) VALUES (:id)", {"id": 1})
        )


def test_conflict_is_not_retried_when_the_database_refuses_a_duplicate(stubbed, clock) -> None:
    client, stubber = stubbed
    message = "Database error code: 1062. Message: Duplicate entry '1' for key 'PRIMARY'"
    _error(stubber, "execute_statement", "DatabaseErrorException", params=WRITE, message=message)

    with pytest.raises(SqlConflictError):
        _data_api(client, clock).execute("INSERT INTO t (id) VALUES (:id)", {"id": 1}, reads=False)


def test_transaction_refuses_a_call_when_idle_past_the_services_expiry(stubbed, clock) -> None:
    client, stubber = stubbed
    stubber.add_response("begin_transaction", {"transactionId": "t1"})
    stubber.add_response("rollback_transaction", {"transactionStatus": "Rollback Complete"})
    data_api = _data_api(client, clock)

    def idle_then_write() -> None:
        with data_api.transaction() as transaction:
            clock.now += 200
            transaction.execute("INSERT INTO t (id) VALUES (1)")

    with pytest.raises(TransactionNotFoundError, match="idle 200 s"):
        idle_then_write()


def test_botocore_retries_are_off_when_the_factory_makes_the_client() -> None:
    client = clients.rds_data()

    assert client.meta.config.retries == {"mode": "standard", "total_max_attempts": 1}
