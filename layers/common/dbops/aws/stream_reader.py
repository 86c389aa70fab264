"""Read a range of a DynamoDB stream's shard back, as Lambda's event records (for redrives)."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import TYPE_CHECKING, Any

from botocore.exceptions import BotoCoreError, ClientError

from dbops.aws import clients
from dbops.errors import RedriveError

if TYPE_CHECKING:
    from mypy_boto3_dynamodbstreams import DynamoDBStreamsClient

PAGE = 1000
# An open shard answers an empty page at its end; a few in a row mean nothing more is there yet.
EMPTY_PAGES = 3


class StreamReader:
    """Reads stream records by sequence number range, shaped as Lambda delivers them."""

    def __init__(self, client: DynamoDBStreamsClient | None = None) -> None:
        self._client = client or clients.dynamodbstreams()

    def read_range(self, stream_arn: str, shard_id: str, first: str, last: str) -> list[dict[str, Any]]:
        """Records ``first`` to ``last`` (inclusive) of a shard; RedriveError once the stream dropped them."""
        records: list[dict[str, Any]] = []
        try:
            iterator: str | None = self._client.get_shard_iterator(
                StreamArn=stream_arn,
                ShardId=shard_id,
                ShardIteratorType="AT_SEQUENCE_NUMBER",
                SequenceNumber=first,
            )["ShardIterator"]
            empty = 0
            while iterator and empty < EMPTY_PAGES:
                page = self._client.get_records(ShardIterator=iterator, Limit=PAGE)
                empty = 0 if page["Records"] else empty + 1
                for record in page["Records"]:
                    if int(record["dynamodb"]["SequenceNumber"]) > int(last):
                        return records
                    records.append({**as_lambda_delivers(record), "eventSourceARN": stream_arn})
                iterator = page.get("NextShardIterator")
        except (ClientError, BotoCoreError) as error:
            raise RedriveError(
                f"could not read {shard_id} of {stream_arn} from {first} to {last} (a stream keeps records "
                f"24 hours; past that, the items are only in the table's backups): {error}"
            ) from error
        return records


def as_lambda_delivers(value: object) -> Any:
    """boto3's decoded stream record (bytes, datetimes) as Lambda's JSON has it (base64, epoch seconds)."""
    if isinstance(value, bytes | bytearray):
        return base64.b64encode(bytes(value)).decode()
    if isinstance(value, datetime):
        return int(value.timestamp())
    if isinstance(value, dict):
        return {key: as_lambda_delivers(member) for key, member in value.items()}
    if isinstance(value, list | tuple):
        return [as_lambda_delivers(member) for member in value]
    return value
