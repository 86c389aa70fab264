"""The event Secrets Manager sends a rotation function.

Validated by hand rather than with a pydantic model: four string fields do not justify pydantic's ~0.3 s of
cold-start import (measured in benchmarks/rotation).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import NoReturn

from dbops.errors import RotationRefusedError


class Step(StrEnum):
    """The four steps of the rotation contract, in order."""

    CREATE = "createSecret"
    SET = "setSecret"
    TEST = "testSecret"
    FINISH = "finishSecret"


@dataclass(frozen=True)
class RotationEvent:
    """``{"Step", "SecretId", "ClientRequestToken"}`` and, when sent, ``RotationToken``."""

    step: Step
    secret_id: str
    token: str
    rotation_token: str | None = None


_STEPS = ", ".join(step.value for step in Step)


def parse_event(event: object) -> RotationEvent:
    """Validate a rotation event; RotationRefusedError names each bad field (values are never echoed)."""
    if not isinstance(event, dict):
        _refuse(["event: must be a JSON object"])
    problems = []
    step = event.get("Step")
    if step not in {member.value for member in Step}:
        problems.append(f"Step: must be one of {_STEPS}")
    secret_id = _text(event, "SecretId", 1, 2048, problems)
    token = _text(event, "ClientRequestToken", 32, 64, problems)
    rotation_token = _text(event, "RotationToken", 1, 4096, problems) if "RotationToken" in event else None
    if problems:
        _refuse(problems)
    return RotationEvent(step=Step(str(step)), secret_id=secret_id, token=token, rotation_token=rotation_token)


def _text(event: dict[str, object], key: str, shortest: int, longest: int, problems: list[str]) -> str:
    value = event.get(key)
    if not isinstance(value, str) or not shortest <= len(value) <= longest:
        problems.append(f"{key}: must be a string of {shortest} to {longest} characters")
        return ""
    return value


def _refuse(problems: list[str]) -> NoReturn:
    raise RotationRefusedError(
        f"not a Secrets Manager rotation event ({'; '.join(problems)}); expected Step ({_STEPS}), SecretId and "
        "ClientRequestToken"
    )
