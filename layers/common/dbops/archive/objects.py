"""Archive objects: TTL deletions grouped by table and expiry date, named by their first stream record."""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, TypedDict

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import date

    from dbops.archive.records import TtlDeletion

# Zero-padded so keys sort in stream order; DynamoDB sequence numbers have at most 40 digits.
SEQUENCE_WIDTH = 40


@dataclass(frozen=True)
class Pending:
    """A TTL deletion and its position in the invocation's batch."""

    index: int
    deletion: TtlDeletion


class Announcement(TypedDict):
    """The SNS message for one archive object (never the items: SNS messages stop at 256 KB)."""

    bucket: str
    key: str
    sha256: str
    count: int
    table: str
    expires_from: str
    expires_to: str
    first_sequence_number: str
    last_sequence_number: str


@dataclass(frozen=True)
class ArchiveObject:
    """One gzip'd JSON Lines object: a run of one partition's TTL deletions, in stream order."""

    prefix: str
    table: str
    expired: date
    members: tuple[Pending, ...]

    @property
    def first_index(self) -> int:
        """Position in the batch of the object's first record."""
        return self.members[0].index

    @property
    def last_index(self) -> int:
        """Position in the batch of the object's last record."""
        return self.members[-1].index

    @property
    def key(self) -> str:
        """The object's key: the partition, then the first record's sequence number and event id.

        Only the first record names the object, so a retry that re-reads from it overwrites it, whatever the
        retried batch's extent (see README: exactly once).
        """
        first = self.members[0].deletion
        name = f"{first.sequence_number.zfill(SEQUENCE_WIDTH)}-{first.event_id or 'record'}"
        return f"{self.prefix}/table={self.table}/expired={self.expired.isoformat()}/{name}.jsonl.gz"

    @cached_property
    def body(self) -> bytes:
        """The gzip'd lines; mtime 0 makes the bytes (and their digest) the same on every replay."""
        text = "".join(pending.deletion.line() + "\n" for pending in self.members)
        return gzip.compress(text.encode(), compresslevel=6, mtime=0)

    @cached_property
    def sha256(self) -> str:
        """The hex SHA-256 of the body: the object's content identity for idempotent announcements."""
        return hashlib.sha256(self.body).hexdigest()

    def announcement(self, bucket: str) -> Announcement:
        """The message announcing this object."""
        expiries = [pending.deletion.expires_at for pending in self.members]
        return Announcement(
            bucket=bucket,
            key=self.key,
            sha256=self.sha256,
            count=len(self.members),
            table=self.table,
            expires_from=min(expiries).strftime("%Y-%m-%dT%H:%M:%SZ"),
            expires_to=max(expiries).strftime("%Y-%m-%dT%H:%M:%SZ"),
            first_sequence_number=self.members[0].deletion.sequence_number,
            last_sequence_number=self.members[-1].deletion.sequence_number,
        )


def group(pending: Iterable[Pending], *, prefix: str) -> list[ArchiveObject]:
    """One object per (table, expiry date), members in stream order, objects ordered by their first record."""
    partitions: dict[tuple[str, date], list[Pending]] = {}
    for entry in sorted(pending, key=lambda entry: entry.index):
        partition = (entry.deletion.table, entry.deletion.expires_at.date())
        partitions.setdefault(partition, []).append(entry)
    objects = [
        ArchiveObject(prefix=prefix, table=table, expired=expired, members=tuple(members))
        for (table, expired), members in partitions.items()
    ]
    return sorted(objects, key=lambda obj: obj.first_index)
