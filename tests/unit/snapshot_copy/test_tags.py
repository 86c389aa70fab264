"""The tags a copy is given."""

from __future__ import annotations

from dbops.snapshots.model import POLICY_TAG, SOURCE_TAG
from dbops.snapshots.tags import MAX_TAGS, copy_tags

ARN = "arn:aws:rds:us-east-1:123456789012:snapshot:rds:orders-2026-11-24-03-10"


def test_copy_tags_merges_the_source_tags_with_ours_when_the_source_has_tags() -> None:
    tags = copy_tags({"team": "payments", "aws:backup:source": "x"}, source_arn=ARN, policy="dr")

    assert tags == {"team": "payments", POLICY_TAG: "dr", SOURCE_TAG: ARN}


def test_copy_tags_overrides_our_keys_when_the_source_carries_them() -> None:
    tags = copy_tags({POLICY_TAG: "other", SOURCE_TAG: "elsewhere"}, source_arn=ARN, policy="dr")

    assert tags == {POLICY_TAG: "dr", SOURCE_TAG: ARN}


def test_copy_tags_stays_within_rds_limit_when_the_source_has_fifty_tags() -> None:
    tags = copy_tags({f"k{index}": "v" for index in range(MAX_TAGS)}, source_arn=ARN, policy="dr")

    assert len(tags) == MAX_TAGS
    assert tags[POLICY_TAG] == "dr"
