"""The Powertools logger, tracer and metrics every handler shares.

They take their service name (POWERTOOLS_SERVICE_NAME) and metrics namespace (POWERTOOLS_METRICS_NAMESPACE)
from the environment the template gives each function. Log a fixed message with data in keys; never a secret.
"""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
tracer = Tracer()
metrics = Metrics()
