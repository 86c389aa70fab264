"""One invocation's archive run: records added in stream order, then committed as objects, exactly once.

Lambda checkpoints a shard at the lowest sequence number a batch reports failed and re-reads from there, so
the run commits a prefix of the batch: no committed object holds a record at or after the reported one.
Objects are named by their first record, so a retry (whole, partial or bisected) that re-reads from a
checkpoint overwrites whatever an earlier attempt left under that name. README.md walks through the cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aws_lambda_powertools.metrics import MetricUnit

from dbops import settings
from dbops.archive.objects import ArchiveObject, Pending, group
from dbops.archive.records import Skipped, classify
from dbops.archive.settings import ArchiveSettings
from dbops.aws.announcements import ArchiveAnnouncer
from dbops.aws.archive_bucket import ArchiveBucket
from dbops.errors import ArchiveWriteError, EarlierRecordFailedError
from dbops.observability import logger, metrics

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
    from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord
    from aws_lambda_powertools.utilities.typing import LambdaContext


@dataclass(frozen=True)
class Outcome:
    """What a run committed: the objects, and the batch position of the first record left for a retry."""

    objects: list[ArchiveObject]
    cut: int
    skipped: int


@dataclass
class TtlArchive:
    """Collects one batch's records (Powertools' record handler), then commits them (``finish``)."""

    bucket: ArchiveBucket
    announcer: ArchiveAnnouncer
    prefix: str
    ttl_attribute: str
    sequence_numbers: list[str] = field(default_factory=list)
    pending: list[Pending] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    first_failure: int | None = None

    @classmethod
    def for_invocation(cls, context: LambdaContext | None = None) -> TtlArchive:
        """A run wired to the archive bucket and topic the settings name."""
        config = settings.load(ArchiveSettings)
        announcer = ArchiveAnnouncer(
            config.topic_arn, config.idempotency_table, remember_seconds=config.announcement_memory_seconds
        )
        announcer.register_lambda_context(context)
        return cls(
            bucket=ArchiveBucket(config.bucket),
            announcer=announcer,
            prefix=config.prefix,
            ttl_attribute=config.ttl_attribute,
        )

    def add(self, record: DynamoDBRecord) -> None:
        """Decode the next record; raise for a bad one and for every record after it (they wait for it)."""
        index = len(self.sequence_numbers)
        stream = record.raw_event.get("dynamodb")
        self.sequence_numbers.append(str(stream.get("SequenceNumber", "")) if isinstance(stream, dict) else "")
        if self.first_failure is not None:
            raise EarlierRecordFailedError(
                f"record {index} waits: record {self.first_failure} of this shard failed and is retried first"
            )
        try:
            decoded = classify(record.raw_event, ttl_attribute=self.ttl_attribute)
        except BaseException:
            # Whatever went wrong, the records after this one must wait for it: stream order is the contract.
            self.first_failure = index
            raise
        if isinstance(decoded, Skipped):
            self.skipped.append(index)
        else:
            self.pending.append(Pending(index=index, deletion=decoded))

    def finish(self, response: PartialItemFailureResponse) -> PartialItemFailureResponse:
        """Commit the decoded prefix; report the first record not committed (Lambda retries from it)."""
        outcome = self.commit()
        metrics.add_metric(
            name="ItemsArchived", unit=MetricUnit.Count, value=sum(len(o.members) for o in outcome.objects)
        )
        metrics.add_metric(name="ArchiveObjects", unit=MetricUnit.Count, value=len(outcome.objects))
        metrics.add_metric(name="RecordsSkipped", unit=MetricUnit.Count, value=outcome.skipped)
        if outcome.cut >= len(self.sequence_numbers):
            return response
        metrics.add_metric(name="BatchFailures", unit=MetricUnit.Count, value=1)
        failed = self.sequence_numbers[outcome.cut]
        logger.warning("archive stopped", retry_from=failed, committed_objects=len(outcome.objects))
        if outcome.cut == 0:
            # Nothing committed: a function error lets Lambda bisect the batch.
            raise ArchiveWriteError(f"no record of this batch could be archived; retrying from {failed}")
        return {"batchItemFailures": [{"itemIdentifier": failed}]}

    def commit(self) -> Outcome:
        """Write, then announce, the objects of the records before the first failure; commit a clean prefix.

        A failure at an object moves the cut back to that object's first record, and further back to the
        first record of any written object that straddles the cut, so no committed object holds a record
        Lambda will deliver again. Objects past the cut may stay written: the retry overwrites them.
        """
        cut = len(self.sequence_numbers) if self.first_failure is None else self.first_failure
        objects = group((entry for entry in self.pending if entry.index < cut), prefix=self.prefix)
        unwritten = self._write(objects)
        if unwritten is not None:
            cut = settle(objects, unwritten.first_index)
        unannounced = self._announce([obj for obj in objects if obj.first_index < cut])
        if unannounced is not None:
            cut = settle(objects, unannounced.first_index)
        return Outcome(
            objects=[obj for obj in objects if obj.first_index < cut],
            cut=cut,
            skipped=sum(index < cut for index in self.skipped),
        )

    def _write(self, objects: list[ArchiveObject]) -> ArchiveObject | None:
        for obj in objects:
            try:
                self.bucket.put(obj.key, obj.body, obj.sha256)
            except ArchiveWriteError:
                logger.exception("archive object not written", key=obj.key)
                return obj
        return None

    def _announce(self, objects: list[ArchiveObject]) -> ArchiveObject | None:
        for obj in objects:
            try:
                self.announcer.announce(obj.announcement(self.bucket.name))
            except ArchiveWriteError:
                logger.exception("archive object not announced", key=obj.key)
                return obj
        return None


def settle(objects: list[ArchiveObject], cut: int) -> int:
    """The latest cut at or before ``cut`` that no object straddles (starts before, ends at or after it)."""
    while True:
        straddling = [obj.first_index for obj in objects if obj.first_index < cut <= obj.last_index]
        if not straddling:
            return cut
        cut = min(straddling)
