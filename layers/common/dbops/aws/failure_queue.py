"""The on-failure queue of TtlArchiveFunction's stream: the ranges Lambda gave up on."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from dbops.aws import clients
from dbops.errors import RedriveError

if TYPE_CHECKING:
    from mypy_boto3_sqs import SQSClient

# A received range stays hidden this long while it is redriven.
VISIBILITY_SECONDS = 900


@dataclass(frozen=True)
class FailedRange:
    """One shard's sequence number range, from Lambda's on-failure record (DDBStreamBatchInfo)."""

    receipt_handle: str
    stream_arn: str
    shard_id: str
    first: str
    last: str


class FailureQueue:
    """Receives and deletes on-failure records."""

    def __init__(self, queue_url: str, client: SQSClient | None = None) -> None:
        self._url = queue_url
        self._client = client or clients.sqs()

    def receive(self) -> list[FailedRange]:
        """Up to ten ranges waiting in the queue (each hidden for 15 minutes while it is redriven)."""
        messages = self._client.receive_message(
            QueueUrl=self._url,
            MaxNumberOfMessages=10,
            VisibilityTimeout=VISIBILITY_SECONDS,
            WaitTimeSeconds=1,
        ).get("Messages", [])
        return [_failed_range(message["ReceiptHandle"], message["Body"]) for message in messages]

    def delete(self, failed: FailedRange) -> None:
        """Forget a range once it is archived."""
        self._client.delete_message(QueueUrl=self._url, ReceiptHandle=failed.receipt_handle)


def _failed_range(receipt_handle: str, body: str) -> FailedRange:
    try:
        info = json.loads(body)["DDBStreamBatchInfo"]
        return FailedRange(
            receipt_handle=receipt_handle,
            stream_arn=info["streamArn"],
            shard_id=info["shardId"],
            first=info["startSequenceNumber"],
            last=info["endSequenceNumber"],
        )
    except (ValueError, KeyError, TypeError) as error:
        raise RedriveError("a failure queue message is not a Lambda on-failure record of a stream") from error
