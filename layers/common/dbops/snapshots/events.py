"""What triggers a run: the schedule's sweep or RDS's event for a finished automated snapshot."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from aws_lambda_powertools.utilities.parser.models import EventBridgeModel
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from dbops.snapshots.model import Kind
from dbops.snapshots.selection import source_of_automated_snapshot

if TYPE_CHECKING:
    from collections.abc import Mapping

INSTANCE_SNAPSHOT_CREATED = "RDS-EVENT-0091"
CLUSTER_SNAPSHOT_CREATED = "RDS-EVENT-0169"


class SweepRequest(BaseModel):
    """The schedule's input: copy and prune every chosen source (``dry_run`` only reports)."""

    model_config = ConfigDict(extra="forbid")

    action: Literal["sweep"]
    dry_run: bool = False

    @property
    def kind(self) -> Kind | None:
        """A sweep covers every kind."""
        return None

    @property
    def source_identifier(self) -> str | None:
        """A sweep covers every source."""
        return None


class SnapshotEventDetail(BaseModel):
    """The part of RDS's event that says which automated snapshot finished."""

    EventID: Literal["RDS-EVENT-0091", "RDS-EVENT-0169"]
    SourceIdentifier: str
    SourceArn: str

    @field_validator("SourceIdentifier")
    @classmethod
    def _names_an_automated_snapshot(cls, value: str) -> str:
        if source_of_automated_snapshot(value) is None:
            raise ValueError(f"{value!r} is not an automated snapshot identifier (rds:<source>-YYYY-MM-DD-HH-MM)")
        return value


class SnapshotEvent(EventBridgeModel):
    """RDS's EventBridge event for a finished automated DB or cluster snapshot: copy that one source now."""

    source: Literal["aws.rds"]
    detail_type: Literal["RDS DB Snapshot Event", "RDS DB Cluster Snapshot Event"] = Field(alias="detail-type")
    detail: SnapshotEventDetail
    dry_run: bool = False

    @model_validator(mode="after")
    def _event_matches_its_type(self) -> SnapshotEvent:
        expected = (
            CLUSTER_SNAPSHOT_CREATED
            if self.detail_type == "RDS DB Cluster Snapshot Event"
            else INSTANCE_SNAPSHOT_CREATED
        )
        if self.detail.EventID != expected:
            raise ValueError(f"a {self.detail_type!r} must carry EventID {expected}, not {self.detail.EventID}")
        return self

    @property
    def kind(self) -> Kind:
        """Instance or cluster, from the event's type."""
        return Kind.CLUSTER if self.detail.EventID == CLUSTER_SNAPSHOT_CREATED else Kind.INSTANCE

    @property
    def source_identifier(self) -> str:
        """The instance or cluster whose snapshot finished."""
        source = source_of_automated_snapshot(self.detail.SourceIdentifier)
        assert source is not None  # the validator refused anything else
        return source


def trigger_model(event: Mapping[str, Any]) -> type[SweepRequest | SnapshotEvent]:
    """The model an event must fit: RDS's EventBridge event (it has a detail-type) or the schedule's sweep."""
    return SnapshotEvent if "detail-type" in event else SweepRequest
