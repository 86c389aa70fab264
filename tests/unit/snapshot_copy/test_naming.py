"""Copy names: valid for RDS whatever the source is called, deterministic, and distinct per source."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dbops.snapshots.model import Kind
from dbops.snapshots.naming import MAX_LENGTH, copy_identifier, is_valid_identifier

KINDS = st.sampled_from(list(Kind))
SOURCE_IDS = st.text(min_size=1, max_size=300)
ARNS = st.builds(
    lambda region, kind, name: f"arn:aws:rds:{region}:123456789012:{kind}:{name}",
    st.sampled_from(["us-east-1", "eu-west-1"]),
    st.sampled_from(["snapshot", "cluster-snapshot"]),
    SOURCE_IDS,
)


@given(arn=ARNS | SOURCE_IDS, kind=KINDS)
def test_copy_identifier_is_valid_for_rds_when_the_source_name_is_anything(arn: str, kind: Kind) -> None:
    identifier = copy_identifier(arn, kind)

    assert is_valid_identifier(identifier, kind), identifier
    assert len(identifier) <= MAX_LENGTH[kind]


@given(arn=ARNS, kind=KINDS)
def test_copy_identifier_is_the_same_when_computed_twice(arn: str, kind: Kind) -> None:
    assert copy_identifier(arn, kind) == copy_identifier(str(arn), kind)


@given(first=ARNS | SOURCE_IDS, second=ARNS | SOURCE_IDS, kind=KINDS)
def test_copy_identifiers_differ_when_the_sources_differ(first: str, second: str, kind: Kind) -> None:
    if first != second:
        assert copy_identifier(first, kind) != copy_identifier(second, kind)


def test_copy_identifier_keeps_the_source_name_readable_when_it_is_an_automated_snapshot() -> None:
    arn = "arn:aws:rds:us-east-1:123456789012:snapshot:rds:Orders-DB-2026-11-24-03-10"

    identifier = copy_identifier(arn, Kind.INSTANCE)

    assert identifier.startswith("dbops-orders-db-2026-11-24-03-10-")


def test_copy_identifier_fits_a_cluster_snapshot_when_the_source_name_is_long() -> None:
    arn = "arn:aws:rds:us-east-1:123456789012:cluster-snapshot:rds:" + "a" * 62 + "-2026-11-24-03-10"

    identifier = copy_identifier(arn, Kind.CLUSTER)

    assert len(identifier) == 63
    assert is_valid_identifier(identifier, Kind.CLUSTER)


def test_is_valid_identifier_refuses_when_hyphens_double_or_trail() -> None:
    assert not is_valid_identifier("dbops--x", Kind.INSTANCE)
    assert not is_valid_identifier("dbops-x-", Kind.INSTANCE)
    assert not is_valid_identifier("1dbops", Kind.INSTANCE)
    assert is_valid_identifier("dbops-x1", Kind.INSTANCE)
