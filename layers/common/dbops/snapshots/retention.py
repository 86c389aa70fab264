"""Which of our copies to delete: older than the retention, never the newest few, never one still creating."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from dbops.snapshots.model import Snapshot


def expired_copies(
    copies: Iterable[Snapshot], *, now: datetime, retention_days: int, keep_latest: int
) -> list[Snapshot]:
    """Our copies to delete: available, older than the retention, not among a source's newest ``keep_latest``.

    ``copies`` must already be ours (see ``selection.is_our_copy``); this never looks at anything else.
    """
    by_source: dict[str, list[Snapshot]] = defaultdict(list)
    for copy in copies:
        if copy.available and copy.created is not None:
            by_source[copy.source_identifier].append(copy)
    cutoff = now - timedelta(days=retention_days)
    expired: list[Snapshot] = []
    for source_copies in by_source.values():
        source_copies.sort(key=lambda copy: copy.created or now, reverse=True)
        expired.extend(
            copy for copy in source_copies[keep_latest:] if copy.created is not None and copy.created < cutoff
        )
    return sorted(expired, key=lambda copy: copy.identifier)


def stale_sources(
    source_identifiers: Iterable[str], copies: Iterable[Snapshot], *, now: datetime, max_age: timedelta
) -> dict[str, float | None]:
    """Sources whose newest available copy is older than ``max_age``: its age in hours, None with no copy."""
    newest: dict[str, datetime] = {}
    for copy in copies:
        point = copy.recovery_point
        if (
            copy.available
            and point is not None
            and (copy.source_identifier not in newest or point > newest[copy.source_identifier])
        ):
            newest[copy.source_identifier] = point
    stale: dict[str, float | None] = {}
    for identifier in source_identifiers:
        point = newest.get(identifier)
        if point is None:
            stale[identifier] = None
        elif now - point > max_age:
            stale[identifier] = round((now - point).total_seconds() / 3600, 1)
    return stale
