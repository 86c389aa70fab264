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
