"""TtlArchiveFunction on its sample events, against moto's S3, SNS, SQS and DynamoDB."""

from __future__ import annotations

import copy
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from botocore.exceptions import ClientError

from dbops.aws import clients
from dbops.errors import ArchiveWriteError
from tools.events import load_event
from tools.lambda_context import LocalLambdaContext

if TYPE_CHECKING:
    from tests.integration.ttl_archive.archive_stack import ArchiveStack

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


def _fail(operation: str) -> Callable[..., None]:
    def hook(**_: Any) -> None:
        raise ClientError({"Error": {"Code": "ServiceUnavailable", "Message": "injected"}}, operation)

    return hook


def _ttl_sequence_numbers(event: dict[str, Any]) -> list[str]:
    return sorted(
        r["dynamodb"]["SequenceNumber"]
        for r in event["Records"]
        if r["eventName"] == "REMOVE"
        and r.get("userIdentity") == {"type": "Service", "principalId": "dynamodb.amazonaws.com"}
    )


def test_every_ttl_item_is_archived_and_announced_when_a_batch_expires(
    handler: Handler, archive_stack: ArchiveStack, lambda_context: LocalLambdaContext
) -> None:
    event = load_event("ttl_archive/ttl_expired.json")

    response = handler(event, lambda_context)

    assert response == {"batchItemFailures": []}
    objects = archive_stack.objects()
    assert sorted(k.split("/")[2] for k in objects) == ["expired=2026-11-17", "expired=2026-11-18"]
    assert all(k.startswith("ttl-archive/table=sessions/") and k.endswith(".jsonl.gz") for k in objects)
    assert archive_stack.archived_sequence_numbers() == _ttl_sequence_numbers(event)
    announcements = archive_stack.announcements()
    assert sorted(a["message"]["key"] for a in announcements) == sorted(objects)
    assert {a["attributes"]["table"] for a in announcements} == {"sessions"}
    assert sorted(int(a["attributes"]["count"]) for a in announcements) == [1, 3]


def test_the_archive_keeps_exact_values_when_items_hold_every_type(
    handler: Handler, archive_stack: ArchiveStack, lambda_context: LocalLambdaContext
) -> None:
    event = load_event("ttl_archive/ttl_expired.json")

    handler(event, lambda_context)

    lines = {line["sequence_number"]: line for lines in archive_stack.objects().values() for line in lines}
    first = event["Records"][0]
    line = lines[first["dynamodb"]["SequenceNumber"]]
    assert line["item"]["scores"] == [Decimal("-2.5"), Decimal(10), Decimal("9" * 38)]
    assert line["item"]["avatar"] == first["dynamodb"]["OldImage"]["avatar"]["B"]
    assert line["dynamodb"] == {"Item": first["dynamodb"]["OldImage"]}


def test_a_replay_writes_the_same_objects_and_announces_nothing_when_the_event_comes_twice(
    handler: Handler, archive_stack: ArchiveStack, lambda_context: LocalLambdaContext
) -> None:
    event = load_event("ttl_archive/ttl_expired.json")
    handler(event, lambda_context)
    objects, versions = archive_stack.objects(), archive_stack.versions()
    announced = archive_stack.announcements()

    response = handler(copy.deepcopy(event), LocalLambdaContext())

    assert response == {"batchItemFailures": []}
    assert archive_stack.objects() == objects
    assert archive_stack.versions() == versions == len(objects)
    assert archive_stack.announcements() == []
    assert len(announced) == len(objects)


def test_user_deletes_inserts_and_modifies_are_never_archived_when_mixed_with_ttl_deletions(
    handler: Handler, archive_stack: ArchiveStack, lambda_context: LocalLambdaContext
) -> None:
    event = load_event("ttl_archive/mixed_batch.json")

    response = handler(event, lambda_context)

    assert response == {"batchItemFailures": []}
    archived = [line["keys"]["pk"] for lines in archive_stack.objects().values() for line in lines]
    assert sorted(archived) == ["order#2", "order#5", "order#7"]


def _fail_call(number: int, operation: str) -> Callable[..., None]:
    calls = {"n": 0}

    def hook(**_: Any) -> None:
        calls["n"] += 1
        if calls["n"] == number:
            raise ClientError({"Error": {"Code": "SlowDown", "Message": "injected"}}, operation)

    return hook


def test_the_records_from_a_failed_write_on_are_reported_when_s3_fails_mid_batch(
    handler: Handler, archive_stack: ArchiveStack, lambda_context: LocalLambdaContext
) -> None:
    event = load_event("ttl_archive/mixed_batch.json")
    clients.s3().meta.events.register("before-call.s3.PutObject", _fail_call(2, "PutObject"))

    response = handler(event, lambda_context)

    # Objects: 2026-11-18 holds records 1 and 4, 2026-11-20 record 6, whose write fails.
    assert response == {"batchItemFailures": [{"itemIdentifier": event["Records"][6]["dynamodb"]["SequenceNumber"]}]}
    assert [a["message"]["count"] for a in archive_stack.announcements()] == [2]
    assert archive_stack.archived_sequence_numbers() == sorted(
        event["Records"][i]["dynamodb"]["SequenceNumber"] for i in (1, 4)
    )


def test_the_batch_fails_whole_and_bisected_retries_archive_it_once_when_a_failed_object_is_straddled(
    handler: Handler, archive_stack: ArchiveStack, lambda_context: LocalLambdaContext
) -> None:
    event = load_event("ttl_archive/ttl_expired.json")
    # 2026-11-18 holds records 0, 1, 3 and straddles 2026-11-17 (record 2), whose write fails.
    hook = _fail_call(2, "PutObject")
    clients.s3().meta.events.register("before-call.s3.PutObject", hook)
    with pytest.raises(ArchiveWriteError, match="no record of this batch could be archived"):
        handler(event, lambda_context)
    assert archive_stack.announcements() == []
    clients.s3().meta.events.unregister("before-call.s3.PutObject", hook)

    first_half = handler({"Records": copy.deepcopy(event["Records"][:2])}, LocalLambdaContext())
    second_half = handler({"Records": copy.deepcopy(event["Records"][2:])}, LocalLambdaContext())

    assert first_half == second_half == {"batchItemFailures": []}
    assert archive_stack.archived_sequence_numbers() == _ttl_sequence_numbers(event)
    assert len(archive_stack.announcements()) == len(archive_stack.objects()) == 3


def test_the_retry_completes_the_archive_exactly_once_when_lambda_redelivers_the_whole_batch(
    handler: Handler, archive_stack: ArchiveStack, lambda_context: LocalLambdaContext
) -> None:
    event = load_event("ttl_archive/ttl_expired.json")
    hook = _fail("PutObject")
    clients.s3().meta.events.register("before-call.s3.PutObject", hook)
    with pytest.raises(ArchiveWriteError, match="no record of this batch could be archived"):
        handler(event, lambda_context)
    clients.s3().meta.events.unregister("before-call.s3.PutObject", hook)

    response = handler(copy.deepcopy(event), LocalLambdaContext())

    assert response == {"batchItemFailures": []}
    assert archive_stack.archived_sequence_numbers() == _ttl_sequence_numbers(event)


def test_a_failed_announcement_is_reported_and_retried_once_when_sns_fails(
    handler: Handler, archive_stack: ArchiveStack, lambda_context: LocalLambdaContext
) -> None:
    event = load_event("ttl_archive/mixed_batch.json")
    hook = _fail("Publish")
    clients.sns().meta.events.register("before-call.sns.Publish", hook)

    response = handler(event, lambda_context)

    # Record 0 is an insert (skipped, committed); the first object starts at record 1.
    assert response == {"batchItemFailures": [{"itemIdentifier": event["Records"][1]["dynamodb"]["SequenceNumber"]}]}
    assert archive_stack.announcements() == []
    clients.sns().meta.events.unregister("before-call.sns.Publish", hook)
    retry = {"Records": copy.deepcopy(event["Records"][1:])}
    assert handler(retry, LocalLambdaContext()) == {"batchItemFailures": []}
    assert len(archive_stack.announcements()) == len(archive_stack.objects()) == 2
    assert archive_stack.archived_sequence_numbers() == _ttl_sequence_numbers(event)


@pytest.mark.parametrize(
    ("name", "complaint"),
    [
        ("invalid_keys_only.json", "OLD_IMAGE or NEW_AND_OLD_IMAGES"),
        ("invalid_malformed_number.json", "not a number"),
    ],
)
def test_bad_input_is_refused_and_nothing_written_when_a_record_cannot_be_archived(
    name: str,
    complaint: str,
    handler: Handler,
    archive_stack: ArchiveStack,
    lambda_context: LocalLambdaContext,
) -> None:
    with pytest.raises(BatchProcessingError) as raised:
        handler(load_event(f"ttl_archive/{name}"), lambda_context)

    assert complaint in str(raised.value.child_exceptions[0][1])
    assert archive_stack.objects() == {}
    assert archive_stack.announcements() == []


def test_a_bad_record_is_reported_and_the_records_before_it_archived_when_it_is_mid_batch(
    handler: Handler, archive_stack: ArchiveStack, lambda_context: LocalLambdaContext
) -> None:
    event = load_event("ttl_archive/ttl_expired.json")
    del event["Records"][2]["dynamodb"]["OldImage"]

    response = handler(event, lambda_context)

    failed_from = event["Records"][2]["dynamodb"]["SequenceNumber"]
    assert response == {"batchItemFailures": [{"itemIdentifier": failed_from}]}
    assert archive_stack.archived_sequence_numbers() == sorted(
        r["dynamodb"]["SequenceNumber"] for r in event["Records"][:2]
    )


def test_the_function_fails_with_the_variable_named_when_a_setting_is_missing(
    handler: Handler,
    archive_stack: ArchiveStack,
    lambda_context: LocalLambdaContext,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ARCHIVE_TOPIC_ARN")

    with pytest.raises(Exception, match="ARCHIVE_TOPIC_ARN is missing"):
        handler(load_event("ttl_archive/single_record.json"), lambda_context)

    assert archive_stack.objects() == {}
