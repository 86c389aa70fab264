"""SnapshotCopyFunction: a scheduled sweep or an RDS snapshot event in, one snapshot copy run out."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.parser import parse

from dbops.observability import logger, metrics, tracer
from dbops.snapshots import service
from dbops.snapshots.events import trigger_model

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """Copy, share and prune snapshots for the sources this trigger covers; return what was done."""
    trigger = parse(event=event, model=trigger_model(event))
    return service.run(trigger).as_dict()
