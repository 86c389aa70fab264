"""Which sources to copy and which of their snapshots: the newest available automated one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dbops.snapshots.model import POLICY_TAG, SOURCE_TAG, Kind, Snapshot, Source
from dbops.snapshots.naming import copy_identifier

if TYPE_CHECKING:
    from collections.abc import Iterable

# Automated snapshots are named rds:<source>-YYYY-MM-DD-HH-MM.
AUTOMATED_SNAPSHOT_ID = re.compile(r"rds:(?P<source>[A-Za-z][A-Za-z0-9-]*)-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Selector:
    """Sources chosen by identifier, name pattern or tag: a source is chosen when any of them matches."""

    identifiers: frozenset[str] = frozenset()
    pattern: re.Pattern[str] | None = None
    tag: tuple[str, str] | None = None

    def matches(self, source: Source) -> bool:
        """Whether ``source`` is one of the sources to copy."""
        if source.identifier.lower() in self.identifiers:
            return True
        if self.pattern is not None and self.pattern.fullmatch(source.identifier):
            return True
        return self.tag is not None and source.tags.get(self.tag[0]) == self.tag[1]


def source_of_automated_snapshot(snapshot_identifier: str) -> str | None:
    """The instance or cluster an automated snapshot identifier names, None when it is not one."""
    match = AUTOMATED_SNAPSHOT_ID.fullmatch(snapshot_identifier)
    return match["source"].lower() if match else None


def newest_available(snapshots: Iterable[Snapshot]) -> dict[str, Snapshot]:
    """The newest available automated snapshot of each source, keyed by source identifier."""
    newest: dict[str, Snapshot] = {}
    for snapshot in snapshots:
        if snapshot.snapshot_type != "automated" or not snapshot.available or snapshot.created is None:
            continue
        current = newest.get(snapshot.source_identifier)
        if current is None or current.created is None or snapshot.created > current.created:
            newest[snapshot.source_identifier] = snapshot
    return newest


def is_our_copy(snapshot: Snapshot, policy: str) -> bool:
    """Whether ``snapshot`` is a copy this policy made: manual, tagged by it, and named as we name copies.

    The name check guards against a snapshot that merely inherited our tags (a copy of a copy made with
    CopyTags), which is not ours to delete.
    """
    source_arn = snapshot.tags.get(SOURCE_TAG)
    return (
        snapshot.snapshot_type == "manual"
        and snapshot.tags.get(POLICY_TAG) == policy
        and source_arn is not None
        and snapshot.identifier == copy_identifier(source_arn, snapshot.kind)
    )


def copies_in_progress(snapshots: Iterable[Snapshot], policy: str) -> int:
    """How many copies RDS is still making: ours and any other copy RDS reports as copied from a source."""
    return sum(
        1 for snapshot in snapshots if snapshot.in_progress and (snapshot.copied_from or is_our_copy(snapshot, policy))
    )


def can_copy_with_key(snapshot: Snapshot) -> bool:
    """Whether RDS copies ``snapshot`` with a key: Aurora refuses one for an unencrypted cluster snapshot."""
    return snapshot.kind is Kind.INSTANCE or snapshot.encrypted
