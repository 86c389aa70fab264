"""Deterministic names for copies that RDS accepts whatever the source snapshot is called."""

from __future__ import annotations

import hashlib
import re

from dbops.snapshots.model import Kind

PREFIX = "dbops"
# RDS's limits on snapshot identifiers: 255 characters for DB snapshots, 63 for DB cluster snapshots.
MAX_LENGTH = {Kind.INSTANCE: 255, Kind.CLUSTER: 63}
DIGEST_LENGTH = 16  # 64 bits of SHA-256: distinct sources never share a name in practice
VALID_IDENTIFIER = re.compile(r"[a-z](?:-?[a-z0-9])*")


def copy_identifier(source_snapshot_arn: str, kind: Kind) -> str:
    """The copy's identifier: readable part of the source name plus a digest of its ARN, within RDS's rules.

    The digest makes the name unique per source snapshot (so a retry finds the copy it made before) and
    the readable part tells an operator where it came from.
    """
    digest = hashlib.sha256(source_snapshot_arn.encode()).hexdigest()[:DIGEST_LENGTH]
    source_name = source_snapshot_arn.rsplit(":", 1)[-1]
    readable = re.sub(r"[^a-z0-9]+", "-", source_name.lower()).strip("-")
    room = MAX_LENGTH[kind] - len(PREFIX) - len(digest) - 2
    readable = readable[:room].rstrip("-")
    return "-".join(part for part in (PREFIX, readable, digest) if part)


def is_valid_identifier(identifier: str, kind: Kind) -> bool:
    """Whether RDS accepts ``identifier`` for a snapshot of this kind."""
    return len(identifier) <= MAX_LENGTH[kind] and VALID_IDENTIFIER.fullmatch(identifier) is not None
