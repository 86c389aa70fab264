"""Where a failed batch is cut: never inside an object that was written."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from dbops.archive.batch import settle
from dbops.archive.objects import ArchiveObject, Pending, group
from dbops.archive.records import TtlDeletion


def _objects(days: str) -> list[ArchiveObject]:
    """One record per character: the character is the record's expiry day."""
    pending = [
        Pending(
            index=index,
            deletion=TtlDeletion(
                table="t",
                sequence_number=str(100 + index),
                event_id=f"e{index}",
                expires_at=datetime(2026, 11, int(day), tzinfo=UTC),
                deleted_at=None,
                keys={},
                item={},
                dynamodb_item={},
            ),
        )
        for index, day in enumerate(days)
    ]
    return group(pending, prefix="p")


@pytest.mark.parametrize(
    ("days", "failed_at", "cut"),
    [
        ("111222", 3, 3),  # no object spans record 3
        ("121212", 1, 0),  # day 1 spans records 0..4: nothing can be committed
        ("112122", 2, 0),  # day 1 (records 0, 1, 3) straddles record 2
        ("1112333", 4, 4),  # day 2 (record 3) ends before 4: the cut stays
        ("1121133", 5, 5),
        ("3112", 3, 3),  # day 3 (record 0) and day 1 (records 1, 2) end before record 3
    ],
)
def test_the_cut_moves_before_every_straddling_object_when_an_object_fails(days: str, failed_at: int, cut: int) -> None:
    objects = _objects(days)

    settled = settle(objects, failed_at)

    assert settled == cut
    assert all(not (obj.first_index < settled <= obj.last_index) for obj in objects)
