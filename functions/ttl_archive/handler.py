"""TtlArchiveFunction: archive what DynamoDB's TTL deleted (read from the stream) to S3, announce it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

from dbops.archive.batch import TtlArchive
from dbops.observability import logger, metrics, tracer

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.batch.types import PartialItemFailureResponse
    from aws_lambda_powertools.utilities.typing import LambdaContext

processor = BatchProcessor(event_type=EventType.DynamoDBStreams)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> PartialItemFailureResponse:
    """Decode the batch in stream order, archive what precedes its first failure, report that record."""
    archive = TtlArchive.for_invocation(context)
    response = process_partial_response(event=event, record_handler=archive.add, processor=processor, context=context)
    return archive.finish(response)
