"""The suite's named errors. Handlers map them to HTTP statuses or let the trigger retry."""

from __future__ import annotations


class DbopsError(Exception):
    """Base of every error dbops raises on purpose."""


class ConfigurationError(DbopsError):
    """An environment variable is missing or malformed: the deployment, not the event, must change."""


# --- data_api (dbops.aws.data_api, dbops.data_api) ---


class DataApiError(DbopsError):
    """The RDS Data API refused or failed a call; ``code`` is its error type when it gave one."""

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.code = code


class DataApiAccessError(ConfigurationError):
    """The function cannot use the cluster: Data API off, secret unreadable, no permission, no database."""


class UnsupportedParameterError(DataApiError, TypeError):
    """A parameter's Python type has no Data API form: the message names the parameter and its type."""


class DataApiUnavailableError(DataApiError):
    """The cluster stayed unavailable (resuming, throttled, timing out) for the whole retry budget."""

    def __init__(self, message: str, *, code: str | None = None, retry_after: int = 5) -> None:
        super().__init__(message, code=code)
        self.retry_after = retry_after


class DataApiWriteOutcomeUnknownError(DataApiUnavailableError):
    """A write outside a transaction failed in a way that may have applied it: it is not retried blindly."""


class TransactionNotFoundError(DataApiError):
    """The Data API no longer knows the transaction: it ended, or expired after 3 minutes idle."""


class ResultTooLargeError(DataApiError):
    """The result exceeds the Data API's 1 MiB response limit: fetch it in smaller pages."""


class SqlStatementError(DataApiError):
    """The database refused a statement; ``sqlstate`` and ``error_code`` say why (details only in logs)."""

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        sqlstate: str | None = None,
        error_code: int | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.sqlstate = sqlstate
        self.error_code = error_code


class SqlConflictError(SqlStatementError):
    """A write broke a constraint (SQLSTATE class 23: duplicate key, foreign key, NOT NULL)."""


class SqlDataError(SqlStatementError):
    """The database refused a value (SQLSTATE class 22: out of range, too long, malformed date)."""


class SqlTransactionRollbackError(SqlStatementError):
    """The database rolled the transaction back (SQLSTATE class 40: deadlock): run it again."""
