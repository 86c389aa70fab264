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
