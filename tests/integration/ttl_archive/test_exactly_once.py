"""Exactly once: whatever fails, and however Lambda retries, every TTL item lands in the archive once.

A small model of Lambda's stream event source mapping drives the real handler against moto: each batch starts
at the shard's checkpoint; a partial batch response moves the checkpoint to the lowest reported record; a
function error retries the batch whole or bisected; a committed batch is sometimes delivered again. S3 and
SNS fail at random points (errors the adapters report, and crashes that end the invocation mid-way).
"""

from __future__ import annotations

import contextlib
import copy
import random
import uuid
from collections import Counter
from typing import TYPE_CHECKING, Any

import pytest
from botocore.exceptions import ClientError

from dbops.aws import clients
from dbops.observability import metrics
from tests.integration.ttl_archive.archive_stack import load_handler
from tools.lambda_context import LocalLambdaContext

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.integration.ttl_archive.archive_stack import ArchiveStack

TRIALS = 30
RECORDS_PER_SHARD = 40
DAY = 86400
FIRST_EXPIRY = 1794960000
STREAM_ARN = "arn:aws:dynamodb:us-east-1:123456789012:table/trials/stream/2026-11-01T00:00:00.000"
TTL_SERVICE = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}


class Crash(Exception):  # noqa: N818 - stands for the invocation dying (a timeout, an out-of-memory)
    """The invocation ends here, as a Lambda timeout would end it."""


def _shard(rng: random.Random) -> list[dict[str, Any]]:
    records = []
    for position in range(RECORDS_PER_SHARD):
        kind = rng.choices(["ttl", "user", "INSERT", "MODIFY"], weights=[6, 2, 1, 1])[0]
        expires = FIRST_EXPIRY + rng.randint(0, 2) * DAY + rng.randint(0, DAY - 1)
        image = {
            "pk": {"S": f"item#{position}"},
            "expires_at": {"N": str(expires)},
            "n": {"N": f"{position}.5"},
        }
        record: dict[str, Any] = {
            "eventID": uuid.UUID(int=rng.getrandbits(128)).hex,
            "eventName": "REMOVE" if kind in {"ttl", "user"} else kind,
            "eventSource": "aws:dynamodb",
            "eventSourceARN": STREAM_ARN,
            "dynamodb": {
                "Keys": {"pk": image["pk"]},
                "OldImage": image,
                "SequenceNumber": str(10**20 + position * 100),
                "StreamViewType": "OLD_IMAGE",
                "ApproximateCreationDateTime": expires + 600,
            },
        }
        if kind == "ttl":
            record["userIdentity"] = dict(TTL_SERVICE)
        records.append(record)
    return records


def _inject_faults(rng: random.Random, enabled: list[bool]) -> None:
    def maybe_fail(operation: str) -> Callable[..., None]:
        def hook(**_: Any) -> None:
            if not enabled[0]:
                return
            draw = rng.random()
            if draw < 0.12:
                raise ClientError({"Error": {"Code": "ServiceUnavailable", "Message": "injected"}}, operation)
            if draw < 0.16:
                raise Crash(f"invocation ended during {operation}")

        return hook

    def maybe_crash_after(**_: Any) -> None:
        if enabled[0] and rng.random() < 0.05:
            raise Crash("invocation ended after an object was written")

    clients.s3().meta.events.register("before-call.s3.PutObject", maybe_fail("PutObject"))
    clients.s3().meta.events.register("after-call.s3.PutObject", maybe_crash_after)
    clients.s3().meta.events.register("before-call.s3.HeadObject", maybe_fail("HeadObject"))
    clients.sns().meta.events.register("before-call.sns.Publish", maybe_fail("Publish"))


def _drive(shard: list[dict[str, Any]], rng: random.Random, handler: Callable[..., Any]) -> Counter[str]:
    """Deliver the shard as Lambda would until the checkpoint passes its end; count what happened."""
    events: Counter[str] = Counter()
    checkpoint, size = 0, None
    while checkpoint < len(shard):
        events["invocations"] += 1
        assert events["invocations"] < 3000, "the shard never drained"
        size = size or rng.randint(1, 15)
        batch = shard[checkpoint : checkpoint + size]
        try:
            response = handler({"Records": copy.deepcopy(batch)}, LocalLambdaContext())
        except Exception:  # noqa: BLE001 - any function error: Lambda retries whole or bisects
            events["function errors"] += 1
            size = max(1, len(batch) // 2) if rng.random() < 0.5 else len(batch)
            continue
        failures = [item["itemIdentifier"] for item in response["batchItemFailures"]]
        sequence_numbers = [record["dynamodb"]["SequenceNumber"] for record in batch]
        if failures:
            events["partial failures"] += 1
            checkpoint += min(sequence_numbers.index(failure) for failure in failures)
        else:
            if rng.random() < 0.1:
                events["redeliveries"] += 1
                # The checkpoint has moved on whatever this duplicate does.
                with contextlib.suppress(Exception):
                    handler({"Records": copy.deepcopy(batch)}, LocalLambdaContext())
            checkpoint += len(batch)
        size = None
    return events


@pytest.mark.parametrize("seed", range(TRIALS))
def test_every_ttl_item_is_archived_exactly_once_when_s3_and_sns_fail_at_random_points(
    seed: int, archive_stack: ArchiveStack, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(metrics, "namespace", "dbops")
    rng = random.Random(seed)
    shard = _shard(rng)
    enabled = [True]
    _inject_faults(rng, enabled)

    events = _drive(shard, rng, load_handler())

    enabled[0] = False
    expected = sorted(r["dynamodb"]["SequenceNumber"] for r in shard if r.get("userIdentity") == TTL_SERVICE)
    assert archive_stack.archived_sequence_numbers() == expected, events
    announced = Counter((a["message"]["key"], a["message"]["sha256"]) for a in archive_stack.announcements())
    assert all(count == 1 for count in announced.values()), announced
    s3 = clients.s3()
    for key in archive_stack.objects():
        digest = s3.head_object(Bucket=archive_stack.bucket, Key=key)["Metadata"]["sha256"]
        assert (key, digest) in announced, f"{key} in its current version was never announced"
