"""Rotation against the real MariaDB and moto's Secrets Manager."""

from __future__ import annotations

import pytest

from tests.integration.rotation.rig import Rig, make_rig
from tools.mariadb import MariaDB


@pytest.fixture(autouse=True)
def rotation_environment(monkeypatch: pytest.MonkeyPatch, mariadb: MariaDB) -> None:
    """The function's environment: the harness's CA, the rotation service name."""
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "rotation")
    if mariadb.ca_bundle:
        monkeypatch.setenv("DB_CA_BUNDLE", mariadb.ca_bundle)


@pytest.fixture
def single_user(aws: None, mariadb: MariaDB) -> Rig:
    """A single-user secret on a fresh user."""
    return make_rig(mariadb)


@pytest.fixture
def alternating(aws: None, mariadb: MariaDB) -> Rig:
    """An alternating-users secret on a fresh user, with the harness's admin as master secret."""
    return make_rig(mariadb, alternating=True)
