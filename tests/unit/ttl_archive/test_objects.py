"""Archive objects: one per table and expiry date, named by their first record, the same bytes on replay."""

from __future__ import annotations

import gzip
import json

from dbops.archive.objects import Pending, group
from dbops.archive.records import TtlDeletion, classify
from tools.events import load_event


def _pending(name: str) -> list[Pending]:
    decoded = [classify(record, ttl_attribute="expires_at") for record in load_event(name)["Records"]]
    return [Pending(index=i, deletion=d) for i, d in enumerate(decoded) if isinstance(d, TtlDeletion)]


def test_objects_are_partitioned_by_expiry_date_when_records_expire_on_different_days() -> None:
    objects = group(_pending("ttl_archive/ttl_expired.json"), prefix="archive")

    assert [(o.expired.isoformat(), [m.index for m in o.members]) for o in objects] == [
        ("2026-11-18", [0, 1, 3]),
        ("2026-11-17", [2]),
    ]
    first = objects[0].members[0].deletion
    assert objects[0].key == (
        f"archive/table=sessions/expired=2026-11-18/{first.sequence_number.zfill(40)}-{first.event_id}.jsonl.gz"
    )


def test_an_object_is_named_by_its_first_record_when_later_records_change() -> None:
    pending = _pending("ttl_archive/ttl_expired.json")

    whole = group(pending, prefix="archive")[0]
    shorter = group([p for p in pending if p.index < 3], prefix="archive")[0]

    assert shorter.key == whole.key
    assert shorter.sha256 != whole.sha256


def test_the_body_is_byte_identical_when_built_twice() -> None:
    first = group(_pending("ttl_archive/ttl_expired.json"), prefix="archive")[0]
    second = group(_pending("ttl_archive/ttl_expired.json"), prefix="archive")[0]

    assert first.body == second.body
    lines = gzip.decompress(first.body).decode().splitlines()
    assert [json.loads(line)["sequence_number"] for line in lines] == [
        m.deletion.sequence_number for m in first.members
    ]


def test_the_announcement_describes_the_object_when_built() -> None:
    obj = group(_pending("ttl_archive/ttl_expired.json"), prefix="archive")[0]

    announcement = obj.announcement("bucket-1")

    assert announcement["count"] == 3
    assert announcement["key"] == obj.key
    assert announcement["expires_from"] == "2026-11-18T01:00:00Z"
    assert announcement["expires_to"] == "2026-11-18T22:13:20Z"
    assert len(json.dumps(announcement)) < 1024
