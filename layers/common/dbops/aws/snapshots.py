"""RDS calls for the snapshot copy: list sources and snapshots, copy, share, delete; the KMS key lookup."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from botocore.exceptions import ClientError

from dbops.aws import clients
from dbops.errors import ConfigurationError, SnapshotQuotaError
from dbops.snapshots.model import SHARED_TAG, Kind, Snapshot, Source

if TYPE_CHECKING:
    from collections.abc import Mapping

    from mypy_boto3_kms import KMSClient
    from mypy_boto3_kms.type_defs import KeyMetadataTypeDef
    from mypy_boto3_rds import RDSClient
    from mypy_boto3_rds.type_defs import TagTypeDef

QUOTA_ERRORS = frozenset({"SnapshotQuotaExceeded", "SnapshotQuotaExceededFault"})
EXISTS_ERRORS = frozenset({"DBSnapshotAlreadyExists", "DBClusterSnapshotAlreadyExistsFault"})
GONE_ERRORS = frozenset({"DBSnapshotNotFound", "DBClusterSnapshotNotFoundFault"})
SOURCE_GONE_ERRORS = frozenset({"DBInstanceNotFound", "DBClusterNotFoundFault"})


class SnapshotStore:
    """Snapshots in the source region (the function's) and copies in the destination region."""

    def __init__(
        self,
        destination_region: str | None = None,
        *,
        source: RDSClient | None = None,
        destination: RDSClient | None = None,
        kms: KMSClient | None = None,
    ) -> None:
        self._source = source or clients.rds()
        self._destination = destination or (clients.rds(destination_region) if destination_region else self._source)
        self._kms = kms or clients.kms(destination_region)
        self.cross_region = self._destination.meta.region_name != self._source.meta.region_name

    def sources(self, kind: Kind, identifier: str | None = None) -> list[Source]:
        """DB instances (not Aurora members: their data is in the cluster) or Aurora clusters, with tags."""
        try:
            if kind is Kind.INSTANCE:
                kwargs = {"DBInstanceIdentifier": identifier} if identifier else {}
                return [
                    Source(kind, item["DBInstanceIdentifier"], _tags(item.get("TagList", [])))
                    for page in self._source.get_paginator("describe_db_instances").paginate(**kwargs)  # type: ignore[arg-type]
                    for item in page["DBInstances"]
                    if not item.get("DBClusterIdentifier")
                ]
            kwargs = {"DBClusterIdentifier": identifier} if identifier else {}
            return [
                Source(kind, item["DBClusterIdentifier"], _tags(item.get("TagList", [])))
                for page in self._source.get_paginator("describe_db_clusters").paginate(**kwargs)  # type: ignore[arg-type]
                for item in page["DBClusters"]
            ]
        except ClientError as error:
            if _code(error) in SOURCE_GONE_ERRORS:
                return []
            raise

    def automated_snapshots(self, kind: Kind, source_identifier: str | None = None) -> list[Snapshot]:
        """The automated snapshots in the source region, of one source or of all."""
        return self._snapshots(self._source, kind, "automated", source_identifier)

    def copies(self, kind: Kind, source_identifier: str | None = None) -> list[Snapshot]:
        """The manual snapshots in the destination region (ours among them), of one source or of all."""
        return self._snapshots(self._destination, kind, "manual", source_identifier)

    def copy(
        self,
        snapshot: Snapshot,
        target: str,
        *,
        kms_key_id: str,
        tags: Mapping[str, str],
        option_group: str | None = None,
    ) -> bool:
        """Start copying ``snapshot`` to ``target``; False when the copy already exists (a concurrent run).

        Raises:
            SnapshotQuotaError: RDS refuses more copies in progress for now.
        """
        tag_list: list[TagTypeDef] = [{"Key": key, "Value": value} for key, value in tags.items()]
        # A cross-region copy names its source by ARN and passes SourceRegion so boto3 presigns the URL.
        source_id = snapshot.arn if self.cross_region else snapshot.identifier
        region: dict[str, Any] = {"SourceRegion": self._source.meta.region_name} if self.cross_region else {}
        try:
            if snapshot.kind is Kind.INSTANCE:
                extra: dict[str, Any] = {"OptionGroupName": option_group} if option_group else {}
                self._destination.copy_db_snapshot(
                    SourceDBSnapshotIdentifier=source_id,
                    TargetDBSnapshotIdentifier=target,
                    KmsKeyId=kms_key_id,
                    Tags=tag_list,
                    **region,
                    **extra,
                )
            else:
                self._destination.copy_db_cluster_snapshot(
                    SourceDBClusterSnapshotIdentifier=source_id,
                    TargetDBClusterSnapshotIdentifier=target,
                    KmsKeyId=kms_key_id,
                    Tags=tag_list,
                    **region,
                )
        except ClientError as error:
            if _code(error) in EXISTS_ERRORS:
                return False
            if _code(error) in QUOTA_ERRORS:
                raise SnapshotQuotaError(f"RDS refuses more {snapshot.kind} snapshot copies for now") from error
            raise
        return True

    def share(self, copy: Snapshot, accounts: tuple[str, ...]) -> None:
        """Let ``accounts`` restore ``copy``, then tag it shared so later runs skip it."""
        if copy.kind is Kind.INSTANCE:
            self._destination.modify_db_snapshot_attribute(
                DBSnapshotIdentifier=copy.identifier, AttributeName="restore", ValuesToAdd=list(accounts)
            )
        else:
            self._destination.modify_db_cluster_snapshot_attribute(
                DBClusterSnapshotIdentifier=copy.identifier,
                AttributeName="restore",
                ValuesToAdd=list(accounts),
            )
        self._destination.add_tags_to_resource(
            ResourceName=copy.arn, Tags=[{"Key": SHARED_TAG, "Value": "-".join(sorted(accounts))}]
        )

    def delete(self, copy: Snapshot) -> bool:
        """Delete ``copy``; False when it was already gone."""
        try:
            if copy.kind is Kind.INSTANCE:
                self._destination.delete_db_snapshot(DBSnapshotIdentifier=copy.identifier)
            else:
                self._destination.delete_db_cluster_snapshot(DBClusterSnapshotIdentifier=copy.identifier)
        except ClientError as error:
            if _code(error) in GONE_ERRORS:
                return False
            raise
        return True

    def key(self, key_id: str) -> KeyMetadataTypeDef:
        """The KMS key's metadata, looked up in the destination region.

        Raises:
            ConfigurationError: the key does not exist there or we may not describe it.
        """
        region = self._kms.meta.region_name
        try:
            key = self._kms.describe_key(KeyId=key_id)["KeyMetadata"]
        except ClientError as error:
            raise ConfigurationError(
                f"KMS key {key_id} is not usable in {region} ({_code(error)}): set KMS_KEY_ID to a key "
                "of the destination region that this function may describe"
            ) from error
        if key["Arn"].split(":")[3] != region:
            raise ConfigurationError(
                f"KMS key {key_id} is in another region than the copies ({region}): RDS encrypts a copy only "
                "with a key of its own region; set KMS_KEY_ID to one"
            )
        return key

    def _snapshots(self, client: RDSClient, kind: Kind, snapshot_type: str, source: str | None) -> list[Snapshot]:
        if kind is Kind.INSTANCE:
            kwargs: dict[str, Any] = {"SnapshotType": snapshot_type}
            if source:
                kwargs["DBInstanceIdentifier"] = source
            return [
                Snapshot(
                    kind=kind,
                    identifier=item["DBSnapshotIdentifier"],
                    arn=item["DBSnapshotArn"],
                    source_identifier=item["DBInstanceIdentifier"],
                    status=item["Status"],
                    snapshot_type=item["SnapshotType"],
                    created=item.get("SnapshotCreateTime"),
                    original_created=item.get("OriginalSnapshotCreateTime"),
                    encrypted=bool(item.get("Encrypted")),
                    tags=_tags(item.get("TagList", [])),
                    option_group=item.get("OptionGroupName"),
                    copied_from=item.get("SourceDBSnapshotIdentifier"),
                )
                for page in client.get_paginator("describe_db_snapshots").paginate(**kwargs)
                for item in page["DBSnapshots"]
            ]
        kwargs = {"SnapshotType": snapshot_type}
        if source:
            kwargs["DBClusterIdentifier"] = source
        return [
            Snapshot(
                kind=kind,
                identifier=item["DBClusterSnapshotIdentifier"],
                arn=item["DBClusterSnapshotArn"],
                source_identifier=item["DBClusterIdentifier"],
                status=item["Status"],
                snapshot_type=item["SnapshotType"],
                created=item.get("SnapshotCreateTime"),
                encrypted=bool(item.get("StorageEncrypted")),
                tags=_tags(item.get("TagList", [])),
                copied_from=item.get("SourceDBClusterSnapshotArn"),
            )
            for page in client.get_paginator("describe_db_cluster_snapshots").paginate(**kwargs)
            for item in page["DBClusterSnapshots"]
        ]


def _tags(tag_list: list[Any]) -> dict[str, str]:
    return {tag["Key"]: tag["Value"] for tag in tag_list}


def _code(error: ClientError) -> str:
    return str(error.response.get("Error", {}).get("Code", ""))
