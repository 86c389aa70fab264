"""RDS sources, snapshots and keys in moto for the snapshot copy's tests."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

import boto3
import pytest
from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.core.utils import utcnow
from moto.rds.models import rds_backends

if TYPE_CHECKING:
    from mypy_boto3_rds import RDSClient

SOURCE_REGION = "us-east-1"
DESTINATION_REGION = "us-west-2"
SELECT_TAG = {"Key": "dbops:snapshot-copy", "Value": "true"}


@dataclass
class RdsWorld:
    """Creates instances and clusters in moto (each gets its automated snapshot) and takes more snapshots."""

    rds: RDSClient

    def instance(self, name: str | None = None, *, tags: list[dict[str, str]] | None = None) -> str:
        """A MySQL instance tagged for copying (plus ``tags``), with its first automated snapshot."""
        identifier = name or f"db-{uuid.uuid4().hex[:8]}"
        self.rds.create_db_instance(
            DBInstanceIdentifier=identifier,
            Engine="mysql",
            DBInstanceClass="db.t3.micro",
            MasterUsername="admin",
            MasterUserPassword="not-a-secret-1",
            AllocatedStorage=20,
            Tags=[SELECT_TAG, *(tags or [])],  # type: ignore[list-item]
            CopyTagsToSnapshot=True,
        )
        return identifier

    def cluster(self, name: str | None = None, *, encrypted: bool = True) -> str:
        """An Aurora MySQL cluster tagged for copying, with its first automated snapshot."""
        identifier = name or f"cl-{uuid.uuid4().hex[:8]}"
        self.rds.create_db_cluster(
            DBClusterIdentifier=identifier,
            Engine="aurora-mysql",
            MasterUsername="admin",
            MasterUserPassword="not-a-secret-1",
            StorageEncrypted=encrypted,
            Tags=[SELECT_TAG],  # type: ignore[list-item]
        )
        return identifier

    def later_automated_snapshot(self, instance: str, *, hours_later: int) -> str:
        """Another automated snapshot of ``instance``, as a backup window takes (moto has no API for it)."""
        backend = rds_backends[DEFAULT_ACCOUNT_ID][SOURCE_REGION]
        taken = utcnow() + timedelta(hours=hours_later)
        identifier = f"rds:{instance}-{taken:%Y-%m-%d-%H-%M}"
        snapshot = backend.create_auto_snapshot(instance, identifier)
        snapshot.created = taken
        snapshot.original_snapshot_create_time = taken
        return identifier


@pytest.fixture
def world(aws: None) -> RdsWorld:
    return RdsWorld(boto3.client("rds", region_name=SOURCE_REGION))


@pytest.fixture
def key_arn(aws: None) -> str:
    return boto3.client("kms", region_name=SOURCE_REGION).create_key(Description="copies")["KeyMetadata"]["Arn"]


@pytest.fixture
def destination_key_arn(aws: None) -> str:
    kms = boto3.client("kms", region_name=DESTINATION_REGION)
    return kms.create_key(Description="dr copies")["KeyMetadata"]["Arn"]


@pytest.fixture
def copy_environment(monkeypatch: pytest.MonkeyPatch, key_arn: str) -> pytest.MonkeyPatch:
    """Same-region copies of every source tagged dbops:snapshot-copy=true, with the test's key."""
    monkeypatch.setenv("SOURCE_TAG", "dbops:snapshot-copy=true")
    monkeypatch.setenv("KMS_KEY_ID", key_arn)
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "snapshot_copy")
    return monkeypatch
