"""The TTL archive's AWS resources in moto, wired as the template wires them; readers for what it wrote."""

from __future__ import annotations

import gzip
import importlib.util
import json
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import boto3

from dbops.aws import clients
from tools.template import ROOT

if TYPE_CHECKING:
    from collections.abc import Callable

    import pytest


@dataclass
class ArchiveStack:
    """A versioned bucket, a topic with an SQS subscriber, an idempotency table; their names in the env."""

    bucket: str
    topic_arn: str
    queue_url: str
    idempotency_table: str
    prefix: str = "ttl-archive"

    def objects(self) -> dict[str, list[dict[str, Any]]]:
        """Every current archive object's lines, by key."""
        s3 = clients.s3()
        found: dict[str, list[dict[str, Any]]] = {}
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix):
            for entry in page.get("Contents", []):
                body = s3.get_object(Bucket=self.bucket, Key=entry["Key"])["Body"].read()
                found[entry["Key"]] = [
                    json.loads(line, parse_float=Decimal, parse_int=Decimal)
                    for line in gzip.decompress(body).decode().splitlines()
                ]
        return found

    def archived_sequence_numbers(self) -> list[str]:
        """The sequence number of every archived line, duplicates kept."""
        return sorted(line["sequence_number"] for lines in self.objects().values() for line in lines)

    def versions(self) -> int:
        """How many object versions the bucket holds under the prefix."""
        listing = clients.s3().list_object_versions(Bucket=self.bucket, Prefix=self.prefix)
        return len(listing.get("Versions", []))

    def announcements(self) -> list[dict[str, Any]]:
        """Every SNS message the subscriber queue received so far (drained)."""
        sqs = clients.sqs()
        messages: list[dict[str, Any]] = []
        while True:
            received = sqs.receive_message(QueueUrl=self.queue_url, MaxNumberOfMessages=10)
            if not received.get("Messages"):
                return messages
            for message in received["Messages"]:
                envelope = json.loads(message["Body"])
                messages.append(
                    {
                        "message": json.loads(envelope["Message"]),
                        "attributes": {k: v["Value"] for k, v in envelope["MessageAttributes"].items()},
                    }
                )
                sqs.delete_message(QueueUrl=self.queue_url, ReceiptHandle=message["ReceiptHandle"])


def create(monkeypatch: pytest.MonkeyPatch) -> ArchiveStack:
    """Create the resources in the active moto mock and point the function's settings at them."""
    suffix = uuid.uuid4().hex[:8]
    s3 = boto3.client("s3")
    bucket = f"archive-{suffix}"
    s3.create_bucket(Bucket=bucket)
    s3.put_bucket_versioning(Bucket=bucket, VersioningConfiguration={"Status": "Enabled"})
    sns = boto3.client("sns")
    topic_arn = sns.create_topic(Name=f"archive-{suffix}")["TopicArn"]
    sqs = boto3.client("sqs")
    queue_url = sqs.create_queue(QueueName=f"subscriber-{suffix}")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn)
    table = f"idempotency-{suffix}"
    boto3.client("dynamodb").create_table(
        TableName=table,
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    stack = ArchiveStack(bucket=bucket, topic_arn=topic_arn, queue_url=queue_url, idempotency_table=table)
    monkeypatch.setenv("ARCHIVE_BUCKET", bucket)
    monkeypatch.setenv("ARCHIVE_PREFIX", stack.prefix)
    monkeypatch.setenv("ARCHIVE_TOPIC_ARN", topic_arn)
    monkeypatch.setenv("IDEMPOTENCY_TABLE", table)
    monkeypatch.setenv("TTL_ATTRIBUTE", "expires_at")
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "ttl_archive")
    return stack


def load_handler() -> Callable[..., Any]:
    """functions/ttl_archive/handler.py's lambda_handler, loaded as Lambda loads it."""
    spec = importlib.util.spec_from_file_location(
        "ttl_archive_handler", ROOT / "functions" / "ttl_archive" / "handler.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.lambda_handler  # type: ignore[no-any-return]
