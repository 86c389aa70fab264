"""What the snapshot copy reasons about: sources, snapshots and the run's report."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Mapping
    from datetime import datetime

# Tags that mark a copy as ours: the policy that made it and the snapshot it was copied from.
POLICY_TAG = "dbops:snapshot-copy:policy"
SOURCE_TAG = "dbops:snapshot-copy:source"
SHARED_TAG = "dbops:snapshot-copy:shared"
OUR_TAG_KEYS = frozenset({POLICY_TAG, SOURCE_TAG, SHARED_TAG})

# Statuses of a snapshot RDS is still making (a copy in flight counts against the in-progress cap).
IN_PROGRESS_STATUSES = frozenset({"creating", "pending", "copying"})


class Kind(StrEnum):
    """What a source is: a DB instance (DB snapshots) or an Aurora cluster (cluster snapshots)."""

    INSTANCE = "instance"
    CLUSTER = "cluster"


@dataclass(frozen=True)
class Source:
    """A DB instance or Aurora cluster whose snapshots may be copied."""

    kind: Kind
    identifier: str
    tags: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Snapshot:
    """A DB snapshot or DB cluster snapshot, as far as copying and pruning need it."""

    kind: Kind
    identifier: str
    arn: str
    source_identifier: str
    status: str
    snapshot_type: str
    created: datetime | None
    encrypted: bool
    tags: Mapping[str, str] = field(default_factory=dict)
    original_created: datetime | None = None
    option_group: str | None = None
    copied_from: str | None = None

    @property
    def available(self) -> bool:
        """Whether RDS has finished making it."""
        return self.status == "available"

    @property
    def in_progress(self) -> bool:
        """Whether RDS is still making it."""
        return self.status in IN_PROGRESS_STATUSES

    @property
    def recovery_point(self) -> datetime | None:
        """When the data in it was captured: the original snapshot's time for a copy."""
        return self.original_created or self.created


@dataclass
class Report:
    """What one run did (or, in dry-run, would do), for the response, the logs and the summary topic."""

    dry_run: bool
    copied: list[dict[str, str]] = field(default_factory=list)
    already_copied: list[str] = field(default_factory=list)
    deferred: list[str] = field(default_factory=list)
    refused: list[dict[str, str]] = field(default_factory=list)
    without_snapshot: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    shared: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        """Whether the run copied, deleted or shared anything (or would have, in dry-run)."""
        return bool(self.copied or self.deleted or self.shared)

    @property
    def worth_reporting(self) -> bool:
        """Whether an operator would want to read this run's summary."""
        return self.changed_anything or bool(self.deferred or self.refused or self.stale)

    def as_dict(self) -> dict[str, Any]:
        """The report as plain data."""
        return {
            "dry_run": self.dry_run,
            "copied": self.copied,
            "already_copied": self.already_copied,
            "deferred": self.deferred,
            "refused": self.refused,
            "without_snapshot": self.without_snapshot,
            "deleted": self.deleted,
            "shared": self.shared,
            "stale": self.stale,
        }
