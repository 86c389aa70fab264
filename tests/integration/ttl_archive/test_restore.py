"""Restore: the archive's DynamoDB JSON, fed to ImportTable, gives back the deleted items, value for value."""

from __future__ import annotations

import base64
import gzip
import json
import time
from typing import TYPE_CHECKING, Any

import boto3
from boto3.dynamodb.types import TypeDeserializer

from dbops.observability import metrics
from tests.integration.ttl_archive.archive_stack import load_handler
from tools.events import load_event
from tools.lambda_context import LocalLambdaContext

if TYPE_CHECKING:
    import pytest

    from tests.integration.ttl_archive.archive_stack import ArchiveStack

DESERIALIZER = TypeDeserializer()


def _as_client_sends(typed: Any) -> Any:
    """Lambda's DynamoDB JSON (binary as base64 text) as boto3's client takes it (binary as bytes)."""
    if isinstance(typed, dict):
        if set(typed) == {"B"}:
            return {"B": base64.b64decode(typed["B"])}
        if set(typed) == {"BS"}:
            return {"BS": [base64.b64decode(value) for value in typed["BS"]]}
        return {key: _as_client_sends(value) for key, value in typed.items()}
    if isinstance(typed, list):
        return [_as_client_sends(value) for value in typed]
    return typed


def _scan(table: str) -> dict[str, dict[str, Any]]:
    items = boto3.client("dynamodb").scan(TableName=table)["Items"]
    return {item["pk"]["S"]: {k: DESERIALIZER.deserialize(v) for k, v in item.items()} for item in items}


def _table(name: str) -> dict[str, Any]:
    return {
        "TableName": name,
        "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"}],
        "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
        "BillingMode": "PAY_PER_REQUEST",
    }


def test_archived_items_equal_the_originals_when_imported_with_import_table(
    archive_stack: ArchiveStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(metrics, "namespace", "dbops")
    event = load_event("ttl_archive/ttl_expired.json")
    dynamodb = boto3.client("dynamodb")
    dynamodb.create_table(**_table("sessions"))
    for record in event["Records"]:
        dynamodb.put_item(TableName="sessions", Item=_as_client_sends(record["dynamodb"]["OldImage"]))
    originals = _scan("sessions")
    assert load_handler()(event, LocalLambdaContext()) == {"batchItemFailures": []}

    # The restore file is each line's "dynamodb" member (`jq -c .dynamodb`). moto's ImportTable parser does
    # not decode \\u escapes (AWS's does), so the file is written as UTF-8 text.
    restore_lines = [
        json.dumps(line["dynamodb"], ensure_ascii=False, default=str)
        for lines in archive_stack.objects().values()
        for line in lines
    ]
    s3 = boto3.client("s3")
    s3.put_object(
        Bucket=archive_stack.bucket,
        Key="restore/sessions.json.gz",
        Body=gzip.compress("\n".join(restore_lines).encode()),
    )
    imported = dynamodb.import_table(
        S3BucketSource={"S3Bucket": archive_stack.bucket, "S3KeyPrefix": "restore/"},
        InputFormat="DYNAMODB_JSON",
        InputCompressionType="GZIP",
        TableCreationParameters=_table("sessions-restored"),
    )["ImportTableDescription"]
    for _ in range(100):
        status = dynamodb.describe_import(ImportArn=imported["ImportArn"])["ImportTableDescription"]
        if status["ImportStatus"] != "IN_PROGRESS":
            break
        time.sleep(0.05)

    assert status["ImportStatus"] == "COMPLETED", status
    assert status["ImportedItemCount"] == len(originals) == 4
    assert _scan("sessions-restored") == originals
