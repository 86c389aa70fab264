"""One Lambda DynamoDB stream record: a TTL deletion to archive, or a record to skip (and why)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from dbops.archive.dynamodb_json import Plain, dumps, item_to_plain, number
from dbops.errors import MalformedRecordError, MissingOldImageError

# What DynamoDB's TTL process writes as the identity of its deletions (and nothing else does).
TTL_PRINCIPAL = {"type": "Service", "principalId": "dynamodb.amazonaws.com"}
EVENT_NAMES = {"INSERT", "MODIFY", "REMOVE"}
STREAM_ARN = re.compile(r"arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table/(?P<table>[A-Za-z0-9_.-]{3,255})/stream/.+")
SEQUENCE_NUMBER = re.compile(r"\d{1,40}")


@dataclass(frozen=True)
class Skipped:
    """A record that is not a TTL deletion: counted, never archived."""

    reason: str


@dataclass(frozen=True)
class TtlDeletion:
    """An item DynamoDB's TTL process deleted, decoded and ready to be written as one archive line."""

    table: str
    sequence_number: str
    event_id: str
    expires_at: datetime
    deleted_at: datetime | None
    keys: dict[str, Plain]
    item: dict[str, Plain]
    dynamodb_item: dict[str, Any]

    def line(self) -> str:
        """The archive line: plain item, ImportTable's item, keys, table, times and sequence number."""
        fields: dict[str, Plain] = {
            "table": self.table,
            "sequence_number": self.sequence_number,
            "event_id": self.event_id,
            "expires_at": _iso(self.expires_at),
            "deleted_at": _iso(self.deleted_at) if self.deleted_at else None,
            "keys": self.keys,
            "item": self.item,
        }
        # ImportTable (DYNAMODB_JSON) reads one {"Item": ...} per line: that object is kept as it came.
        return dumps(fields)[:-1] + ',"dynamodb":' + json.dumps({"Item": self.dynamodb_item}) + "}"


def classify(record: object, *, ttl_attribute: str) -> TtlDeletion | Skipped:
    """Decode a raw stream record; MalformedRecordError (MissingOldImageError) when it cannot be archived."""
    if not isinstance(record, dict):
        raise MalformedRecordError("a stream record must be a JSON object")
    event_name = record.get("eventName")
    if event_name not in EVENT_NAMES:
        raise MalformedRecordError(f"eventName must be one of {sorted(EVENT_NAMES)}, got {event_name!r}")
    stream = record.get("dynamodb")
    if not isinstance(stream, dict):
        raise MalformedRecordError("the record has no 'dynamodb' object: is this a DynamoDB stream record?")
    sequence_number = stream.get("SequenceNumber")
    if not isinstance(sequence_number, str) or not SEQUENCE_NUMBER.fullmatch(sequence_number):
        raise MalformedRecordError("dynamodb.SequenceNumber must be a string of up to 40 digits")
    if event_name != "REMOVE":
        return Skipped(reason=event_name.lower())
    if record.get("userIdentity") != TTL_PRINCIPAL:
        return Skipped(reason="user delete")
    return _ttl_deletion(record, stream, sequence_number, ttl_attribute)


def table_name(stream_arn: object) -> str:
    """The table a stream belongs to, from the record's eventSourceARN."""
    match = STREAM_ARN.fullmatch(stream_arn) if isinstance(stream_arn, str) else None
    if match is None:
        raise MalformedRecordError(
            "eventSourceARN must be a DynamoDB stream ARN (arn:aws:dynamodb:REGION:ACCOUNT:table/NAME/stream/LABEL)"
        )
    return match["table"]


def _ttl_deletion(
    record: dict[str, Any], stream: dict[str, Any], sequence_number: str, ttl_attribute: str
) -> TtlDeletion:
    table = table_name(record.get("eventSourceARN"))
    old_image = stream.get("OldImage")
    if old_image is None:
        view_type = stream.get("StreamViewType", "unknown")
        raise MissingOldImageError(
            f"TTL deletion {sequence_number} of table {table} has no OldImage "
            f"(stream view type {view_type}): "
            "set the table's StreamViewType to OLD_IMAGE or NEW_AND_OLD_IMAGES, then redrive"
        )
    item = item_to_plain(old_image)
    keys = item_to_plain(stream.get("Keys"))
    expiry = old_image.get(ttl_attribute)
    if not isinstance(expiry, dict) or "N" not in expiry:
        raise MalformedRecordError(
            f"TTL deletion {sequence_number} of table {table} has no number attribute {ttl_attribute!r}: "
            "set TTL_ATTRIBUTE to the attribute the table's TTL reads"
        )
    return TtlDeletion(
        table=table,
        sequence_number=sequence_number,
        event_id=str(record.get("eventID", "")),
        expires_at=_epoch(number(expiry["N"], path=ttl_attribute), ttl_attribute),
        deleted_at=_deleted_at(stream.get("ApproximateCreationDateTime")),
        keys=keys,
        item=item,
        dynamodb_item=old_image,
    )


def _epoch(seconds: Decimal, name: str) -> datetime:
    try:
        return datetime.fromtimestamp(int(seconds), tz=UTC)
    except (OverflowError, ValueError, OSError):
        raise MalformedRecordError(f"{name}: {seconds} is not a time in epoch seconds") from None


def _deleted_at(value: object) -> datetime | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return _epoch(Decimal(value), "ApproximateCreationDateTime")


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
