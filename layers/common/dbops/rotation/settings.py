"""The rotation function's settings, from its environment."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Self

from dbops import settings

# Characters MySQL clients, URLs and shells handle badly; GetRandomPassword also leaves out spaces.
DEFAULT_EXCLUDED_CHARACTERS = "/@\"'\\"


class Strategy(StrEnum):
    """How passwords rotate: the user changes its own, or two users alternate under a master login."""

    AUTO = "auto"
    SINGLE_USER = "single_user"
    ALTERNATING_USERS = "alternating_users"


@dataclass(frozen=True)
class RotationSettings:
    """What the rotation function reads from its environment."""

    strategy: Strategy
    password_length: int
    excluded_characters: str
    retain_current_password: bool
    ca_bundle: str | None
    connect_timeout: int
    safety_margin_ms: int

    @classmethod
    def from_environ(cls) -> Self:
        """Read the ROTATION_*, PASSWORD_*, EXCLUDE_CHARACTERS and DB_* variables."""
        return cls(
            strategy=Strategy(
                settings.text(
                    "ROTATION_STRATEGY",
                    pattern="auto|single_user|alternating_users",
                    example="auto",
                    default="auto",
                )
            ),
            password_length=settings.integer("PASSWORD_LENGTH", default=32, minimum=16, maximum=128),
            excluded_characters=settings.text(
                "EXCLUDE_CHARACTERS",
                pattern=r"[!-~]{1,64}",
                example="/@\"'\\",
                default=DEFAULT_EXCLUDED_CHARACTERS,
            ),
            retain_current_password=settings.boolean("RETAIN_CURRENT_PASSWORD", default=False),
            ca_bundle=settings.optional_text("DB_CA_BUNDLE", pattern=r"/[^\0]+", example="/opt/python/rds-ca.pem"),
            connect_timeout=settings.integer("DB_CONNECT_TIMEOUT", default=5, minimum=1, maximum=60),
            safety_margin_ms=settings.integer("TIME_MARGIN_MS", default=3000, minimum=500, maximum=60000),
        )
