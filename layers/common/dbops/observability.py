"""The Powertools logger, tracer and metrics every handler shares.

They take their service name (POWERTOOLS_SERVICE_NAME) and metrics namespace (POWERTOOLS_METRICS_NAMESPACE)
from the environment the template gives each function. Log a fixed message with data in keys; never a secret.
"""

from __future__ import annotations

import logging

from aws_lambda_powertools import Logger, Metrics, Tracer

logger = Logger()
tracer = Tracer()
metrics = Metrics()

# With ApplicationLogLevel DEBUG, Lambda's runtime sets the root logger to DEBUG, and at DEBUG botocore logs
# every request and response body: GetSecretValue's SecretString and PutSecretValue's new password included.
# The AWS SDK's own loggers stay at INFO whatever the function's level, so DEBUG never leaks a secret.
for _sdk_logger in ("botocore", "boto3", "s3transfer", "urllib3"):
    logging.getLogger(_sdk_logger).setLevel(logging.INFO)
