"""Settings from the environment: read once per container, validated at the first call.

Each function's settings are a frozen dataclass with a ``from_environ`` classmethod built from the readers
below; ``load(SettingsType)`` caches the result, so nothing is read at import time and a missing or malformed
variable fails the first invocation with one message naming the variable and the shape it must have.
"""

from __future__ import annotations

import functools
import os
import re
from typing import Protocol, Self

from dbops.errors import ConfigurationError


class FromEnviron(Protocol):
    """A settings type that can build itself from the environment."""

    @classmethod
    def from_environ(cls) -> Self: ...


@functools.cache
def load[T: FromEnviron](settings_type: type[T]) -> T:
    """Return the settings of this type, read from the environment at the first call and cached."""
    return settings_type.from_environ()


def reset() -> None:
    """Forget the cached settings (tests and the local runner change the environment)."""
    load.cache_clear()


def text(name: str, *, pattern: str, example: str, default: str | None = None) -> str:
    """Read a required (or defaulted) variable that must match ``pattern`` entirely."""
    value = os.environ.get(name, "").strip()
    if not value:
        if default is not None:
            return default
        raise ConfigurationError(f"environment variable {name} is missing: set it to a value like {example!r}")
    if not re.fullmatch(pattern, value):
        raise ConfigurationError(f"environment variable {name} is malformed: it must match {pattern}, like {example!r}")
    return value


def optional_text(name: str, *, pattern: str, example: str) -> str | None:
    """Read a variable that may be unset or empty; when set it must match ``pattern`` entirely."""
    if not os.environ.get(name, "").strip():
        return None
    return text(name, pattern=pattern, example=example)


def integer(name: str, *, default: int, minimum: int, maximum: int) -> int:
    """Read a whole number between ``minimum`` and ``maximum`` (inclusive), ``default`` when unset."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        value = minimum - 1
    if not minimum <= value <= maximum:
        raise ConfigurationError(
            f"environment variable {name} is malformed: it must be a whole number from {minimum} to {maximum}"
        )
    return value


def boolean(name: str, *, default: bool) -> bool:
    """Read ``true`` or ``false`` (any case), ``default`` when unset."""
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    if raw not in {"true", "false"}:
        raise ConfigurationError(f"environment variable {name} is malformed: it must be 'true' or 'false'")
    return raw == "true"


def names(name: str, *, pattern: str, example: str) -> tuple[str, ...]:
    """Read a comma-separated list (possibly empty) whose every item matches ``pattern``."""
    items = tuple(item.strip() for item in os.environ.get(name, "").split(",") if item.strip())
    for item in items:
        if not re.fullmatch(pattern, item):
            raise ConfigurationError(
                f"environment variable {name} is malformed: each comma-separated item must match {pattern}, "
                f"like {example!r}"
            )
    return items
