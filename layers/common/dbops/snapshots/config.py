"""The snapshot copy's settings, read from the environment the template gives the function."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Self

from dbops import settings
from dbops.errors import ConfigurationError
from dbops.snapshots.model import Kind
from dbops.snapshots.selection import Selector

IDENTIFIER = r"[A-Za-z][A-Za-z0-9-]{0,62}"
REGION = r"[a-z]{2}(-[a-z]+)+-\d"
KEY_ARN = r"arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key/[A-Za-z0-9-]+|alias/[A-Za-z0-9/_-]+)"
TOPIC_ARN = r"arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]+"


@dataclass(frozen=True)
class SnapshotCopySettings:
    """What to copy, where to, with which key, and how long to keep the copies."""

    selector: Selector
    kinds: tuple[Kind, ...]
    kms_key_id: str
    destination_region: str | None
    policy: str
    retention_days: int
    keep_latest: int
    max_copies_in_progress: dict[Kind, int]
    share_with: tuple[str, ...]
    option_groups: dict[str, str] = field(default_factory=dict)
    recovery_point_hours: int = 26
    dry_run: bool = False
    summary_topic_arn: str | None = None

    @classmethod
    def from_environ(cls) -> Self:
        """Read and validate every SNAPSHOT_COPY variable; fail with one message naming the bad one."""
        identifiers = settings.names("SOURCE_IDENTIFIERS", pattern=IDENTIFIER, example="orders-db,billing-cluster")
        pattern = settings.optional_text("SOURCE_PATTERN", pattern=r".{1,200}", example="^prod-.*")
        tag = settings.optional_text("SOURCE_TAG", pattern=r"[^=]{1,128}=.{0,256}", example="dbops:snapshot-copy=true")
        if not (identifiers or pattern or tag):
            raise ConfigurationError(
                "no sources chosen: set SOURCE_IDENTIFIERS, SOURCE_PATTERN or SOURCE_TAG "
                "(for example SOURCE_TAG='dbops:snapshot-copy=true')"
            )
        kinds = settings.names("SOURCE_KINDS", pattern="instance|cluster", example="instance,cluster")
        policy = settings.text("COPY_POLICY", pattern=r"[a-z][a-z0-9-]{0,31}", example="daily-dr", default="default")
        retention_days = settings.integer("RETENTION_DAYS", default=7, minimum=1, maximum=3650)
        return cls(
            selector=Selector(
                identifiers=frozenset(identifier.lower() for identifier in identifiers),
                pattern=_compiled("SOURCE_PATTERN", pattern),
                tag=_tag(tag),
            ),
            kinds=tuple(Kind(kind) for kind in dict.fromkeys(kinds or ("instance", "cluster"))),
            kms_key_id=settings.text("KMS_KEY_ID", pattern=KEY_ARN, example="arn:aws:kms:eu-west-1:123456789012:key/…"),
            destination_region=_destination_region(),
            policy=policy,
            retention_days=retention_days,
            keep_latest=settings.integer("KEEP_LATEST", default=3, minimum=1, maximum=100),
            max_copies_in_progress={
                Kind.INSTANCE: settings.integer("MAX_INSTANCE_COPIES_IN_PROGRESS", default=5, minimum=1, maximum=100),
                Kind.CLUSTER: settings.integer("MAX_CLUSTER_COPIES_IN_PROGRESS", default=5, minimum=1, maximum=100),
            },
            share_with=settings.names("SHARE_WITH_ACCOUNTS", pattern=r"\d{12}", example="111122223333"),
            option_groups=_option_groups(),
            recovery_point_hours=settings.integer("RECOVERY_POINT_MAX_AGE_HOURS", default=26, minimum=1, maximum=8760),
            dry_run=settings.boolean("DRY_RUN", default=False),
            summary_topic_arn=settings.optional_text(
                "SUMMARY_TOPIC_ARN",
                pattern=TOPIC_ARN,
                example="arn:aws:sns:eu-west-1:123456789012:dbops-summary",
            ),
        )


def _compiled(name: str, pattern: str | None) -> re.Pattern[str] | None:
    if pattern is None:
        return None
    try:
        return re.compile(pattern)
    except re.error as error:
        raise ConfigurationError(
            f"environment variable {name} is malformed: not a regular expression ({error})"
        ) from error


def _tag(tag: str | None) -> tuple[str, str] | None:
    if tag is None:
        return None
    key, value = tag.split("=", 1)
    return key, value


def _destination_region() -> str | None:
    """The destination region when it differs from the function's own, else None (a same-region copy)."""
    destination = settings.optional_text("DESTINATION_REGION", pattern=REGION, example="eu-west-1")
    own_region = settings.text("AWS_REGION", pattern=REGION, example="eu-west-1")
    return destination if destination and destination != own_region else None


def _option_groups() -> dict[str, str]:
    pairs = settings.names(
        "OPTION_GROUP_MAP", pattern=r"[A-Za-z0-9:._-]+=[A-Za-z0-9._-]+", example="prod-oracle-og=dr-oracle-og"
    )
    return {source: target for source, _, target in (pair.partition("=") for pair in pairs)}
