"""Local setup for ttl_archive: real items through a moto table's stream, shaped as Lambda delivers them.

moto has no TTL reaper and never sets userIdentity, so ``seed_and_expire`` writes items, deletes the expired
ones as TTL would (and one live item as a user would), and ``lambda_records`` reads the stream back as
Lambda's event records: binary as base64 text, times in epoch seconds, the TTL service identity on the
deletions of expired items. ``filter_selects`` applies the template's FilterCriteria to them.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any, cast

from moto.events.models import EventPattern

from dbops.aws.stream_reader import as_lambda_delivers
from tools.template import load_template

if TYPE_CHECKING:
    from moto.events.utils import EventMessageType
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodbstreams import DynamoDBStreamsClient

    from tools.local_stack import LocalStack

SUBSCRIBER_QUEUE = "ttl-archive-local-subscriber"
SOURCE_TABLE_PREFIX = "dbops-ttl-source-"
TTL_SERVICE = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}


def prepare(stack: LocalStack) -> dict[str, str]:
    """Subscribe a queue to the topic; check the source table's TTL deletions are what the filter selects."""
    sns, sqs, dynamodb = stack.client("sns"), stack.client("sqs"), stack.client("dynamodb")
    queue_url = sqs.create_queue(QueueName=SUBSCRIBER_QUEUE)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    for topic in sns.list_topics()["Topics"]:
        if topic["TopicArn"].rsplit(":", 1)[-1].startswith("dbops-ttl-archive-"):
            sns.subscribe(TopicArn=topic["TopicArn"], Protocol="sqs", Endpoint=queue_arn)
    for table in dynamodb.list_tables()["TableNames"]:
        if table.startswith(SOURCE_TABLE_PREFIX):
            expired = seed_and_expire(dynamodb, table, now=int(time.time()))
            records = lambda_records(stack.client("dynamodbstreams"), dynamodb, table, expired)
            selected = [r["dynamodb"]["Keys"]["pk"]["S"] for r in records if filter_selects(r)]
            if sorted(selected) != sorted(expired):
                raise RuntimeError(f"the FilterCriteria selected {selected}, TTL deleted {sorted(expired)}")
    return {}


def seed_and_expire(dynamodb: DynamoDBClient, table: str, *, now: int, ttl_attribute: str = "expires_at") -> list[str]:
    """Write items (some expired), delete the expired ones and one live one; the expired items' keys."""
    items = {
        "expired#1": now - 3600,
        "expired#2": now - 86400 - 60,
        "live#1": now + 86400,
        "live#2": now + 7200,
    }
    for pk, expires in items.items():
        dynamodb.put_item(
            TableName=table,
            Item={
                "pk": {"S": pk},
                ttl_attribute: {"N": str(expires)},
                "payload": {"B": pk.encode()},
                "price": {"N": "12345678901234567890.123456789012345678"},
                "tags": {"SS": ["b", "a"]},
            },
        )
    dynamodb.update_item(
        TableName=table,
        Key={"pk": {"S": "live#2"}},
        UpdateExpression="SET note = :n",
        ExpressionAttributeValues={":n": {"S": "modified"}},
    )
    expired = [pk for pk, expires in items.items() if expires < now]
    for pk in [*expired, "live#1"]:
        dynamodb.delete_item(TableName=table, Key={"pk": {"S": pk}})
    return expired


def lambda_records(
    streams: DynamoDBStreamsClient, dynamodb: DynamoDBClient, table: str, expired: list[str]
) -> list[dict[str, Any]]:
    """The table's stream records as Lambda's event delivers them; deletions of ``expired`` items by TTL."""
    stream_arn = dynamodb.describe_table(TableName=table)["Table"]["LatestStreamArn"]
    records: list[dict[str, Any]] = []
    for shard in streams.describe_stream(StreamArn=stream_arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(
            StreamArn=stream_arn, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        for record in streams.get_records(ShardIterator=iterator)["Records"]:
            shaped: dict[str, Any] = as_lambda_delivers(record)
            shaped["eventSourceARN"] = stream_arn
            if shaped["eventName"] == "REMOVE" and shaped["dynamodb"]["Keys"]["pk"]["S"] in expired:
                shaped["userIdentity"] = dict(TTL_SERVICE)
            records.append(shaped)
    return records


def filter_selects(record: dict[str, Any]) -> bool:
    """Whether TtlArchiveFunction's FilterCriteria (from template.yaml) lets ``record`` through."""
    properties = load_template()["Resources"]["TtlArchiveFunction"]["Properties"]
    filters = properties["Events"]["TtlDeletions"]["Properties"]["FilterCriteria"]["Filters"]
    return any(EventPattern.load(f["Pattern"]).matches_event(cast("EventMessageType", record)) for f in filters)
