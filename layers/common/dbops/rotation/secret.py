"""The database secret's JSON, as AWS's reference rotation functions read and write it.

Keys: ``engine``, ``host``, ``port``, ``username``, ``password``, ``dbname``, optional ``masterarn``,
``dbInstanceIdentifier`` / ``dbClusterIdentifier`` and ``ssl``. Keys we do not know are kept as they are,
so a secret rotates with ours and the reference's alike. Errors name the field, never its value.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from typing import Any

from dbops.errors import SecretFormatError
from dbops.mysql.accounts import MAX_USER_NAME_LENGTH
from dbops.mysql.connection import Credentials, Endpoint

ENGINES = frozenset({"mysql", "mariadb", "aurora-mysql", "aurora"})
CLONE_SUFFIX = "_clone"
# Characters a name may hold: the user name is written into GRANT statements copied for the clone.
_USER_NAME = re.compile(r"[A-Za-z0-9_.$-]+")
_HOST = re.compile(r"[A-Za-z0-9.:_-]+")


@dataclass(frozen=True)
class DatabaseSecret:
    """One version of a database secret. The password never shows in repr."""

    host: str
    username: str
    password: str = field(repr=False)
    port: int = 3306
    engine: str = "mysql"
    dbname: str | None = None
    masterarn: str | None = None
    ssl: bool = True
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def parse(cls, text: str, *, label: str) -> DatabaseSecret:
        """Read a secret string; ``label`` (e.g. "the AWSCURRENT secret") names it in errors."""
        try:
            raw = json.loads(text)
        except json.JSONDecodeError:
            raise SecretFormatError(f"{label} is not JSON: store an object with host, username and password") from None
        if not isinstance(raw, dict):
            raise SecretFormatError(f"{label} is not a JSON object: store an object with host, username and password")
        return cls(
            host=_host(raw, label),
            username=_user_name(raw, label),
            password=_required_text(raw, "password", label),
            port=_port(raw, label),
            engine=_engine(raw, label),
            dbname=_optional_text(raw, "dbname", label),
            masterarn=_optional_text(raw, "masterarn", label),
            ssl=_ssl(raw, label),
            raw=raw,
        )

    def to_json(self) -> str:
        """The secret string: the original keys with this version's username and password."""
        return json.dumps({**self.raw, "username": self.username, "password": self.password})

    def with_login(self, username: str, password: str) -> DatabaseSecret:
        """A copy with another username and password, every other key kept."""
        return replace(self, username=username, password=password, raw={**self.raw})

    @property
    def endpoint(self) -> Endpoint:
        """Where the database listens."""
        return Endpoint(self.host, self.port, self.dbname)

    @property
    def credentials(self) -> Credentials:
        """The login."""
        return Credentials(self.username, self.password)

    def same_server(self, other: DatabaseSecret) -> bool:
        """Whether ``other`` points at the same host, port and engine."""
        return (self.host.lower(), self.port, self.engine) == (other.host.lower(), other.port, other.engine)


def alternate_user(username: str) -> str:
    """The other user of the alternating pair: ``app`` <-> ``app_clone``."""
    if username.endswith(CLONE_SUFFIX) and len(username) > len(CLONE_SUFFIX):
        return username.removesuffix(CLONE_SUFFIX)
    clone = username + CLONE_SUFFIX
    if len(clone) > MAX_USER_NAME_LENGTH:
        raise SecretFormatError(
            f"username is too long for alternating users: {clone!r} would exceed MySQL's "
            f"{MAX_USER_NAME_LENGTH}-character limit; use a username of at most "
            f"{MAX_USER_NAME_LENGTH - len(CLONE_SUFFIX)} characters"
        )
    return clone


def _required_text(raw: dict[str, Any], key: str, label: str) -> str:
    value = raw.get(key)
    if value is None:
        raise SecretFormatError(f"{label} has no '{key}' field: add it")
    if not isinstance(value, str) or not value:
        raise SecretFormatError(f"{label} has an invalid '{key}' field: it must be a non-empty string")
    return value


def _optional_text(raw: dict[str, Any], key: str, label: str) -> str | None:
    value = raw.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise SecretFormatError(f"{label} has an invalid '{key}' field: it must be a string")
    return value


def _host(raw: dict[str, Any], label: str) -> str:
    host = _required_text(raw, "host", label)
    if not _HOST.fullmatch(host):
        raise SecretFormatError(f"{label} has an invalid 'host' field: it must be a DNS name or an IP address")
    return host


def _user_name(raw: dict[str, Any], label: str) -> str:
    username = _required_text(raw, "username", label)
    if not _USER_NAME.fullmatch(username) or len(username) > MAX_USER_NAME_LENGTH:
        raise SecretFormatError(
            f"{label} has an invalid 'username' field: use at most {MAX_USER_NAME_LENGTH} letters, digits and _ . $ -"
        )
    return username


def _port(raw: dict[str, Any], label: str) -> int:
    value = raw.get("port", 3306)
    try:
        port = int(value)
    except (TypeError, ValueError):
        port = 0
    if isinstance(value, bool) or not 1 <= port <= 65535:
        raise SecretFormatError(f"{label} has an invalid 'port' field: it must be a whole number from 1 to 65535")
    return port


def _engine(raw: dict[str, Any], label: str) -> str:
    value = raw.get("engine", "mysql")
    if not isinstance(value, str) or value.lower() not in ENGINES:
        raise SecretFormatError(
            f"{label} has an invalid 'engine' field: this function rotates {', '.join(sorted(ENGINES))}"
        )
    return value.lower()


def _ssl(raw: dict[str, Any], label: str) -> bool:
    # Absent means TLS: plaintext only when the secret says so explicitly (the reference would fall back).
    value = raw.get("ssl", True)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in {"true", "false"}:
        return value.lower() == "true"
    raise SecretFormatError(f"{label} has an invalid 'ssl' field: it must be true or false")
