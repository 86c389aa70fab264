"""Which stream records are TTL deletions, and what an archive line holds."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from dbops.archive.records import Skipped, TtlDeletion, classify
from dbops.errors import MalformedRecordError, MissingOldImageError
from tools.events import load_event


def _records(name: str) -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = load_event(f"ttl_archive/{name}")["Records"]
    return records


def test_only_ttl_removals_are_archived_when_a_batch_mixes_every_event_kind() -> None:
    outcomes = [classify(record, ttl_attribute="expires_at") for record in _records("mixed_batch.json")]

    assert [o.reason if isinstance(o, Skipped) else "ttl" for o in outcomes] == [
        "insert",
        "ttl",
        "user delete",
        "modify",
        "ttl",
        "user delete",
        "ttl",
    ]


def test_a_user_delete_is_skipped_when_it_claims_another_service_principal() -> None:
    record = _records("mixed_batch.json")[5]

    assert record["userIdentity"]["type"] == "Service"
    assert classify(record, ttl_attribute="expires_at") == Skipped(reason="user delete")


def test_a_ttl_deletion_carries_table_times_and_sequence_when_decoded() -> None:
    record = _records("single_record.json")[0]

    deletion = classify(record, ttl_attribute="expires_at")

    assert isinstance(deletion, TtlDeletion)
    assert deletion.table == "sessions"
    assert deletion.sequence_number == record["dynamodb"]["SequenceNumber"]
    assert deletion.expires_at == datetime.fromtimestamp(1794960042, tz=UTC)
    assert deletion.deleted_at == datetime.fromtimestamp(1795000000, tz=UTC)
    assert deletion.keys == {"pk": "session#9", "sk": Decimal(1)}


def test_the_line_holds_plain_and_importable_item_when_written() -> None:
    record = _records("ttl_expired.json")[0]
    deletion = classify(record, ttl_attribute="expires_at")
    assert isinstance(deletion, TtlDeletion)

    line = json.loads(deletion.line(), parse_float=Decimal, parse_int=Decimal)

    assert line["dynamodb"] == {"Item": record["dynamodb"]["OldImage"]}
    assert line["item"]["balance"] == Decimal("12345678901234567890.123456789012345678")
    assert line["item"]["tags"] == ["alpha", "mu", "zeta"]
    assert line["expires_at"] == "2026-11-18T01:00:00Z"
    assert line["table"] == "sessions"
    assert line["sequence_number"] == record["dynamodb"]["SequenceNumber"]


def test_a_keys_only_stream_is_refused_when_a_ttl_deletion_has_no_old_image() -> None:
    record = _records("invalid_keys_only.json")[0]

    with pytest.raises(MissingOldImageError, match=r"KEYS_ONLY.*OLD_IMAGE or NEW_AND_OLD_IMAGES"):
        classify(record, ttl_attribute="expires_at")


def test_the_ttl_attribute_is_named_when_the_item_lacks_it() -> None:
    record = _records("single_record.json")[0]

    with pytest.raises(MalformedRecordError, match=r"'valid_until'.*TTL_ATTRIBUTE"):
        classify(record, ttl_attribute="valid_until")


@pytest.mark.parametrize(
    ("damage", "complaint"),
    [
        (lambda r: r.pop("dynamodb"), "no 'dynamodb' object"),
        (lambda r: r.update(eventName="DELETE"), "eventName must be one of"),
        (lambda r: r["dynamodb"].update(SequenceNumber="12ab"), "SequenceNumber"),
        (lambda r: r.update(eventSourceARN="arn:aws:sqs:us-east-1:123456789012:q"), "eventSourceARN"),
        (lambda r: r["dynamodb"]["OldImage"].update(expires_at={"N": "soon"}), "not a number"),
    ],
)
def test_a_malformed_record_is_refused_when_a_field_is_wrong(damage: Any, complaint: str) -> None:
    record = copy.deepcopy(_records("single_record.json")[0])
    damage(record)

    with pytest.raises(MalformedRecordError, match=complaint):
        classify(record, ttl_attribute="expires_at")
