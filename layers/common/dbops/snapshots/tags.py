"""The tags a copy carries: the source's own (not AWS's, not ours) plus ours naming source and policy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from dbops.snapshots.model import OUR_TAG_KEYS, POLICY_TAG, SOURCE_TAG

if TYPE_CHECKING:
    from collections.abc import Mapping

MAX_TAGS = 50  # RDS's limit per resource


def copy_tags(source_tags: Mapping[str, str], *, source_arn: str, policy: str) -> dict[str, str]:
    """Tags for a copy, given at copy time: ``Tags=`` replaces ``CopyTags=True``, so merge the source's."""
    ours = {POLICY_TAG: policy, SOURCE_TAG: source_arn}
    inherited = [
        (key, value)
        for key, value in source_tags.items()
        if not key.lower().startswith("aws:") and key not in OUR_TAG_KEYS
    ]
    return {**dict(inherited[: MAX_TAGS - len(ours)]), **ours}
