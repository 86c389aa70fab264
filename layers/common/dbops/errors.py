"""The suite's named errors. Handlers map them to HTTP statuses or let the trigger retry."""

from __future__ import annotations


class DbopsError(Exception):
    """Base of every error dbops raises on purpose."""


class ConfigurationError(DbopsError):
    """An environment variable is missing or malformed: the deployment, not the event, must change."""


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
