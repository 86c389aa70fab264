"""The retry policy, the error mapping and batch chunking: pure decisions, no service."""

from __future__ import annotations

import random

import pytest

from dbops.data_api import batching, failures, retrying
from dbops.data_api.retrying import Verdict
from dbops.errors import (
    DataApiAccessError,
    DataApiError,
    ResultTooLargeError,
    SqlConflictError,
    SqlStatementError,
    SqlTransactionRollbackError,
    TransactionNotFoundError,
)

CONTEXT = failures.Context(
    operation="ExecuteStatement",
    cluster_arn="arn:aws:rds:us-east-1:1:cluster:c",
    secret_arn="arn:aws:secretsmanager:us-east-1:1:secret:s",
    database="app",
)


@pytest.mark.parametrize("code", ["DatabaseResumingException", "ThrottlingException", "TooManyRequestsException"])
@pytest.mark.parametrize("repeatable", [True, False])
def test_call_is_retried_when_the_service_says_it_never_ran(code: str, repeatable: bool) -> None:
    assert retrying.classify(code, "", repeatable=repeatable) is Verdict.RETRY


def test_call_is_retried_when_an_older_cluster_reports_a_resume_as_a_link_failure() -> None:
    message = "Communications link failure\n\nThe last packet sent successfully to the server was 0 ms ago."

    assert retrying.classify("BadRequestException", message, repeatable=False) is Verdict.RETRY


@pytest.mark.parametrize(
    "code", ["DatabaseUnavailableException", "StatementTimeoutException", "InternalServerErrorException"]
)
def test_write_is_not_retried_when_its_outcome_is_unknown(code: str) -> None:
    assert retrying.classify(code, "", repeatable=False) is Verdict.OUTCOME_UNKNOWN
    assert retrying.classify(code, "", repeatable=True) is Verdict.RETRY


@pytest.mark.parametrize("code", ["DatabaseErrorException", "BadRequestException", "AccessDeniedException"])
def test_call_fails_at_once_when_the_error_is_not_transient(code: str) -> None:
    assert retrying.classify(code, "Database error code: 1062.", repeatable=True) is Verdict.FAIL


def test_transport_failure_is_retried_only_when_the_request_never_left() -> None:
    assert retrying.classify_transport("EndpointConnectionError", repeatable=False) is Verdict.RETRY
    assert retrying.classify_transport("ReadTimeoutError", repeatable=False) is Verdict.OUTCOME_UNKNOWN
    assert retrying.classify_transport("ReadTimeoutError", repeatable=True) is Verdict.RETRY


def test_delays_grow_within_the_cap_when_retries_continue() -> None:
    policy = retrying.RetryPolicy(base_seconds=0.5, cap_seconds=4.0, max_attempts=8)

    delays = list(policy.delays(random.Random(1)))

    assert len(delays) == 7
    assert all(0.25 <= delay <= 4.0 for delay in delays)
    assert max(delays[:2]) <= 1.0


def test_budget_stays_under_the_lambdas_remaining_time_when_it_is_short() -> None:
    policy = retrying.RetryPolicy(budget_seconds=25, reserve_seconds=3)

    assert policy.budget(None) == 25
    assert policy.budget(10.0) == 7.0
    assert policy.budget(1.0) == 0.0


@pytest.mark.parametrize(
    ("message", "error_type", "sqlstate"),
    [
        (
            "Database error code: 1062. Message: Duplicate entry 'secret@example.com' for key 'email'",
            SqlConflictError,
            "23000",
        ),
        ("Database error code: 1213. Message: Deadlock found", SqlTransactionRollbackError, "40001"),
        ("Database error code: 1146. Message: Table 'x' doesn't exist", SqlStatementError, "42S02"),
        (
            'ERROR: duplicate key value violates unique constraint "k"; SQLState: 23505',
            SqlConflictError,
            "23505",
        ),
    ],
)
def test_sql_error_is_named_by_its_sqlstate_when_the_database_refuses(
    message: str, error_type: type[SqlStatementError], sqlstate: str
) -> None:
    error = failures.named_error("DatabaseErrorException", message, CONTEXT)

    assert type(error) is error_type
    assert isinstance(error, SqlStatementError)
    assert error.sqlstate == sqlstate
    assert "secret@example.com" not in str(error)


def test_endpoint_error_says_to_enable_the_data_api_when_it_is_off() -> None:
    error = failures.named_error("HttpEndpointNotEnabledException", "", CONTEXT)

    assert isinstance(error, DataApiAccessError)
    assert str(error).startswith("the Data API is not enabled on cluster arn:aws:rds:us-east-1:1:cluster:c")


def test_secret_error_names_the_secret_when_it_cannot_be_read() -> None:
    error = failures.named_error("SecretsErrorException", "", CONTEXT)

    assert isinstance(error, DataApiAccessError)
    assert "cannot read secret arn:aws:secretsmanager:us-east-1:1:secret:s" in str(error)


def test_size_limit_error_says_to_page_when_the_result_is_over_1_mib() -> None:
    message = "Database returned more than the allowed response size limit"

    assert isinstance(failures.named_error("BadRequestException", message, CONTEXT), ResultTooLargeError)


def test_transaction_error_says_it_expired_when_the_service_no_longer_knows_it() -> None:
    error = failures.named_error("TransactionNotFoundException", "Transaction abc is not found", CONTEXT)

    assert isinstance(error, TransactionNotFoundError)
    assert "3 minutes" in str(error)


def _set(size: int) -> list[dict[str, object]]:
    return [{"name": "b", "value": {"blobValue": b"x" * size}}]


def test_batch_is_split_by_bytes_when_sets_are_large() -> None:
    sets = [_set(1_000_000) for _ in range(7)]  # ~1.33 MB each in base64

    groups = list(batching.chunks(sets, base_size=500))  # type: ignore[arg-type]

    assert [len(group) for group in groups] == [3, 3, 1]
    assert all(batching.request_size({"parameterSets": group}) < batching.REQUEST_LIMIT_BYTES for group in groups)


def test_batch_is_split_by_count_when_sets_are_small() -> None:
    sets = [_set(1) for _ in range(2_500)]

    assert [len(group) for group in batching.chunks(sets, base_size=500)] == [1_000, 1_000, 500]  # type: ignore[arg-type]


def test_batch_is_refused_when_one_set_exceeds_a_request() -> None:
    with pytest.raises(DataApiError, match="parameter set 1 is"):
        list(batching.chunks([_set(1), _set(4_000_000)], base_size=500))  # type: ignore[arg-type]
