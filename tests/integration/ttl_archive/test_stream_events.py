"""Real items through a moto table's stream, shaped as Lambda delivers them, archived and announced."""

from __future__ import annotations

import time
from decimal import Decimal
from typing import TYPE_CHECKING

import boto3

from dbops.observability import metrics
from tests.integration.ttl_archive.archive_stack import load_handler
from tools.lambda_context import LocalLambdaContext
from tools.local_setup.ttl_archive import filter_selects, lambda_records, seed_and_expire

if TYPE_CHECKING:
    import pytest

    from tests.integration.ttl_archive.archive_stack import ArchiveStack


def _source_table() -> str:
    boto3.client("dynamodb").create_table(
        TableName="sessions",
        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification={"StreamEnabled": True, "StreamViewType": "OLD_IMAGE"},
    )
    return "sessions"


def test_the_filter_criteria_select_exactly_the_ttl_deletions_when_a_stream_mixes_every_change(
    aws: None,
) -> None:
    table = _source_table()
    dynamodb = boto3.client("dynamodb")
    expired = seed_and_expire(dynamodb, table, now=int(time.time()))

    records = lambda_records(boto3.client("dynamodbstreams"), dynamodb, table, expired)

    assert {r["eventName"] for r in records} == {"INSERT", "MODIFY", "REMOVE"}
    selected = [r["dynamodb"]["Keys"]["pk"]["S"] for r in records if filter_selects(r)]
    assert sorted(selected) == sorted(expired) == ["expired#1", "expired#2"]


def test_the_stream_s_ttl_deletions_are_archived_and_announced_when_the_whole_stream_is_delivered(
    archive_stack: ArchiveStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(metrics, "namespace", "dbops")
    table = _source_table()
    dynamodb = boto3.client("dynamodb")
    expired = seed_and_expire(dynamodb, table, now=int(time.time()))
    records = lambda_records(boto3.client("dynamodbstreams"), dynamodb, table, expired)

    # Unfiltered: the code must skip what the filter would have dropped.
    response = load_handler()({"Records": records}, LocalLambdaContext())

    assert response == {"batchItemFailures": []}
    lines = [line for lines in archive_stack.objects().values() for line in lines]
    assert sorted(line["keys"]["pk"] for line in lines) == expired
    assert {line["item"]["price"] for line in lines} == {Decimal("12345678901234567890.123456789012345678")}
    assert all(line["item"]["tags"] == ["a", "b"] for line in lines)
    announced = archive_stack.announcements()
    assert sum(a["message"]["count"] for a in announced) == len(expired)
    assert {a["attributes"]["table"] for a in announced} == {"sessions"}
