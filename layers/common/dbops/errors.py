"""The suite's named errors. Handlers map them to HTTP statuses or let the trigger retry."""

from __future__ import annotations


class DbopsError(Exception):
    """Base of every error dbops raises on purpose."""


class ConfigurationError(DbopsError):
    """An environment variable is missing or malformed: the deployment, not the event, must change."""


class SnapshotQuotaError(DbopsError):
    """RDS refuses more snapshot copies for now (SnapshotQuotaExceeded): the next run resumes."""


# --- rotation ---
class RotationError(DbopsError):
    """A rotation step failed; Secrets Manager retries the rotation. ``failure`` classifies the cause."""

    failure = "other"


class RotationRefusedError(RotationError):
    """The rotation request or the secret is wrong (bad event, rotation off, bad token): nothing changed."""

    failure = "input"


class SecretFormatError(RotationRefusedError):
    """A secret's JSON lacks a field or holds an invalid one; the message names the field, never the value."""


class PendingSecretMismatchError(RotationRefusedError):
    """The pending secret names another server or user than the current one: a tampered version is refused."""


class MasterSecretError(RotationRefusedError):
    """Alternating users needs the master secret ``masterarn`` names, and it is missing or unreadable."""


class DatabaseAccessError(RotationError):
    """The database refused or failed an operation; ``failure``: network, authentication, tls, privilege."""

    def __init__(self, message: str, *, failure: str) -> None:
        super().__init__(message)
        self.failure = failure


class RotationTimeBudgetError(RotationError):
    """Too little of the invocation's time is left to start another database call safely."""

    failure = "timeout"


# --- proxy_queries (dbops.queries; the Data API reuses them) ---


class CatalogueError(ConfigurationError):
    """The query catalogue is malformed: the message names the entry and what to fix."""


class QueryRequestError(DbopsError):
    """A query request is malformed (HTTP 400): the message says what a valid one looks like."""


class InvalidParameterError(QueryRequestError):
    """A parameter is missing, unknown or not of its declared type (HTTP 400)."""

    def __init__(self, message: str, *, query: str, parameter: str, expected: str | None = None) -> None:
        super().__init__(message)
        self.query = query
        self.parameter = parameter
        self.expected = expected


class InvalidCursorError(QueryRequestError):
    """A pagination cursor is malformed or belongs to another query or other parameters (HTTP 400)."""


class UnknownQueryError(DbopsError):
    """No query of that name in the catalogue (HTTP 404)."""

    def __init__(self, query: str) -> None:
        super().__init__(f"no query named {query!r} in the catalogue: GET /queries lists them")
        self.query = query


class DatabaseUnavailableError(DbopsError):
    """The database (or its proxy) cannot be reached or lost the connection (HTTP 503, retry later)."""

    def __init__(self, message: str, *, retry_after: int = 2) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class WriteOutcomeUnknownError(DatabaseUnavailableError):
    """The connection was lost while a write ran: it may or may not have been applied, so it is not retried."""


class QueryConflictError(DbopsError):
    """A write broke a constraint (duplicate key, foreign key) (HTTP 409)."""


class QueryFailedError(DbopsError):
    """The database refused a catalogue query for another reason (HTTP 500); details only in the logs."""


# --- data_api (dbops.aws.data_api, dbops.data_api): built on the query errors above, so they map alike ---


class DataApiError(DbopsError):
    """The RDS Data API refused or failed a call; ``code`` is its error type when it gave one."""

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class DataApiAccessError(ConfigurationError):
    """The function cannot use the cluster: Data API off, secret unreadable, no permission, no database."""


class UnsupportedParameterError(DataApiError, TypeError):
    """A parameter's Python type has no Data API form: the message names the parameter and its type."""


class DataApiUnavailableError(DatabaseUnavailableError):
    """The cluster stayed unavailable (resuming, throttled, timing out) for the whole retry budget (HTTP 503)."""

    def __init__(self, message: str, *, code: str | None = None, retry_after: int = 5) -> None:
        super().__init__(message, retry_after=retry_after)
        self.code = code


class DataApiWriteOutcomeUnknownError(DataApiUnavailableError, WriteOutcomeUnknownError):
    """A write outside a transaction failed in a way that may have applied it: it is not retried blindly."""


class TransactionNotFoundError(DataApiError):
    """The Data API no longer knows the transaction: it ended, or expired after 3 minutes idle."""


class ResultTooLargeError(DataApiError):
    """The result exceeds the Data API's 1 MiB response limit: fetch it in smaller pages."""


class SqlStatementError(QueryFailedError):
    """The database refused a statement (HTTP 500); ``sqlstate`` and ``error_code`` say why, in the logs."""

    def __init__(
        self, message: str, *, code: str | None = None, sqlstate: str | None = None, error_code: int | None = None
    ) -> None:
        super().__init__(message)
        self.code = code
        self.sqlstate = sqlstate
        self.error_code = error_code


class SqlConflictError(SqlStatementError, QueryConflictError):
    """A write broke a constraint (SQLSTATE class 23: duplicate key, foreign key, NOT NULL) (HTTP 409)."""


class SqlDataError(SqlStatementError):
    """The database refused a value (SQLSTATE class 22: out of range, too long, malformed date)."""


class SqlTransactionRollbackError(SqlStatementError, DatabaseUnavailableError):
    """The database rolled the transaction back (SQLSTATE class 40: deadlock): run it again (HTTP 503)."""


class MalformedRecordError(DbopsError):
    """A stream record is not what DynamoDB Streams delivers: it can never be archived as it is."""


class MissingOldImageError(MalformedRecordError):
    """A TTL deletion came without its old image: the stream's view type must include OLD_IMAGE."""


class ArchiveWriteError(DbopsError):
    """Writing or announcing an archive object failed: the records from the first failed one are retried."""


class EarlierRecordFailedError(DbopsError):
    """A stream record waits for an earlier record of its shard that failed: both are retried in order."""


class RedriveError(DbopsError):
    """A failed stream range could not be read back or archived: the message stays in the failure queue."""
