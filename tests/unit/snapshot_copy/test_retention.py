"""Which copies retention deletes, and which sources lack a recent copy."""

from __future__ import annotations

from datetime import timedelta

from dbops.snapshots.retention import expired_copies, stale_sources
from tests.unit.snapshot_copy.factories import NOW, our_copy


def test_expired_copies_keeps_the_newest_k_when_all_are_older_than_the_retention() -> None:
    copies = [our_copy("orders", days_ago=days) for days in (10, 20, 30, 40)]

    expired = expired_copies(copies, now=NOW, retention_days=7, keep_latest=2)

    assert {copy.identifier for copy in expired} == {copies[2].identifier, copies[3].identifier}


def test_expired_copies_keeps_copies_when_they_are_within_the_retention() -> None:
    copies = [our_copy("orders", days_ago=days) for days in (1, 2, 3, 4, 5)]

    assert expired_copies(copies, now=NOW, retention_days=7, keep_latest=1) == []


def test_expired_copies_never_deletes_a_copy_when_it_is_still_creating() -> None:
    creating = our_copy("orders", days_ago=30, status="creating")
    copies = [our_copy("orders", days_ago=1), creating]

    assert expired_copies(copies, now=NOW, retention_days=7, keep_latest=1) == []


def test_expired_copies_counts_k_per_source_when_there_are_several_sources() -> None:
    copies = [
        our_copy("orders", days_ago=10),
        our_copy("orders", days_ago=20),
        our_copy("billing", days_ago=30),
    ]

    expired = expired_copies(copies, now=NOW, retention_days=7, keep_latest=1)

    assert [copy.identifier for copy in expired] == [copies[1].identifier]


def test_stale_sources_reports_age_when_the_newest_copy_is_too_old() -> None:
    copies = [
        our_copy("orders", days_ago=3),
        our_copy("orders", days_ago=2),
        our_copy("billing", days_ago=0.5),
    ]

    stale = stale_sources(["orders", "billing", "ledger"], copies, now=NOW, max_age=timedelta(hours=26))

    assert stale == {"orders": 48.0, "ledger": None}
