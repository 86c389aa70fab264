"""Which sources and snapshots a run copies."""

from __future__ import annotations

import dataclasses
import re

from dbops.snapshots.model import POLICY_TAG, Kind, Source
from dbops.snapshots.selection import (
    Selector,
    can_copy_with_key,
    copies_in_progress,
    is_our_copy,
    newest_available,
    source_of_automated_snapshot,
)
from tests.unit.snapshot_copy.factories import automated, our_copy


def test_newest_available_picks_the_latest_automated_snapshot_when_a_source_has_several() -> None:
    snapshots = [
        automated("orders", hours_ago=48),
        automated("orders", hours_ago=1),
        automated("orders", hours_ago=24),
    ]

    newest = newest_available(snapshots)

    assert newest["orders"] == snapshots[1]


def test_newest_available_skips_a_snapshot_when_it_is_still_creating() -> None:
    snapshots = [automated("orders", hours_ago=24), automated("orders", hours_ago=1, status="creating")]

    newest = newest_available(snapshots)

    assert newest["orders"] == snapshots[0]


def test_newest_available_ignores_manual_snapshots_when_they_are_newer() -> None:
    old = automated("orders", hours_ago=24)
    manual = dataclasses.replace(automated("orders", hours_ago=1), snapshot_type="manual")

    assert newest_available([old, manual]) == {"orders": old}


def test_selector_matches_when_any_of_identifier_pattern_or_tag_matches() -> None:
    selector = Selector(identifiers=frozenset({"orders"}), pattern=re.compile(r"prod-.*"), tag=("dr", "yes"))

    assert selector.matches(Source(Kind.INSTANCE, "orders"))
    assert selector.matches(Source(Kind.INSTANCE, "prod-billing"))
    assert selector.matches(Source(Kind.CLUSTER, "ledger", {"dr": "yes"}))
    assert not selector.matches(Source(Kind.CLUSTER, "ledger", {"dr": "no"}))
    assert not selector.matches(Source(Kind.INSTANCE, "staging-prod-x"))


def test_source_of_automated_snapshot_is_none_when_the_snapshot_is_manual() -> None:
    assert source_of_automated_snapshot("rds:orders-db-2026-11-24-03-10") == "orders-db"
    assert source_of_automated_snapshot("orders-db-final") is None


def test_is_our_copy_refuses_a_snapshot_when_it_only_inherited_our_tags() -> None:
    copy = our_copy("orders", days_ago=1)
    copy_of_copy = dataclasses.replace(copy, identifier="someone-elses-copy")

    assert is_our_copy(copy, "default")
    assert not is_our_copy(copy_of_copy, "default")
    assert not is_our_copy(copy, "other-policy")
    assert not is_our_copy(dataclasses.replace(copy, tags={POLICY_TAG: "default"}), "default")


def test_copies_in_progress_counts_ours_and_other_copies_when_they_are_creating() -> None:
    creating = our_copy("orders", days_ago=0, status="creating")
    foreign_copy = dataclasses.replace(
        automated("billing", hours_ago=0, status="creating"),
        snapshot_type="manual",
        copied_from="rds:billing-x",
    )
    foreign_manual = dataclasses.replace(automated("ledger", hours_ago=0, status="creating"), snapshot_type="manual")

    assert copies_in_progress([creating, foreign_copy, foreign_manual, our_copy("a", days_ago=1)], "default") == 2


def test_can_copy_with_key_refuses_when_a_cluster_snapshot_is_unencrypted() -> None:
    cluster = automated("ledger", hours_ago=1, kind=Kind.CLUSTER)

    assert not can_copy_with_key(cluster)
    assert can_copy_with_key(dataclasses.replace(cluster, encrypted=True))
    assert can_copy_with_key(automated("orders", hours_ago=1))
