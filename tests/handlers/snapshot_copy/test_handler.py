"""SnapshotCopyFunction on each of its sample events, against moto."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from pydantic import ValidationError

from tests.integration.snapshot_copy.conftest import SOURCE_REGION, RdsWorld
from tools.events import load_event

if TYPE_CHECKING:
    from types import ModuleType

    from tools.lambda_context import LocalLambdaContext


def _copied_sources() -> list[str]:
    rds = boto3.client("rds", region_name=SOURCE_REGION)
    instances = [
        copy["DBInstanceIdentifier"] for copy in rds.describe_db_snapshots(SnapshotType="manual")["DBSnapshots"]
    ]
    clusters = [
        copy["DBClusterIdentifier"]
        for copy in rds.describe_db_cluster_snapshots(SnapshotType="manual")["DBClusterSnapshots"]
    ]
    return sorted(instances + clusters)


def test_scheduled_sweep_copies_each_source_once_when_the_event_is_replayed(
    handler: ModuleType,
    world: RdsWorld,
    copy_environment: pytest.MonkeyPatch,
    lambda_context: LocalLambdaContext,
) -> None:
    sources = sorted([world.instance(), world.instance(), world.cluster()])
    event = load_event("snapshot_copy/scheduled_sweep.json")

    first = handler.lambda_handler(event, lambda_context)
    replay = handler.lambda_handler(event, lambda_context)

    assert len(first["copied"]) == 3
    assert replay["copied"] == []
    assert len(replay["already_copied"]) == 3
    assert _copied_sources() == sources


def test_instance_event_copies_only_its_source_once_when_replayed_and_other_sources_are_chosen(
    handler: ModuleType,
    world: RdsWorld,
    copy_environment: pytest.MonkeyPatch,
    lambda_context: LocalLambdaContext,
) -> None:
    world.instance("orders-db")
    world.instance()
    world.cluster("ledger-cluster")
    event = load_event("snapshot_copy/instance_snapshot_created.json")

    response = handler.lambda_handler(event, lambda_context)
    replay = handler.lambda_handler(event, lambda_context)

    [copied] = response["copied"]
    assert copied["source"].rsplit(":", 1)[-1].startswith("orders-db-")
    assert replay["copied"] == []
    assert _copied_sources() == ["orders-db"]


def test_cluster_event_copies_only_its_cluster_when_an_instance_has_the_same_name(
    handler: ModuleType,
    world: RdsWorld,
    copy_environment: pytest.MonkeyPatch,
    lambda_context: LocalLambdaContext,
) -> None:
    world.cluster("ledger-cluster")
    world.instance("ledger-cluster")

    handler.lambda_handler(load_event("snapshot_copy/cluster_snapshot_created.json"), lambda_context)

    rds = boto3.client("rds", region_name=SOURCE_REGION)
    assert len(rds.describe_db_cluster_snapshots(SnapshotType="manual")["DBClusterSnapshots"]) == 1
    assert rds.describe_db_snapshots(SnapshotType="manual")["DBSnapshots"] == []


def test_event_for_an_unchosen_source_copies_nothing_when_the_source_lacks_the_tag(
    handler: ModuleType,
    world: RdsWorld,
    copy_environment: pytest.MonkeyPatch,
    lambda_context: LocalLambdaContext,
) -> None:
    world.rds.create_db_instance(
        DBInstanceIdentifier="orders-db", Engine="mysql", DBInstanceClass="db.t3.micro", AllocatedStorage=20
    )

    response = handler.lambda_handler(load_event("snapshot_copy/instance_snapshot_created.json"), lambda_context)

    assert response["copied"] == []
    assert _copied_sources() == []


@pytest.mark.parametrize("name", ["invalid_manual_snapshot_event.json", "invalid_sweep_action.json"])
def test_invalid_event_is_refused_and_changes_nothing_when_it_is_not_a_trigger(
    name: str,
    handler: ModuleType,
    world: RdsWorld,
    copy_environment: pytest.MonkeyPatch,
    lambda_context: LocalLambdaContext,
) -> None:
    world.instance("orders-db")

    with pytest.raises(ValidationError):
        handler.lambda_handler(load_event(f"snapshot_copy/{name}"), lambda_context)

    assert _copied_sources() == []


def test_dry_run_sweep_reports_what_it_would_copy_and_copies_nothing_when_asked(
    handler: ModuleType,
    world: RdsWorld,
    copy_environment: pytest.MonkeyPatch,
    lambda_context: LocalLambdaContext,
) -> None:
    world.instance()

    response = handler.lambda_handler(load_event("snapshot_copy/scheduled_sweep_dry_run.json"), lambda_context)

    assert response["dry_run"] is True
    assert len(response["copied"]) == 1
    assert _copied_sources() == []


def test_sweep_publishes_a_summary_and_the_recovery_point_metric_when_it_copies(
    handler: ModuleType,
    world: RdsWorld,
    copy_environment: pytest.MonkeyPatch,
    lambda_context: LocalLambdaContext,
    capsys: pytest.CaptureFixture[str],
) -> None:
    sns = boto3.client("sns", region_name=SOURCE_REGION)
    sqs = boto3.client("sqs", region_name=SOURCE_REGION)
    topic = sns.create_topic(Name="summary")["TopicArn"]
    queue = sqs.create_queue(QueueName="summary-reader")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=queue_arn, Attributes={"RawMessageDelivery": "true"})
    copy_environment.setenv("SUMMARY_TOPIC_ARN", topic)
    world.instance()

    handler.lambda_handler(load_event("snapshot_copy/scheduled_sweep.json"), lambda_context)

    [message] = sqs.receive_message(QueueUrl=queue)["Messages"]
    summary: dict[str, Any] = json.loads(message["Body"])
    assert len(summary["copied"]) == 1
    metrics = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    assert metrics[-1]["SnapshotsCopied"] == [1.0]
    assert metrics[-1]["SourcesWithoutRecentCopy"] == [1.0]  # the copy just started is not a recovery point yet
