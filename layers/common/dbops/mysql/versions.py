"""Which server a connection reached (MySQL or MariaDB, and its version) and what it accepts.

Decided from ``SELECT VERSION()``, never from "the version starts with 8": MariaDB 10.x and 11.x report
numbers that compare nothing like MySQL's, and MariaDB's handshake may prefix its version with ``5.5.5-``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

_NUMBERS = re.compile(r"(\d+)\.(\d+)(?:\.(\d+))?")
# MariaDB prefixed its real version with "5.5.5-" in the handshake so MySQL 5.5-era clients would accept it.
_MARIADB_HANDSHAKE_PREFIX = "5.5.5-"


class Flavour(StrEnum):
    """The server family: MySQL (RDS MySQL, Aurora MySQL) or MariaDB."""

    MYSQL = "mysql"
    MARIADB = "mariadb"


@dataclass(frozen=True, order=True)
class ServerVersion:
    """A server's family and version number."""

    flavour: Flavour
    major: int
    minor: int
    patch: int

    @classmethod
    def parse(cls, text: str) -> ServerVersion:
        """Read ``SELECT VERSION()``'s answer, e.g. ``8.0.36``, ``5.7.44-log`` or ``10.11.6-MariaDB-log``."""
        flavour = Flavour.MARIADB if "mariadb" in text.lower() else Flavour.MYSQL
        body = text.strip()
        if flavour is Flavour.MARIADB and body.startswith(_MARIADB_HANDSHAKE_PREFIX):
            body = body.removeprefix(_MARIADB_HANDSHAKE_PREFIX)
        match = _NUMBERS.match(body)
        if match is None:
            raise ValueError(f"not a MySQL or MariaDB version string: {text[:60]!r}")
        major, minor, patch = match.groups()
        return cls(flavour, int(major), int(minor), int(patch or 0))

    @property
    def number(self) -> tuple[int, int, int]:
        """The version as a comparable triple."""
        return (self.major, self.minor, self.patch)

    @property
    def has_alter_user_identified_by(self) -> bool:
        """Whether ``ALTER USER ... IDENTIFIED BY`` exists (MySQL 5.7.6+, MariaDB 10.2+)."""
        if self.flavour is Flavour.MARIADB:
            return self.number >= (10, 2, 0)
        return self.number >= (5, 7, 6)

    @property
    def supports_dual_passwords(self) -> bool:
        """Whether ``RETAIN CURRENT PASSWORD`` exists (MySQL 8.0.14+; no MariaDB has it)."""
        return self.flavour is Flavour.MYSQL and self.number >= (8, 0, 14)

    def __str__(self) -> str:
        return f"{self.flavour} {self.major}.{self.minor}.{self.patch}"
