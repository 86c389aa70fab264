"""Local setup for snapshot_copy: instances, a cluster and old copies of ours in moto's RDS.

moto's CloudFormation cannot create RDS instances, so they are made here through the API (each gets its
automated snapshot). Four copies "of ours" from earlier days are seeded too, so a local sweep both copies and
prunes. moto has no API to date a snapshot in the past: the seed reaches into moto's in-process backend for
that, which the local stack's server is (it runs in this process).
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.core.utils import utcnow
from moto.rds.models import rds_backends

from dbops.snapshots.model import POLICY_TAG, SOURCE_TAG, Kind
from dbops.snapshots.naming import copy_identifier
from tools.local_stack import REGION

if TYPE_CHECKING:
    from mypy_boto3_rds import RDSClient
    from mypy_boto3_rds.type_defs import TagTypeDef

    from tools.local_stack import LocalStack

SELECT_TAG: TagTypeDef = {"Key": "dbops:snapshot-copy", "Value": "true"}
POLICY = "dbops-local"  # COPY_POLICY: dbops-${StageName} with the local stack's StageName


def prepare(stack: LocalStack) -> dict[str, str]:
    """Create the sources the sample events name, plus old copies to prune."""
    overrides: dict[str, str] = {}
    rds: RDSClient = stack.client("rds")
    if rds.describe_db_instances(Filters=[{"Name": "db-instance-id", "Values": ["orders-db"]}])["DBInstances"]:
        return overrides
    for name in ("orders-db", "billing-db"):
        rds.create_db_instance(
            DBInstanceIdentifier=name,
            Engine="mysql",
            DBInstanceClass="db.t3.micro",
            MasterUsername="admin",
            MasterUserPassword="local-only-password",
            AllocatedStorage=20,
            Tags=[SELECT_TAG, {"Key": "team", "Value": "payments"}],
            CopyTagsToSnapshot=True,
        )
    rds.create_db_cluster(
        DBClusterIdentifier="ledger-cluster",
        Engine="aurora-mysql",
        MasterUsername="admin",
        MasterUserPassword="local-only-password",
        StorageEncrypted=True,
        Tags=[SELECT_TAG],
    )
    _seed_old_copies(rds, "orders-db", days_ago=(8, 9, 10, 11))
    return overrides


def _seed_old_copies(rds: RDSClient, instance: str, *, days_ago: tuple[int, ...]) -> None:
    [automated] = rds.describe_db_snapshots(DBInstanceIdentifier=instance, SnapshotType="automated")["DBSnapshots"]
    backend = rds_backends[DEFAULT_ACCOUNT_ID][REGION]
    for days in days_ago:
        taken = utcnow() - timedelta(days=days)
        source_arn = f"arn:aws:rds:{REGION}:{DEFAULT_ACCOUNT_ID}:snapshot:rds:{instance}-{taken:%Y-%m-%d-%H-%M}"
        target = copy_identifier(source_arn, Kind.INSTANCE)
        rds.copy_db_snapshot(
            SourceDBSnapshotIdentifier=automated["DBSnapshotIdentifier"],
            TargetDBSnapshotIdentifier=target,
            Tags=[{"Key": POLICY_TAG, "Value": POLICY}, {"Key": SOURCE_TAG, "Value": source_arn}],
        )
        copy = backend.database_snapshots[target]
        copy.created = taken
        copy.original_snapshot_create_time = taken
