"""TtlArchiveFunction on a 10,000-record batch (the stream maximum) of 1 KB items, end to end against moto.

Three ways over the same records, in one run:
- ``archive``: the handler (decode, group by table and expiry date, gzip'd JSON Lines, S3, SNS, idempotency);
- ``per_item``: the anchors' way, one S3 object per item (decoded the same way, plain JSON, no gzip);
- ``floor``: decode + JSON + gzip alone, no I/O.
Each reports records per second (pytest-benchmark's timing), S3 requests per 1,000 items and peak memory
(tracemalloc, in a separate untimed run), in ``extra_info``. Run with ``make bench``.
"""

from __future__ import annotations

import copy
import json
import os
import tracemalloc
import uuid
from collections import Counter
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from moto import mock_aws

from dbops import settings
from dbops.archive.dynamodb_json import item_to_plain
from dbops.archive.objects import Pending, group
from dbops.archive.records import TtlDeletion, classify
from dbops.aws import clients
from dbops.observability import metrics
from tests.integration.ttl_archive.archive_stack import load_handler
from tools.lambda_context import LocalLambdaContext

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

RECORDS = 10_000
EXPIRY = 1794960000
STREAM_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/sessions/stream/2026-11-01T00:00:00.000"


def _event() -> dict[str, Any]:
    records = []
    for position in range(RECORDS):
        image = {
            "pk": {"S": f"session#{position:06d}"},
            "expires_at": {"N": str(EXPIRY + position * 17)},  # about two days of expiries
            "user": {"S": f"user-{position % 977}"},
            "score": {"N": f"{position}.{position % 97:02d}"},
            "roles": {"SS": ["reader", "writer"]},
            "payload": {"S": "x" * 850},
        }
        records.append(
            {
                "eventID": uuid.UUID(int=position).hex,
                "eventName": "REMOVE",
                "eventSource": "aws:dynamodb",
                "eventSourceARN": STREAM_ARN,
                "userIdentity": {"type": "Service", "principalId": "dynamodb.amazonaws.com"},
                "dynamodb": {
                    "Keys": {"pk": image["pk"]},
                    "OldImage": image,
                    "SequenceNumber": str(10**20 + position),
                    "StreamViewType": "OLD_IMAGE",
                    "ApproximateCreationDateTime": EXPIRY + position * 17 + 600,
                },
            }
        )
    return {"Records": records}


EVENT = _event()


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_REGION": "us-east-1",
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_SERVICE_NAME": "ttl_archive",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_ENDPOINT_URL", raising=False)
    monkeypatch.setattr(metrics, "namespace", "dbops")


@pytest.fixture
def moto() -> Iterator[None]:
    with mock_aws():
        yield


def _fresh_copy() -> tuple[tuple[dict[str, Any]], dict[str, Any]]:
    """The event as a fresh invocation gets it (copied outside the timing)."""
    return (copy.deepcopy(EVENT),), {}


def _fresh_stack_and_copy() -> tuple[tuple[dict[str, Any]], dict[str, Any]]:
    _fresh_stack()
    return _fresh_copy()


def _fresh_stack() -> Counter[str]:
    """New resources (so nothing is skipped as already written), fresh clients; a counter of S3 requests."""
    suffix = uuid.uuid4().hex[:8]
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket=f"bench-{suffix}")
    topic = boto3.client("sns").create_topic(Name=f"bench-{suffix}")["TopicArn"]
    boto3.client("dynamodb").create_table(
        TableName=f"bench-{suffix}",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        BillingMode="PAY_PER_REQUEST",
    )
    os.environ.update(ARCHIVE_BUCKET=f"bench-{suffix}", ARCHIVE_TOPIC_ARN=topic, IDEMPOTENCY_TABLE=f"bench-{suffix}")
    clients.reset()
    settings.reset()
    requests: Counter[str] = Counter()
    clients.s3().meta.events.register("before-call.s3", lambda model, **_: requests.update([model.name]))
    return requests


def _peak_memory(run: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _report(benchmark: Any, requests: Counter[str], items: int, peak: int) -> None:
    seconds = benchmark.stats.stats.mean
    benchmark.extra_info.update(
        records_per_second=round(RECORDS / seconds),
        s3_requests_per_1000_items=round(sum(requests.values()) * 1000 / items, 2),
        s3_requests=dict(requests),
        peak_memory_mib=round(peak / 2**20, 1),
    )
    print(f"\n{benchmark.name}: {json.dumps(benchmark.extra_info)}")


def test_archive_end_to_end(benchmark: Any, moto: None) -> None:
    handler = load_handler()

    def run() -> None:
        assert handler(copy.deepcopy(EVENT), LocalLambdaContext(timeout_seconds=900)) == {"batchItemFailures": []}

    benchmark.pedantic(run, setup=_fresh_stack, rounds=3, iterations=1)
    requests = _fresh_stack()
    peak = _peak_memory(run)
    _report(benchmark, Counter({k: v for k, v in requests.items()}), RECORDS, peak)


def test_one_object_per_item(benchmark: Any, moto: None) -> None:
    def run(event: dict[str, Any]) -> None:
        s3, bucket = clients.s3(), os.environ["ARCHIVE_BUCKET"]
        for record in event["Records"]:
            deletion = classify(record, ttl_attribute="expires_at")
            assert isinstance(deletion, TtlDeletion)
            s3.put_object(Bucket=bucket, Key=f"per-item/{deletion.sequence_number}.json", Body=deletion.line().encode())

    benchmark.pedantic(run, setup=_fresh_stack_and_copy, rounds=1, iterations=1)
    requests = _fresh_stack()
    event = copy.deepcopy(EVENT)
    _report(benchmark, requests, RECORDS, _peak_memory(lambda: run(event)))


def test_floor_decode_json_gzip(benchmark: Any) -> None:
    def run(event: dict[str, Any]) -> int:
        records = event["Records"]
        pending = [
            Pending(index=i, deletion=d)
            for i, d in enumerate(classify(r, ttl_attribute="expires_at") for r in records)
            if isinstance(d, TtlDeletion)
        ]
        return sum(len(obj.body) for obj in group(pending, prefix="bench"))

    benchmark.pedantic(run, setup=_fresh_copy, rounds=5, iterations=1)
    event = copy.deepcopy(EVENT)
    _report(benchmark, Counter(), RECORDS, _peak_memory(lambda: run(event)))
    assert item_to_plain(EVENT["Records"][0]["dynamodb"]["OldImage"])["payload"] == "x" * 850
