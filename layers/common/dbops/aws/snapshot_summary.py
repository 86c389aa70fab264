"""Publish the snapshot copy's run summary to its SNS topic."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from dbops.aws import clients

if TYPE_CHECKING:
    from mypy_boto3_sns import SNSClient


class SummaryTopic:
    """The SNS topic operators subscribe to for what each run copied, deleted, deferred or refused."""

    def __init__(self, topic_arn: str, client: SNSClient | None = None) -> None:
        self._topic_arn = topic_arn
        self._client = client or clients.sns()

    def publish(self, subject: str, summary: dict[str, Any]) -> None:
        """Publish ``summary`` as JSON under ``subject`` (SNS caps subjects at 100 characters)."""
        self._client.publish(TopicArn=self._topic_arn, Subject=subject[:100], Message=json.dumps(summary, default=str))
