"""Cached boto3 client factories: one client per service (and region) per warm container.

Clients are made at the first call, never at import, so tests can start moto first. boto3 honours
AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>), which is how the local stack points them at moto.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import boto3
from botocore.config import Config

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodbstreams import DynamoDBStreamsClient
    from mypy_boto3_kms import KMSClient
    from mypy_boto3_rds import RDSClient
    from mypy_boto3_rds_data import RDSDataServiceClient
    from mypy_boto3_s3 import S3Client
    from mypy_boto3_secretsmanager import SecretsManagerClient
    from mypy_boto3_sns import SNSClient
    from mypy_boto3_sqs import SQSClient

# botocore's standard retry mode: exponential backoff with jitter on throttling and transient errors.
# Timeouts stay well below the functions' own timeouts so a hung call fails inside the invocation.
DEFAULT_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 5},
    connect_timeout=5,
    read_timeout=20,
)
# The Data API's retries are dbops.aws.data_api's: botocore's would re-send a 5xx
# (DatabaseUnavailableException) and could run an INSERT or a commit twice. The read timeout outlasts
# the Data API's 45 s statement limit.
DATA_API_CONFIG = DEFAULT_CONFIG.merge(Config(retries={"mode": "standard", "total_max_attempts": 1}, read_timeout=50))


@functools.cache
def secretsmanager() -> SecretsManagerClient:
    """Secrets Manager client."""
    return boto3.client("secretsmanager", config=DEFAULT_CONFIG)


@functools.cache
def s3() -> S3Client:
    """S3 client."""
    return boto3.client("s3", config=DEFAULT_CONFIG)


@functools.cache
def sns() -> SNSClient:
    """SNS client."""
    return boto3.client("sns", config=DEFAULT_CONFIG)


@functools.cache
def sqs() -> SQSClient:
    """SQS client."""
    return boto3.client("sqs", config=DEFAULT_CONFIG)


@functools.cache
def dynamodb() -> DynamoDBClient:
    """DynamoDB client."""
    return boto3.client("dynamodb", config=DEFAULT_CONFIG)


@functools.cache
def rds(region: str | None = None) -> RDSClient:
    """RDS client, in ``region`` when given (cross-region snapshot copies), else the function's region."""
    return boto3.client("rds", region_name=region, config=DEFAULT_CONFIG)


@functools.cache
def kms(region: str | None = None) -> KMSClient:
    """KMS client, in ``region`` when given, else the function's region."""
    return boto3.client("kms", region_name=region, config=DEFAULT_CONFIG)


@functools.cache
def rds_data() -> RDSDataServiceClient:
    """RDS Data API client, with botocore's retries off (dbops.aws.data_api owns the policy)."""
    return boto3.client("rds-data", config=DATA_API_CONFIG)


@functools.cache
def dynamodbstreams() -> DynamoDBStreamsClient:
    """DynamoDB Streams client (the TTL archive's redrive reads failed ranges back)."""
    return boto3.client("dynamodbstreams", config=DEFAULT_CONFIG)


def reset() -> None:
    """Forget every cached client (tests start a new moto; the local runner changes endpoints)."""
    for factory in (secretsmanager, s3, sns, sqs, dynamodb, rds, kms, rds_data, dynamodbstreams):
        factory.cache_clear()
