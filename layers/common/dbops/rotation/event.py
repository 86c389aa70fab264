"""The event Secrets Manager sends a rotation function."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from dbops.errors import RotationRefusedError


class Step(StrEnum):
    """The four steps of the rotation contract, in order."""

    CREATE = "createSecret"
    SET = "setSecret"
    TEST = "testSecret"
    FINISH = "finishSecret"


class RotationEvent(BaseModel):
    """``{"Step", "SecretId", "ClientRequestToken"}`` and, when sent, ``RotationToken``."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    step: Step = Field(alias="Step")
    secret_id: str = Field(alias="SecretId", min_length=1, max_length=2048)
    token: str = Field(alias="ClientRequestToken", min_length=32, max_length=64)
    rotation_token: str | None = Field(default=None, alias="RotationToken", min_length=1, max_length=4096)


def parse_event(event: object) -> RotationEvent:
    """Validate a rotation event; RotationRefusedError names each bad field (values are never echoed)."""
    try:
        return RotationEvent.model_validate(event)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc']) or 'event'}: {issue['msg']}" for issue in error.errors()
        )
        steps = ", ".join(step.value for step in Step)
        raise RotationRefusedError(
            f"not a Secrets Manager rotation event ({problems}); expected Step ({steps}), SecretId and "
            "ClientRequestToken"
        ) from None
