"""One run of the snapshot copy: copy each chosen source's newest automated snapshot, share, prune, check."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from aws_lambda_powertools.metrics import MetricUnit

from dbops import settings
from dbops.aws.snapshot_summary import SummaryTopic
from dbops.aws.snapshots import SnapshotStore
from dbops.errors import ConfigurationError, SnapshotQuotaError
from dbops.observability import logger, metrics
from dbops.snapshots.config import SnapshotCopySettings
from dbops.snapshots.model import SHARED_TAG, Kind, Report, Snapshot
from dbops.snapshots.naming import copy_identifier
from dbops.snapshots.retention import expired_copies, stale_sources
from dbops.snapshots.selection import can_copy_with_key, copies_in_progress, is_our_copy, newest_available
from dbops.snapshots.tags import copy_tags

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy_boto3_kms.type_defs import KeyMetadataTypeDef

    from dbops.snapshots.events import SnapshotEvent, SweepRequest


def run(
    trigger: SweepRequest | SnapshotEvent,
    *,
    store: SnapshotStore | None = None,
    summary: SummaryTopic | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> Report:
    """Copy, share and prune for every chosen source (a sweep) or the one source an RDS event names."""
    config = settings.load(SnapshotCopySettings)
    store = store or SnapshotStore(config.destination_region)
    check_key(store.key(config.kms_key_id), config)
    report = Report(dry_run=config.dry_run or trigger.dry_run)
    for kind in config.kinds:
        if trigger.kind in (None, kind):
            _run_kind(kind, trigger.source_identifier, store, config, report, now())
    _publish_metrics(report, sweep=trigger.source_identifier is None)
    logger.info("snapshot copy run finished", **report.as_dict())
    if config.summary_topic_arn and report.worth_reporting:
        topic = summary or SummaryTopic(config.summary_topic_arn)
        topic.publish(_subject(report), report.as_dict())
    return report


def check_key(key: KeyMetadataTypeDef, config: SnapshotCopySettings) -> None:
    """Refuse a key RDS would refuse, before any copy starts.

    Raises:
        ConfigurationError: the key is disabled, not a symmetric encryption key, or AWS-managed while the
            copies are shared with other accounts (they cannot use ``aws/rds``).
    """
    if not key.get("Enabled"):
        raise ConfigurationError(
            f"KMS key {key['Arn']} is {key.get('KeyState', 'disabled')}: enable it or set KMS_KEY_ID"
        )
    if (
        key.get("KeyUsage", "ENCRYPT_DECRYPT") != "ENCRYPT_DECRYPT"
        or key.get("KeySpec", "SYMMETRIC_DEFAULT") != "SYMMETRIC_DEFAULT"
    ):
        raise ConfigurationError(f"KMS key {key['Arn']} is not a symmetric encryption key: RDS needs one")
    if config.share_with and key.get("KeyManager") == "AWS":
        raise ConfigurationError(
            f"KMS key {key['Arn']} is AWS-managed: copies shared with SHARE_WITH_ACCOUNTS need a "
            "customer-managed key whose policy lets those accounts use it"
        )


def _run_kind(
    kind: Kind,
    source_identifier: str | None,
    store: SnapshotStore,
    config: SnapshotCopySettings,
    report: Report,
    now: datetime,
) -> None:
    sources = [source for source in store.sources(kind, source_identifier) if config.selector.matches(source)]
    if source_identifier is not None and not sources:
        return
    chosen = {source.identifier for source in sources}
    newest = newest_available(store.automated_snapshots(kind, source_identifier)) if sources else {}
    # Every copy in the destination, even for one source: the in-progress cap is per region, not per source.
    existing = store.copies(kind)
    # A sweep prunes every copy of ours (a source no longer chosen or deleted still keeps its newest K);
    # an event prunes only its source's.
    ours = [
        copy
        for copy in existing
        if is_our_copy(copy, config.policy) and source_identifier in (None, copy.source_identifier)
    ]
    present = {copy.identifier for copy in existing}
    capacity = config.max_copies_in_progress[kind] - copies_in_progress(existing, config.policy)
    for source in sorted(sources, key=lambda source: source.identifier):
        snapshot = newest.get(source.identifier)
        if snapshot is None:
            report.without_snapshot.append(f"{kind}:{source.identifier}")
            continue
        target = copy_identifier(snapshot.arn, kind)
        if target in present:
            report.already_copied.append(target)
        elif not can_copy_with_key(snapshot):
            report.refused.append(
                {
                    "source": snapshot.arn,
                    "reason": "unencrypted cluster snapshot: Aurora copies it only without a key; encrypt "
                    "the cluster (restore from snapshot with a key) or leave it out of the sources",
                }
            )
        elif capacity <= 0:
            report.deferred.append(snapshot.arn)
        elif _copy(snapshot, target, store, config, report):
            capacity -= 1
        else:
            capacity = 0
            report.deferred.append(snapshot.arn)
    _share(ours, store, config, report)
    for copy in expired_copies(ours, now=now, retention_days=config.retention_days, keep_latest=config.keep_latest):
        if report.dry_run or store.delete(copy):
            report.deleted.append(copy.identifier)
            logger.info("snapshot copy deleted", copy=copy.identifier, dry_run=report.dry_run)
    stale = stale_sources(chosen, ours, now=now, max_age=timedelta(hours=config.recovery_point_hours))
    report.stale.extend(f"{kind}:{identifier}" for identifier in sorted(stale))


def _copy(snapshot: Snapshot, target: str, store: SnapshotStore, config: SnapshotCopySettings, report: Report) -> bool:
    """Copy one snapshot (or record it in dry-run); False when RDS refuses more copies for now."""
    entry = {"source": snapshot.arn, "target": target}
    if report.dry_run:
        report.copied.append(entry)
        return True
    tags = copy_tags(snapshot.tags, source_arn=snapshot.arn, policy=config.policy)
    option_group = config.option_groups.get(snapshot.option_group or "") if store.cross_region else None
    try:
        started = store.copy(snapshot, target, kms_key_id=config.kms_key_id, tags=tags, option_group=option_group)
    except SnapshotQuotaError:
        logger.warning("snapshot copy quota reached: the next run resumes", kind=snapshot.kind, source=snapshot.arn)
        return False
    if started:
        report.copied.append(entry)
        logger.info("snapshot copy started", source=snapshot.arn, target=target)
    else:
        report.already_copied.append(target)
    return True


def _share(ours: list[Snapshot], store: SnapshotStore, config: SnapshotCopySettings, report: Report) -> None:
    """Share each available copy not yet shared with the accounts (RDS shares only available ones)."""
    if not config.share_with:
        return
    marker = "-".join(sorted(config.share_with))
    for copy in ours:
        if copy.available and copy.tags.get(SHARED_TAG) != marker:
            if not report.dry_run:
                store.share(copy, config.share_with)
            report.shared.append(copy.identifier)


def _publish_metrics(report: Report, *, sweep: bool) -> None:
    metrics.add_metric(name="SnapshotsCopied", unit=MetricUnit.Count, value=len(report.copied))
    metrics.add_metric(name="SnapshotCopiesDeleted", unit=MetricUnit.Count, value=len(report.deleted))
    metrics.add_metric(name="SnapshotCopiesDeferred", unit=MetricUnit.Count, value=len(report.deferred))
    metrics.add_metric(name="SnapshotSourcesRefused", unit=MetricUnit.Count, value=len(report.refused))
    if sweep:
        # Only a sweep sees every source: the recovery-point alarm watches this metric (and its absence).
        metrics.add_metric(name="SourcesWithoutRecentCopy", unit=MetricUnit.Count, value=len(report.stale))


def _subject(report: Report) -> str:
    mode = "dry-run: " if report.dry_run else ""
    return (
        f"dbops snapshot copy {mode}{len(report.copied)} copied, {len(report.deleted)} deleted, "
        f"{len(report.deferred)} deferred, {len(report.stale)} stale"
    )
