"""RotationFunction: Secrets Manager's rotation steps for a MySQL, Aurora MySQL or MariaDB password."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from dbops.observability import logger, metrics, tracer
from dbops.rotation import rotator

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, str]:
    """Run the event's step; raising makes Secrets Manager retry the rotation."""
    return rotator.handle(event, remaining_ms=context.get_remaining_time_in_millis())
