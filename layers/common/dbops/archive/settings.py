"""The TTL archive's settings, from the environment the template gives TtlArchiveFunction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from dbops import settings

# Longer than a stream's 24 h retention: no redelivery can outlive the memory of what was announced.
DAY = 24 * 60 * 60


@dataclass(frozen=True)
class ArchiveSettings:
    """Where archives go, how they are announced, and which attribute holds an item's expiry."""

    bucket: str
    prefix: str
    topic_arn: str
    idempotency_table: str
    ttl_attribute: str
    announcement_memory_seconds: int

    @classmethod
    def from_environ(cls) -> Self:
        """Read ARCHIVE_BUCKET, ARCHIVE_PREFIX, ARCHIVE_TOPIC_ARN, IDEMPOTENCY_TABLE, TTL_ATTRIBUTE, ..."""
        return cls(
            bucket=settings.text("ARCHIVE_BUCKET", pattern=r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", example="my-archive"),
            prefix=settings.text(
                "ARCHIVE_PREFIX",
                pattern=r"[A-Za-z0-9!_.*'()-]+(/[A-Za-z0-9!_.*'()-]+)*",
                example="ttl-archive",
                default="ttl-archive",
            ),
            topic_arn=settings.text(
                "ARCHIVE_TOPIC_ARN",
                pattern=r"arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}",
                example="arn:aws:sns:us-east-1:123456789012:dbops-ttl-archive",
            ),
            idempotency_table=settings.text(
                "IDEMPOTENCY_TABLE", pattern=r"[A-Za-z0-9_.-]{3,255}", example="dbops-ttl-archive-idempotency"
            ),
            ttl_attribute=settings.text(
                "TTL_ATTRIBUTE", pattern=r"[^\s]{1,255}", example="expires_at", default="expires_at"
            ),
            announcement_memory_seconds=settings.integer(
                "ANNOUNCEMENT_MEMORY_SECONDS", default=2 * DAY, minimum=DAY + 3600, maximum=30 * DAY
            ),
        )
