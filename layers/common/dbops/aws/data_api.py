"""The RDS Data API client: typed parameters, decoded rows, transactions, byte-chunked batches, owned retries.

Every call goes through one loop that applies ``dbops.data_api.retrying`` (botocore's own retries are off for
rds-data: see ``clients.rds_data``) and maps the Data API's errors to the suite's named errors
(``dbops.data_api.failures``). The deprecated ``schema`` is never sent; ``continueAfterTimeout`` only when
asked.

Reads return typed records with columnMetadata by default, decoded to real Python types. ``formatRecordsAs=JSON``
is about 12 times faster to receive and decode for large results (benchmarks/data_api) and allows 10 MB
instead of 1 MiB, but the Data API sends no columnMetadata with it, so its rows keep JSON-native values (DECIMAL
and dates as text): ask for it (``records_format="JSON"``) where that fits, such as bulk exports to JSON.
"""

from __future__ import annotations

import copy
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from botocore.exceptions import BotoCoreError, ClientError

from dbops.aws import clients
from dbops.data_api import batching, failures, retrying, values
from dbops.errors import (
    DataApiError,
    DataApiUnavailableError,
    DataApiWriteOutcomeUnknownError,
    DbopsError,
    SqlTransactionRollbackError,
    TransactionNotFoundError,
)
from dbops.observability import logger

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence

    from mypy_boto3_rds_data import RDSDataServiceClient
    from mypy_boto3_rds_data.type_defs import SqlParameterTypeDef

# The Data API ends a transaction idle this long; ours refuses calls a little before rather than race it.
TRANSACTION_IDLE_EXPIRY_SECONDS = 180.0
TRANSACTION_IDLE_MARGIN_SECONDS = 5.0

type RecordsFormat = Literal["JSON", "NONE"]


@dataclass(frozen=True)
class Target:
    """The cluster, the secret holding the database login, and the default database."""

    cluster_arn: str
    secret_arn: str
    database: str | None = None


@dataclass(frozen=True)
class StatementResult:
    """What one statement returned: its rows, the rows it changed, and any generated keys."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    affected: int = 0
    generated: list[Any] = field(default_factory=list)


@dataclass(frozen=True)
class BatchResult:
    """What a batch did: how many parameter sets ran, in how many calls, and their generated keys."""

    sets: int
    calls: int
    generated: list[list[Any]] = field(default_factory=list)


class DataApi:
    """Run SQL on one Aurora cluster through the RDS Data API."""

    def __init__(
        self,
        target: Target,
        *,
        client: RDSDataServiceClient | None = None,
        policy: retrying.RetryPolicy | None = None,
        remaining_seconds: Callable[[], float] | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        records_format: RecordsFormat = "NONE",
    ) -> None:
        self.target = target
        self._client = client or clients.rds_data()
        self._policy = policy or retrying.RetryPolicy()
        self._remaining_seconds = remaining_seconds
        self._sleep = sleep
        self._clock = clock
        self._records_format = records_format

    def within(self, remaining_seconds: Callable[[], float]) -> DataApi:
        """This client with its retries bounded by ``remaining_seconds`` (the Lambda's time left)."""
        bounded = copy.copy(self)
        bounded._remaining_seconds = remaining_seconds
        return bounded

    def execute(
        self,
        sql: str,
        params: Mapping[str, Any] | None = None,
        *,
        reads: bool,
        transaction: Transaction | None = None,
        continue_after_timeout: bool = False,
        records_format: RecordsFormat | None = None,
    ) -> StatementResult:
        """Run one statement with ``:name`` parameters; ``reads``: it changes nothing, so it may be retried.

        Raises UnsupportedParameterError, SqlStatementError (and its kinds), DataApiAccessError,
        DataApiUnavailableError, DataApiWriteOutcomeUnknownError, TransactionNotFoundError.
        """
        request: dict[str, Any] = {**self._base(), "sql": sql, "includeResultMetadata": True}
        if params:
            request["parameters"] = values.parameters(params)
        if (records_format or self._records_format) == "JSON":
            request["formatRecordsAs"] = "JSON"
            del request["includeResultMetadata"]  # the Data API sends none with JSON records
        if continue_after_timeout:
            request["continueAfterTimeout"] = True
        if transaction is not None:
            with transaction.use() as transaction_id:
                request["transactionId"] = transaction_id
                response = self._call("ExecuteStatement", request, repeatable=reads)
        else:
            response = self._call("ExecuteStatement", request, repeatable=reads)
        return _statement_result(response)

    def query(
        self, sql: str, params: Mapping[str, Any] | None = None, *, records_format: RecordsFormat | None = None
    ) -> list[dict[str, Any]]:
        """Run a read and return its rows."""
        return self.execute(sql, params, reads=True, records_format=records_format).rows

    def batch(
        self,
        sql: str,
        parameter_sets: Sequence[Mapping[str, Any]],
        *,
        transaction: Transaction | None = None,
    ) -> BatchResult:
        """Run one write per parameter set, in as few calls as the 4 MiB request cap allows, all or nothing.

        Without ``transaction`` the batch runs in one of its own, so a failure in any call leaves nothing.
        """
        encoded = [values.parameters(parameter_set) for parameter_set in parameter_sets]
        if not encoded:
            return BatchResult(sets=0, calls=0)
        base = {**self._base(), "sql": sql, "transactionId": "x" * 192}
        groups = list(batching.chunks(encoded, base_size=batching.request_size(base)))
        if transaction is None:
            with self.transaction() as own:
                return self._batch(sql, groups, own)
        return self._batch(sql, groups, transaction)

    def _batch(self, sql: str, groups: list[list[list[SqlParameterTypeDef]]], transaction: Transaction) -> BatchResult:
        generated: list[list[Any]] = []
        for group in groups:
            with transaction.use() as transaction_id:
                response = self._call(
                    "BatchExecuteStatement",
                    {**self._base(), "sql": sql, "parameterSets": group, "transactionId": transaction_id},
                    repeatable=False,
                )
            generated.extend(
                [values.decode_field(item) for item in result.get("generatedFields", [])]
                for result in response.get("updateResults", [])
            )
        return BatchResult(sets=sum(len(group) for group in groups), calls=len(groups), generated=generated)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Begin a transaction; commit when the block ends, roll back when it raises anything."""
        response = self._call("BeginTransaction", self._base(), repeatable=True)
        transaction = Transaction(self, response["transactionId"], clock=self._clock)
        try:
            yield transaction
        except BaseException:
            transaction.rollback()
            raise
        transaction.commit()

    def run_in_transaction[T](self, work: Callable[[Transaction], T], *, attempts: int = 3) -> T:
        """Run ``work`` in a transaction, again from the start when it was rolled back for a transient reason.

        A transient failure inside the transaction (an unknown-outcome error, a deadlock) rolls it back, so
        running it again cannot apply anything twice; a failed commit is never re-run (outcome unknown).
        """
        for attempt in range(1, attempts + 1):
            response = self._call("BeginTransaction", self._base(), repeatable=True)
            transaction = Transaction(self, response["transactionId"], clock=self._clock)
            try:
                result = work(transaction)
            except (DataApiWriteOutcomeUnknownError, SqlTransactionRollbackError) as error:
                transaction.rollback()
                if attempt == attempts:
                    raise
                logger.warning("transaction rolled back, running it again", attempt=attempt, code=error.code)
                continue
            except BaseException:
                transaction.rollback()
                raise
            transaction.commit()
            return result
        raise AssertionError("unreachable")  # pragma: no cover

    def _commit(self, transaction_id: str) -> None:
        self._call("CommitTransaction", {**self._credentials(), "transactionId": transaction_id}, repeatable=False)

    def _rollback(self, transaction_id: str) -> None:
        self._call("RollbackTransaction", {**self._credentials(), "transactionId": transaction_id}, repeatable=True)

    def _credentials(self) -> dict[str, Any]:
        return {"resourceArn": self.target.cluster_arn, "secretArn": self.target.secret_arn}

    def _base(self) -> dict[str, Any]:
        request = self._credentials()
        if self.target.database:
            request["database"] = self.target.database
        return request

    def _call(self, operation: str, request: dict[str, Any], *, repeatable: bool) -> dict[str, Any]:
        """Send one call under the retry policy; return its response or raise the named error."""
        method = getattr(self._client, _METHODS[operation])
        remaining = self._remaining_seconds() if self._remaining_seconds else None
        deadline = self._clock() + self._policy.budget(remaining)
        delays = self._policy.delays()
        attempt = 0
        while True:
            attempt += 1
            try:
                response: dict[str, Any] = method(**request)
                return response
            except ClientError as error:
                code = error.response.get("Error", {}).get("Code", "")
                message = str(error.response.get("Error", {}).get("Message", "") or "")
                verdict = retrying.classify(code, message, repeatable=repeatable)
                cause: Exception = error
            except BotoCoreError as error:
                code, message = type(error).__name__, ""
                verdict = retrying.classify_transport(code, repeatable=repeatable)
                cause = error
            context = failures.Context(
                operation=operation,
                cluster_arn=self.target.cluster_arn,
                secret_arn=self.target.secret_arn,
                database=self.target.database,
            )
            if verdict is retrying.Verdict.FAIL:
                if isinstance(cause, ClientError):
                    logger.info("data api call refused", operation=operation, code=code, detail=message[:500])
                    raise failures.named_error(code, message, context) from cause
                raise DataApiError(f"the {operation} call failed in transport ({code})", code=code) from cause
            if verdict is retrying.Verdict.OUTCOME_UNKNOWN:
                raise DataApiWriteOutcomeUnknownError(
                    f"the {operation} call failed with {code} after it was sent: the write may or may not "
                    "have been applied, so it was not repeated; check before running it again",
                    code=code,
                ) from cause
            delay = next(delays, None)
            if delay is None or self._clock() + delay > deadline:
                resuming = retrying.is_resuming(code, message)
                raise DataApiUnavailableError(
                    f"cluster {self.target.cluster_arn} "
                    + ("is still resuming from zero capacity" if resuming else f"kept failing with {code}")
                    + f" after {attempt} attempts: retry in a few seconds",
                    code=code,
                    retry_after=10 if resuming else 5,
                ) from cause
            logger.info("data api call will be retried", operation=operation, code=code, attempt=attempt, delay=delay)
            self._sleep(delay)


_METHODS = {
    "ExecuteStatement": "execute_statement",
    "BatchExecuteStatement": "batch_execute_statement",
    "BeginTransaction": "begin_transaction",
    "CommitTransaction": "commit_transaction",
    "RollbackTransaction": "rollback_transaction",
}


class Transaction:
    """An open Data API transaction: its calls are serialised; it knows when the service expires it."""

    def __init__(self, api: DataApi, transaction_id: str, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.id = transaction_id
        self._api = api
        self._lock = threading.Lock()
        self._clock = clock
        self._last_used = clock()
        self.state: Literal["open", "committed", "rolled_back"] = "open"

    def execute(self, sql: str, params: Mapping[str, Any] | None = None, *, reads: bool = False) -> StatementResult:
        """Run one statement in this transaction."""
        return self._api.execute(sql, params, reads=reads, transaction=self)

    def batch(self, sql: str, parameter_sets: Sequence[Mapping[str, Any]]) -> BatchResult:
        """Run one write per parameter set in this transaction."""
        return self._api.batch(sql, parameter_sets, transaction=self)

    @contextmanager
    def use(self) -> Iterator[str]:
        """Hold the transaction for one call: refuse it when ended or about to expire, else yield its id."""
        with self._lock:
            self._check_usable()
            try:
                yield self.id
            finally:
                self._last_used = self._clock()

    def commit(self) -> None:
        """Commit; the transaction is over whatever happens."""
        with self._lock:
            self._check_usable()
            try:
                self._api._commit(self.id)
            finally:
                self.state = "committed"

    def rollback(self) -> None:
        """Roll back (nothing to do when already ended); the transaction is over whatever happens."""
        with self._lock:
            if self.state != "open":
                return
            try:
                self._api._rollback(self.id)
            except DbopsError as error:
                # Never hide the error that caused the rollback: the Data API ends the transaction itself.
                logger.warning("rollback failed; the Data API ends the transaction itself", error=type(error).__name__)
            finally:
                self.state = "rolled_back"

    def _check_usable(self) -> None:
        if self.state != "open":
            raise TransactionNotFoundError(f"the transaction was already {self.state.replace('_', ' ')}")
        idle = self._clock() - self._last_used
        if idle > TRANSACTION_IDLE_EXPIRY_SECONDS - TRANSACTION_IDLE_MARGIN_SECONDS:
            raise TransactionNotFoundError(
                f"the transaction was idle {idle:.0f} s: the Data API ends transactions idle for 3 minutes; "
                "start it again"
            )


def _statement_result(response: Mapping[str, Any]) -> StatementResult:
    metadata = response.get("columnMetadata", [])
    if "formattedRecords" in response:
        rows = values.decode_formatted(response["formattedRecords"])
    elif "records" in response:
        rows = values.decode_records(response["records"], metadata)
    else:
        rows = []
    return StatementResult(
        rows=rows,
        affected=response.get("numberOfRecordsUpdated", 0),
        generated=[values.decode_field(item) for item in response.get("generatedFields", [])],
    )
