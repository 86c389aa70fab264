"""Local setup for ttl_archive: a queue subscribed to the archive topic; the function on moto's endpoint."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tools.local_stack import LocalStack

SUBSCRIBER_QUEUE = "ttl-archive-local-subscriber"


def prepare(stack: LocalStack) -> dict[str, str]:
    """Subscribe an SQS queue to the topic moto's CloudFormation made; the function's endpoint override."""
    topics = [topic["TopicArn"] for topic in stack.client("sns").list_topics()["Topics"]]
    archive_topics = [arn for arn in topics if arn.endswith("-ttl-archive")]
    sqs = stack.client("sqs")
    queue_url = sqs.create_queue(QueueName=SUBSCRIBER_QUEUE)["QueueUrl"]
    attributes = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]
    queue_arn = attributes["QueueArn"]
    for topic_arn in archive_topics:
        stack.client("sns").subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=queue_arn)
    # The template declares AWS_ENDPOINT_URL empty (for sam local invoke): locally it must name moto's server.
    return {"AWS_ENDPOINT_URL": stack.endpoint_url}
