"""The schedule's event: which maintenance job to run (EventBridge Scheduler sends the Input it was given)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dbops.errors import QueryRequestError

MAINTENANCE = "maintenance"


@dataclass(frozen=True)
class JobRequest:
    """Run the job called ``name`` (the one the function is configured with)."""

    name: str


def is_job(event: Any) -> bool:
    """Whether ``event`` asks for a maintenance job (``{"job": ...}``) rather than a query."""
    return isinstance(event, Mapping) and "job" in event


def from_schedule(event: Mapping[str, Any]) -> JobRequest:
    """Parse ``{"job": "maintenance"}``; refuse anything else with what a valid one looks like."""
    unknown = sorted(str(key)[:32] for key in event if key != "job")
    if unknown:
        raise QueryRequestError(f'unknown keys {unknown} in the schedule\'s input: it is {{"job": "{MAINTENANCE}"}}')
    if event["job"] != MAINTENANCE:
        raise QueryRequestError(
            f'no job named {str(event["job"])[:64]!r}: the function runs {{"job": "{MAINTENANCE}"}}, '
            "the queries DATA_API_MAINTENANCE_QUERIES lists"
        )
    return JobRequest(name=MAINTENANCE)
