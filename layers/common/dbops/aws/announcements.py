"""Archive announcements on SNS, each object version announced once (Powertools idempotency in DynamoDB)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.utilities.idempotency import (
    DynamoDBPersistenceLayer,
    IdempotencyConfig,
    idempotent_function,
)
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyAlreadyInProgressError,
    IdempotencyPersistenceLayerError,
)
from botocore.exceptions import BotoCoreError, ClientError

from dbops.aws import clients
from dbops.errors import ArchiveWriteError

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.typing import LambdaContext
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_sns import SNSClient

    from dbops.archive.objects import Announcement


class ArchiveAnnouncer:
    """Publishes one message per archive object version, keyed on bucket, key and content digest."""

    def __init__(
        self,
        topic_arn: str,
        idempotency_table: str,
        *,
        remember_seconds: int,
        sns: SNSClient | None = None,
        dynamodb: DynamoDBClient | None = None,
    ) -> None:
        self._topic_arn = topic_arn
        self._sns = sns or clients.sns()
        self._config = IdempotencyConfig(
            event_key_jmespath="[bucket, key, sha256]",
            raise_on_no_idempotency_key=True,
            expires_after_seconds=remember_seconds,
        )
        persistence = DynamoDBPersistenceLayer(
            table_name=idempotency_table, boto3_client=dynamodb or clients.dynamodb()
        )
        self._publish_once = idempotent_function(
            data_keyword_argument="announcement",
            persistence_store=persistence,
            config=self._config,
            key_prefix="ttl_archive.announce",
        )(self._publish)

    def register_lambda_context(self, context: LambdaContext | None) -> None:
        """Let an in-progress marker expire with the invocation, so a crashed publish is retried."""
        if context is not None:
            self._config.register_lambda_context(context)

    def announce(self, announcement: Announcement) -> str:
        """Publish ``announcement`` unless this object version was announced already; the message id."""
        try:
            message_id: str = self._publish_once(announcement=announcement)
        except (
            ClientError,
            BotoCoreError,
            IdempotencyAlreadyInProgressError,
            IdempotencyPersistenceLayerError,
        ) as error:
            raise ArchiveWriteError(
                f"could not announce s3://{announcement['bucket']}/{announcement['key']}"
            ) from error
        return message_id

    def _publish(self, announcement: dict[str, Any]) -> str:
        response = self._sns.publish(
            TopicArn=self._topic_arn,
            Subject="dbops TTL archive object",
            Message=json.dumps(announcement),
            MessageAttributes={
                "table": {"DataType": "String", "StringValue": announcement["table"]},
                "count": {"DataType": "Number", "StringValue": str(announcement["count"])},
            },
        )
        return response["MessageId"]
