"""Snapshots and sources for the pure-logic tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dbops.snapshots.model import POLICY_TAG, SOURCE_TAG, Kind, Snapshot
from dbops.snapshots.naming import copy_identifier

NOW = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def automated(source: str, *, hours_ago: float, status: str = "available", kind: Kind = Kind.INSTANCE) -> Snapshot:
    """An automated snapshot of ``source`` taken ``hours_ago``."""
    created = NOW - timedelta(hours=hours_ago)
    identifier = f"rds:{source}-{created:%Y-%m-%d-%H-%M}"
    return Snapshot(
        kind=kind,
        identifier=identifier,
        arn=f"arn:aws:rds:us-east-1:123456789012:snapshot:{identifier}",
        source_identifier=source,
        status=status,
        snapshot_type="automated",
        created=created,
        encrypted=False,
    )


def our_copy(
    source: str,
    *,
    days_ago: float,
    status: str = "available",
    policy: str = "default",
    kind: Kind = Kind.INSTANCE,
) -> Snapshot:
    """A copy this policy made of ``source``'s snapshot, ``days_ago`` days old."""
    original = automated(source, hours_ago=days_ago * 24, kind=kind)
    return Snapshot(
        kind=kind,
        identifier=copy_identifier(original.arn, kind),
        arn=f"arn:aws:rds:us-east-1:123456789012:snapshot:{copy_identifier(original.arn, kind)}",
        source_identifier=source,
        status=status,
        snapshot_type="manual",
        created=original.created if status == "available" else None,
        encrypted=True,
        tags={POLICY_TAG: policy, SOURCE_TAG: original.arn},
        original_created=original.created,
    )
