"""Redrive: ranges from the on-failure queue are read back from moto's stream and archived exactly once."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.exceptions import ClientError

from dbops.archive.redrive import redrive_queue
from dbops.aws import clients
from dbops.aws.failure_queue import FailureQueue
from dbops.aws.stream_reader import StreamReader
from dbops.observability import metrics
from tools.local_setup.ttl_archive import TTL_SERVICE, seed_and_expire

if TYPE_CHECKING:
    from tests.integration.ttl_archive.archive_stack import ArchiveStack


@pytest.fixture
def failed_range(archive_stack: ArchiveStack, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """A stream with TTL and user deletions, and Lambda's on-failure record for its whole shard in a queue."""
    monkeypatch.setattr(metrics, "namespace", "dbops")
    dynamodb = boto3.client("dynamodb")
    dynamodb.create_table(
        TableName="sessions",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "OLD_IMAGE"},
    )
    expired = seed_and_expire(dynamodb, "sessions", now=int(time.time()))

    def mark_ttl_deletions(parsed: dict[str, Any], **_: Any) -> None:
        # moto never sets userIdentity: mark the expired items' deletions as DynamoDB's TTL marks them.
        for record in parsed.get("Records", []):
            if record["eventName"] == "REMOVE" and record["dynamodb"]["Keys"]["pk"]["S"] in expired:
                record["userIdentity"] = dict(TTL_SERVICE)

    clients.dynamodbstreams().meta.events.register("after-call.dynamodbstreams.GetRecords", mark_ttl_deletions)
    stream_arn = dynamodb.describe_table(TableName="sessions")["Table"]["LatestStreamArn"]
    streams = clients.dynamodbstreams()
    shard = streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"][0]
    iterator = streams.get_shard_iterator(
        StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    sequence_numbers = [r["dynamodb"]["SequenceNumber"] for r in streams.get_records(ShardIterator=iterator)["Records"]]
    sqs = boto3.client("sqs")
    queue_url = sqs.create_queue(QueueName="ttl-archive-failures")["QueueUrl"]
    batch_info = {
        "shardId": shard["ShardId"],
        "startSequenceNumber": sequence_numbers[0],
        "endSequenceNumber": sequence_numbers[-1],
        "batchSize": len(sequence_numbers),
        "streamArn": stream_arn,
    }
    return {"queue_url": queue_url, "batch_info": batch_info, "expired": expired}


def _send(queue_url: str, batch_info: dict[str, Any]) -> None:
    body = {"requestContext": {"condition": "RetryAttemptsExhausted"}, "DDBStreamBatchInfo": batch_info}
    boto3.client("sqs").send_message(QueueUrl=queue_url, MessageBody=json.dumps(body))


def _waiting(queue_url: str) -> int:
    attributes = boto3.client("sqs").get_queue_attributes(
        QueueUrl=queue_url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])


def test_a_failed_range_is_archived_and_dequeued_when_the_stream_still_holds_it(
    archive_stack: ArchiveStack, failed_range: dict[str, Any]
) -> None:
    _send(failed_range["queue_url"], failed_range["batch_info"])

    result = redrive_queue(FailureQueue(failed_range["queue_url"]), StreamReader())

    assert result == (1, 0)
    archived = sorted(line["keys"]["pk"] for lines in archive_stack.objects().values() for line in lines)
    assert archived == sorted(failed_range["expired"])
    assert _waiting(failed_range["queue_url"]) == 0
    assert sum(a["message"]["count"] for a in archive_stack.announcements()) == len(failed_range["expired"])


def test_a_second_redrive_changes_nothing_when_the_same_range_comes_again(
    archive_stack: ArchiveStack, failed_range: dict[str, Any]
) -> None:
    _send(failed_range["queue_url"], failed_range["batch_info"])
    redrive_queue(FailureQueue(failed_range["queue_url"]), StreamReader())
    objects, versions = archive_stack.objects(), archive_stack.versions()
    archive_stack.announcements()
    _send(failed_range["queue_url"], failed_range["batch_info"])

    result = redrive_queue(FailureQueue(failed_range["queue_url"]), StreamReader())

    assert result == (1, 0)
    assert archive_stack.objects() == objects
    assert archive_stack.versions() == versions
    assert archive_stack.announcements() == []


def test_a_range_stays_queued_when_its_archive_cannot_be_written(
    archive_stack: ArchiveStack, failed_range: dict[str, Any]
) -> None:
    _send(failed_range["queue_url"], failed_range["batch_info"])

    def refuse(**_: Any) -> None:
        raise ClientError({"Error": {"Code": "AccessDenied", "Message": "injected"}}, "PutObject")

    clients.s3().meta.events.register("before-call.s3.PutObject", refuse)

    result = redrive_queue(FailureQueue(failed_range["queue_url"]), StreamReader())

    assert result == (0, 1)
    assert _waiting(failed_range["queue_url"]) == 1
    assert archive_stack.objects() == {}
