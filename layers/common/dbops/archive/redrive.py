"""Redrive: archive the stream ranges Lambda gave up on, read back from the stream while it keeps them.

Usage (an operator, with the function's ARCHIVE_* / IDEMPOTENCY_TABLE / TTL_ATTRIBUTE variables set):
    python -m dbops.archive.redrive FAILURE_QUEUE_URL
Each range is archived whole, as one batch, so a run that stops part-way is simply run again: the objects
are named by their first record and are overwritten with the same bytes. A range archived is deleted from
the queue; one that fails stays there (visible again after 15 minutes).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

from aws_lambda_powertools.utilities.data_classes.dynamo_db_stream_event import DynamoDBRecord

from dbops.archive.batch import Outcome, TtlArchive
from dbops.aws.failure_queue import FailedRange, FailureQueue
from dbops.aws.stream_reader import StreamReader
from dbops.errors import DbopsError, RedriveError
from dbops.observability import logger

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext

# As long as a received range stays hidden in the queue: an announcement cut short is retried after it.
RANGE_SECONDS = 900


@dataclass
class RangeDeadline:
    """What Powertools idempotency reads from a Lambda context: the time left to redrive one range."""

    seconds: float = RANGE_SECONDS
    _start: float = field(default_factory=time.monotonic)

    def get_remaining_time_in_millis(self) -> int:
        """Milliseconds left before the range shows up in the queue again."""
        return max(0, int((self.seconds - (time.monotonic() - self._start)) * 1000))


def redrive_range(failed: FailedRange, *, reader: StreamReader, archive: TtlArchive) -> Outcome:
    """Archive one failed range; RedriveError unless every record of it was committed."""
    records = reader.read_range(failed.stream_arn, failed.shard_id, failed.first, failed.last)
    try:
        for record in records:
            archive.add(DynamoDBRecord(record))
    except DbopsError as error:
        raise RedriveError(f"record {len(archive.sequence_numbers) - 1} of {failed.first}..{failed.last}") from error
    outcome = archive.commit()
    if outcome.cut < len(records):
        raise RedriveError(
            f"{failed.first}..{failed.last} stopped at {records[outcome.cut]['dynamodb']['SequenceNumber']}: "
            "run the redrive again"
        )
    return outcome


def redrive_queue(queue: FailureQueue, reader: StreamReader) -> tuple[int, int]:
    """Redrive every range in the queue once; (ranges archived, ranges left in the queue)."""
    archived = left = 0
    while ranges := queue.receive():
        for failed in ranges:
            try:
                outcome = redrive_range(
                    failed,
                    reader=reader,
                    archive=TtlArchive.for_invocation(cast("LambdaContext", RangeDeadline())),
                )
            except RedriveError:
                logger.exception("range not redriven", shard=failed.shard_id, first=failed.first, last=failed.last)
                left += 1
                continue
            queue.delete(failed)
            archived += 1
            logger.info(
                "range redriven",
                shard=failed.shard_id,
                first=failed.first,
                last=failed.last,
                objects=len(outcome.objects),
                items=sum(len(obj.members) for obj in outcome.objects),
            )
    return archived, left


def main(argv: list[str]) -> int:
    """Drain the failure queue named on the command line; non-zero when some range is left."""
    if len(argv) != 1:
        print("usage: python -m dbops.archive.redrive FAILURE_QUEUE_URL", file=sys.stderr)
        return 2
    archived, left = redrive_queue(FailureQueue(argv[0]), StreamReader())
    print(f"{archived} range(s) archived, {left} left in the queue")
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
