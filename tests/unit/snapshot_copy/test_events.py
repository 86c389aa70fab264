"""The triggers: the schedule's sweep and RDS's snapshot events, and the bad input they refuse."""

from __future__ import annotations

import pytest
from aws_lambda_powertools.utilities.parser import parse
from pydantic import ValidationError

from dbops.snapshots.events import SnapshotEvent, SweepRequest, trigger_model
from dbops.snapshots.model import Kind
from tools.events import load_event


def _parse(name: str) -> SweepRequest | SnapshotEvent:
    event = load_event(f"snapshot_copy/{name}")
    return parse(event=event, model=trigger_model(event))


def test_sweep_covers_every_source_when_the_schedule_fires() -> None:
    trigger = _parse("scheduled_sweep.json")

    assert isinstance(trigger, SweepRequest)
    assert (trigger.kind, trigger.source_identifier, trigger.dry_run) == (None, None, False)


def test_instance_event_names_its_source_when_an_automated_snapshot_finishes() -> None:
    trigger = _parse("instance_snapshot_created.json")

    assert isinstance(trigger, SnapshotEvent)
    assert (trigger.kind, trigger.source_identifier) == (Kind.INSTANCE, "orders-db")


def test_cluster_event_names_its_source_when_an_automated_cluster_snapshot_finishes() -> None:
    trigger = _parse("cluster_snapshot_created.json")

    assert (trigger.kind, trigger.source_identifier) == (Kind.CLUSTER, "ledger-cluster")


@pytest.mark.parametrize("name", ["invalid_manual_snapshot_event.json", "invalid_sweep_action.json"])
def test_parse_refuses_the_event_when_it_is_not_a_trigger(name: str) -> None:
    with pytest.raises(ValidationError):
        _parse(name)


def test_parse_refuses_an_event_when_its_type_and_event_id_disagree() -> None:
    event = load_event("snapshot_copy/instance_snapshot_created.json")
    event["detail"]["EventID"] = "RDS-EVENT-0169"

    with pytest.raises(ValidationError, match="must carry EventID RDS-EVENT-0091"):
        parse(event=event, model=trigger_model(event))
