"""The suite's named errors. Handlers map them to HTTP statuses or let the trigger retry."""

from __future__ import annotations


class DbopsError(Exception):
    """Base of every error dbops raises on purpose."""


class ConfigurationError(DbopsError):
    """An environment variable is missing or malformed: the deployment, not the event, must change."""


class SnapshotQuotaError(DbopsError):
    """RDS refuses more snapshot copies for now (SnapshotQuotaExceeded): the next run resumes."""
