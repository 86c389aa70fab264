"""A snapshot copy run against moto's RDS and KMS: copies, idempotence, retention, quota, dry-run, keys."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.stub import Stubber

from dbops.aws import clients
from dbops.aws.snapshots import SnapshotStore
from dbops.errors import ConfigurationError
from dbops.snapshots import service
from dbops.snapshots.events import SnapshotEvent, SweepRequest
from dbops.snapshots.model import POLICY_TAG, SHARED_TAG, SOURCE_TAG
from tests.integration.snapshot_copy.conftest import DESTINATION_REGION, SOURCE_REGION, RdsWorld
from tools.events import load_event

if TYPE_CHECKING:
    from mypy_boto3_rds import RDSClient

SWEEP = SweepRequest(action="sweep")


def _copies(region: str = SOURCE_REGION) -> list[Any]:
    rds = boto3.client("rds", region_name=region)
    return rds.describe_db_snapshots(SnapshotType="manual")["DBSnapshots"]


def _cluster_copies(region: str = SOURCE_REGION) -> list[Any]:
    rds = boto3.client("rds", region_name=region)
    return rds.describe_db_cluster_snapshots(SnapshotType="manual")["DBClusterSnapshots"]


def _later(days: float) -> datetime:
    return datetime.now(UTC) + timedelta(days=days)


def test_run_copies_every_chosen_source_encrypted_with_the_key_when_in_the_same_region(
    world: RdsWorld, key_arn: str, copy_environment: pytest.MonkeyPatch
) -> None:
    instances = [world.instance(tags=[{"Key": "team", "Value": "payments"}]) for _ in range(3)]
    cluster = world.cluster()
    world.rds.create_db_instance(
        DBInstanceIdentifier="not-chosen", Engine="mysql", DBInstanceClass="db.t3.micro", AllocatedStorage=20
    )

    report = service.run(SWEEP)

    copies = _copies()
    assert sorted(copy["DBInstanceIdentifier"] for copy in copies) == sorted(instances)
    assert all(copy["Encrypted"] and copy["KmsKeyId"] == key_arn for copy in copies)
    tags = {tag["Key"]: tag["Value"] for tag in copies[0]["TagList"]}
    assert tags["team"] == "payments"
    assert tags[POLICY_TAG] == "default"
    assert tags[SOURCE_TAG].startswith(f"arn:aws:rds:{SOURCE_REGION}:")
    [cluster_copy] = _cluster_copies()
    assert cluster_copy["DBClusterIdentifier"] == cluster
    assert cluster_copy["KmsKeyId"] == key_arn
    assert len(report.copied) == 4


def test_run_copies_into_the_destination_region_by_arn_with_a_presigned_url_when_cross_region(
    world: RdsWorld, destination_key_arn: str, copy_environment: pytest.MonkeyPatch
) -> None:
    copy_environment.setenv("DESTINATION_REGION", DESTINATION_REGION)
    copy_environment.setenv("KMS_KEY_ID", destination_key_arn)
    instance = world.instance()
    sent: list[dict[str, Any]] = []
    clients.rds(DESTINATION_REGION).meta.events.register(
        "before-call.rds.CopyDBSnapshot", lambda params, **_: sent.append(params["body"])
    )

    service.run(SWEEP)

    [copy] = _copies(DESTINATION_REGION)
    assert copy["DBInstanceIdentifier"] == instance
    assert copy["KmsKeyId"] == destination_key_arn
    assert sent[0]["SourceDBSnapshotIdentifier"].startswith(f"arn:aws:rds:{SOURCE_REGION}:")
    assert "X-Amz-Signature" in sent[0]["PreSignedUrl"]
    assert _copies(SOURCE_REGION) == []


def test_run_refuses_the_key_when_it_is_not_in_the_destination_region(
    world: RdsWorld, key_arn: str, copy_environment: pytest.MonkeyPatch
) -> None:
    copy_environment.setenv("DESTINATION_REGION", DESTINATION_REGION)
    world.instance()

    with pytest.raises(ConfigurationError, match=f"not usable in {DESTINATION_REGION}"):
        service.run(SWEEP)

    assert _copies(DESTINATION_REGION) == []


def test_run_refuses_an_aws_managed_key_when_copies_are_shared(
    world: RdsWorld, copy_environment: pytest.MonkeyPatch
) -> None:
    copy_environment.setenv("SHARE_WITH_ACCOUNTS", "111122223333")
    world.instance()
    # moto reports aws/rds as customer-managed; real KMS says KeyManager AWS, so the test answers as KMS does.
    kms = boto3.client("kms", region_name=SOURCE_REGION)
    aws_managed = {**kms.describe_key(KeyId="alias/aws/rds")["KeyMetadata"], "KeyManager": "AWS"}
    with Stubber(kms) as stubber:
        stubber.add_response("describe_key", {"KeyMetadata": aws_managed})

        with pytest.raises(ConfigurationError, match="AWS-managed"):
            service.run(SWEEP, store=SnapshotStore(kms=kms))

    assert _copies() == []


def test_run_copies_nothing_when_it_runs_a_second_time(world: RdsWorld, copy_environment: pytest.MonkeyPatch) -> None:
    world.instance()
    world.cluster()
    service.run(SWEEP)

    second = service.run(SWEEP)

    assert second.copied == []
    assert len(second.already_copied) == 2
    assert len(_copies()) == 1
    assert len(_cluster_copies()) == 1


def test_run_copies_only_the_newest_automated_snapshot_when_a_source_has_several(
    world: RdsWorld, copy_environment: pytest.MonkeyPatch
) -> None:
    instance = world.instance()
    newest = world.later_automated_snapshot(instance, hours_later=24)
    world.later_automated_snapshot(instance, hours_later=12)

    service.run(SWEEP)

    [copy] = _copies()
    assert {tag["Key"]: tag["Value"] for tag in copy["TagList"]}[SOURCE_TAG].endswith(f":snapshot:{newest}")


def test_run_reports_an_unencrypted_cluster_and_copies_the_rest_when_aurora_would_refuse_the_key(
    world: RdsWorld, copy_environment: pytest.MonkeyPatch
) -> None:
    cluster = world.cluster(encrypted=False)
    world.instance()

    report = service.run(SWEEP)

    assert [cluster in entry["source"] for entry in report.refused] == [True]
    assert "unencrypted cluster snapshot" in report.refused[0]["reason"]
    assert _cluster_copies() == []
    assert len(_copies()) == 1


def test_retention_keeps_the_newest_k_and_deletes_only_our_old_copies_when_they_expire(
    world: RdsWorld, copy_environment: pytest.MonkeyPatch
) -> None:
    copy_environment.setenv("KEEP_LATEST", "2")
    instance = world.instance()
    service.run(SWEEP)
    for hours in (1, 2, 3):
        world.later_automated_snapshot(instance, hours_later=hours)
        service.run(SWEEP)
    ours = {copy["DBSnapshotIdentifier"] for copy in _copies()}
    world.rds.create_db_snapshot(DBInstanceIdentifier=instance, DBSnapshotIdentifier="someone-elses")
    world.rds.copy_db_snapshot(  # a copy of our copy inherits our tags but is not ours
        SourceDBSnapshotIdentifier=sorted(ours)[0], TargetDBSnapshotIdentifier="copy-of-ours", CopyTags=True
    )
    automated_before = world.rds.describe_db_snapshots(SnapshotType="automated")["DBSnapshots"]

    report = service.run(SWEEP, now=lambda: _later(30))

    remaining = {copy["DBSnapshotIdentifier"] for copy in _copies()}
    assert len(ours) == 4
    assert len(report.deleted) == 2
    assert remaining == (ours - set(report.deleted)) | {"someone-elses", "copy-of-ours"}
    assert world.rds.describe_db_snapshots(SnapshotType="automated")["DBSnapshots"] == automated_before


def test_retention_deletes_nothing_when_the_copies_are_within_the_retention(
    world: RdsWorld, copy_environment: pytest.MonkeyPatch
) -> None:
    copy_environment.setenv("KEEP_LATEST", "1")
    instance = world.instance()
    service.run(SWEEP)
    world.later_automated_snapshot(instance, hours_later=1)
    service.run(SWEEP)

    report = service.run(SWEEP, now=lambda: _later(3))

    assert report.deleted == []
    assert len(_copies()) == 2


def test_dry_run_reports_copies_and_deletions_and_changes_nothing_when_enabled(
    world: RdsWorld, copy_environment: pytest.MonkeyPatch
) -> None:
    copy_environment.setenv("KEEP_LATEST", "1")
    instance = world.instance()
    service.run(SWEEP)
    world.later_automated_snapshot(instance, hours_later=1)
    service.run(SWEEP)
    world.later_automated_snapshot(instance, hours_later=2)
    before = _copies()

    report = service.run(SweepRequest(action="sweep", dry_run=True), now=lambda: _later(30))

    assert report.dry_run
    assert len(report.copied) == 1
    assert len(report.deleted) == 1
    assert _copies() == before


def test_quota_exceeded_stops_cleanly_and_the_next_run_resumes_when_rds_refuses_more_copies(
    world: RdsWorld, copy_environment: pytest.MonkeyPatch
) -> None:
    copy_environment.setenv("SOURCE_KINDS", "instance")
    instances = sorted(world.instance() for _ in range(3))
    destination: RDSClient = boto3.client("rds", region_name=SOURCE_REGION)
    with Stubber(destination) as stubber:
        stubber.add_response("describe_db_snapshots", {"DBSnapshots": []}, {"SnapshotType": "manual"})
        stubber.add_client_error("copy_db_snapshot", service_error_code="SnapshotQuotaExceeded", http_status_code=400)
        first = service.run(SWEEP, store=SnapshotStore(source=clients.rds(), destination=destination))
        stubber.assert_no_pending_responses()

    second = service.run(SWEEP)

    assert first.copied == []
    assert len(first.deferred) == 3
    assert sorted(copy["DBInstanceIdentifier"] for copy in _copies()) == instances
    assert len(second.copied) == 3


def test_run_starts_only_as_many_copies_as_the_cap_allows_when_copies_are_in_progress(
    world: RdsWorld, copy_environment: pytest.MonkeyPatch
) -> None:
    copy_environment.setenv("SOURCE_KINDS", "instance")
    copy_environment.setenv("MAX_INSTANCE_COPIES_IN_PROGRESS", "2")
    for _ in range(3):
        world.instance()
    real = clients.rds()
    in_flight = {
        "DBSnapshotIdentifier": "other-tool-copy",
        "DBSnapshotArn": "arn:aws:rds:us-east-1:123456789012:snapshot:other-tool-copy",
        "DBInstanceIdentifier": "elsewhere",
        "Status": "creating",
        "SnapshotType": "manual",
        "SourceDBSnapshotIdentifier": "arn:aws:rds:us-east-1:123456789012:snapshot:rds:elsewhere-x",
    }
    destination: RDSClient = boto3.client("rds", region_name=SOURCE_REGION)
    with Stubber(destination) as stubber:
        stubber.add_response("describe_db_snapshots", {"DBSnapshots": [in_flight]}, {"SnapshotType": "manual"})
        newest = real.describe_db_snapshots(SnapshotType="automated")["DBSnapshots"]
        first = sorted(newest, key=lambda snapshot: snapshot["DBInstanceIdentifier"])[0]
        stubber.add_response(
            "copy_db_snapshot",
            {"DBSnapshot": {**first, "DBSnapshotIdentifier": "started", "Status": "creating"}},
        )
        report = service.run(SWEEP, store=SnapshotStore(source=real, destination=destination))
        stubber.assert_no_pending_responses()

    assert len(report.copied) == 1
    assert len(report.deferred) == 2


def test_run_shares_available_copies_once_when_accounts_are_listed(
    world: RdsWorld, copy_environment: pytest.MonkeyPatch
) -> None:
    copy_environment.setenv("SHARE_WITH_ACCOUNTS", "111122223333,444455556666")
    world.instance()
    service.run(SWEEP)  # copies; the copy is shared once RDS reports it available

    shared = service.run(SWEEP)
    again = service.run(SWEEP)

    [copy] = _copies()
    attributes = world.rds.describe_db_snapshot_attributes(DBSnapshotIdentifier=copy["DBSnapshotIdentifier"])
    [restore] = attributes["DBSnapshotAttributesResult"]["DBSnapshotAttributes"]
    assert sorted(restore["AttributeValues"]) == ["111122223333", "444455556666"]
    assert {tag["Key"] for tag in copy["TagList"]} >= {SHARED_TAG}
    assert (len(shared.shared), len(again.shared)) == (1, 0)


def test_run_reports_stale_sources_when_their_newest_copy_is_older_than_the_threshold(
    world: RdsWorld, copy_environment: pytest.MonkeyPatch
) -> None:
    fresh = world.instance()
    service.run(SWEEP)

    report = service.run(SWEEP, now=lambda: _later(2))

    assert report.stale == [f"instance:{fresh}"]


def test_retention_keeps_the_newest_k_of_a_source_when_it_is_no_longer_chosen(
    world: RdsWorld, copy_environment: pytest.MonkeyPatch
) -> None:
    copy_environment.setenv("KEEP_LATEST", "1")
    instance = world.instance()
    service.run(SWEEP)
    world.later_automated_snapshot(instance, hours_later=1)
    service.run(SWEEP)
    [described] = world.rds.describe_db_instances(DBInstanceIdentifier=instance)["DBInstances"]
    world.rds.remove_tags_from_resource(ResourceName=described["DBInstanceArn"], TagKeys=["dbops:snapshot-copy"])

    report = service.run(SWEEP, now=lambda: _later(30))

    assert len(report.deleted) == 1
    assert len(_copies()) == 1


def test_run_copies_a_cluster_snapshot_by_arn_with_the_destination_key_when_cross_region(
    world: RdsWorld, destination_key_arn: str, copy_environment: pytest.MonkeyPatch
) -> None:
    copy_environment.setenv("DESTINATION_REGION", DESTINATION_REGION)
    copy_environment.setenv("KMS_KEY_ID", destination_key_arn)
    cluster = world.cluster()
    sent: list[dict[str, Any]] = []
    clients.rds(DESTINATION_REGION).meta.events.register(
        "before-call.rds.CopyDBClusterSnapshot", lambda params, **_: sent.append(params["body"])
    )

    service.run(SWEEP)

    [copy] = _cluster_copies(DESTINATION_REGION)
    assert copy["DBClusterIdentifier"] == cluster
    assert copy["KmsKeyId"] == destination_key_arn
    assert sent[0]["SourceDBClusterSnapshotIdentifier"].startswith(f"arn:aws:rds:{SOURCE_REGION}:")
    assert "X-Amz-Signature" in sent[0]["PreSignedUrl"]


def test_run_refuses_the_key_and_copies_nothing_when_it_is_disabled(
    world: RdsWorld, key_arn: str, copy_environment: pytest.MonkeyPatch
) -> None:
    boto3.client("kms", region_name=SOURCE_REGION).disable_key(KeyId=key_arn.rsplit("/", 1)[-1])
    world.instance()

    with pytest.raises(ConfigurationError, match="Disabled: enable it or set KMS_KEY_ID"):
        service.run(SWEEP)

    assert _copies() == []


def test_event_for_a_deleted_source_copies_nothing_when_the_instance_is_gone(
    world: RdsWorld, copy_environment: pytest.MonkeyPatch
) -> None:
    world.instance()
    event = SnapshotEvent.model_validate(load_event("snapshot_copy/instance_snapshot_created.json"))

    report = service.run(event)

    assert report.copied == []
    assert _copies() == []


def test_run_maps_the_option_group_when_a_cross_region_instance_snapshot_uses_a_mapped_one(
    world: RdsWorld, destination_key_arn: str, copy_environment: pytest.MonkeyPatch
) -> None:
    copy_environment.setenv("DESTINATION_REGION", DESTINATION_REGION)
    copy_environment.setenv("KMS_KEY_ID", destination_key_arn)
    copy_environment.setenv("OPTION_GROUP_MAP", "prod-oracle-og=dr-oracle-og")
    copy_environment.setenv("SOURCE_KINDS", "instance")
    world.instance()
    real_source = clients.rds()
    # moto leaves OptionGroupName out of DescribeDBSnapshots; RDS reports it: the source answers as RDS does.
    instances = real_source.describe_db_instances()["DBInstances"]
    [automated] = real_source.describe_db_snapshots(SnapshotType="automated")["DBSnapshots"]
    source: RDSClient = boto3.client("rds", region_name=SOURCE_REGION)
    sent: list[dict[str, Any]] = []
    clients.rds(DESTINATION_REGION).meta.events.register(
        "before-call.rds.CopyDBSnapshot", lambda params, **_: sent.append(params["body"])
    )
    with Stubber(source) as stubber:
        stubber.add_response("describe_db_instances", {"DBInstances": instances})
        stubber.add_response(
            "describe_db_snapshots",
            {"DBSnapshots": [{**automated, "OptionGroupName": "prod-oracle-og"}]},
            {"SnapshotType": "automated"},
        )
        service.run(SWEEP, store=SnapshotStore(DESTINATION_REGION, source=source))

    assert sent[0]["OptionGroupName"] == "dr-oracle-og"
    assert len(_copies(DESTINATION_REGION)) == 1


def test_quota_exceeded_midway_keeps_the_copies_made_and_the_next_run_copies_the_rest_when_rds_refuses(
    world: RdsWorld, copy_environment: pytest.MonkeyPatch
) -> None:
    copy_environment.setenv("SOURCE_KINDS", "instance")
    instances = sorted(world.instance() for _ in range(3))
    attempts: list[str] = []

    def refuse_after_the_first(params: dict[str, Any], **_: Any) -> Any:
        # Answers as RDS does once its in-progress cap is reached; the first copy goes through to moto.
        attempts.append(params["body"]["TargetDBSnapshotIdentifier"])
        if len(attempts) < 2:
            return None
        refusal = {"Error": {"Code": "SnapshotQuotaExceeded", "Message": "quota"}, "ResponseMetadata": {}}
        return AWSResponse("https://rds.amazonaws.com", 400, {}, None), refusal

    clients.rds().meta.events.register("before-call.rds.CopyDBSnapshot", refuse_after_the_first)
    first = service.run(SWEEP)
    clients.rds().meta.events.unregister("before-call.rds.CopyDBSnapshot", refuse_after_the_first)
    after_first = sorted(copy["DBInstanceIdentifier"] for copy in _copies())

    second = service.run(SWEEP)

    assert (len(first.copied), len(first.deferred)) == (1, 2)
    assert after_first == instances[:1]
    assert (len(second.copied), len(second.already_copied)) == (2, 1)
    assert sorted(copy["DBInstanceIdentifier"] for copy in _copies()) == instances
