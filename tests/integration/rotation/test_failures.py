"""Failures say what kind they are (TLS, timeout budget) and Secrets Manager's RotationToken is accepted."""

from __future__ import annotations

import pytest

from dbops import settings
from dbops.errors import DatabaseAccessError, RotationTimeBudgetError
from dbops.rotation import rotator
from tests.integration.rotation.rig import Rig


def test_set_secret_fails_as_tls_when_the_server_certificate_is_not_trusted(
    single_user: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = single_user.start()
    single_user.step("createSecret", token)
    monkeypatch.delenv("DB_CA_BUNDLE")  # the system store does not vouch for the harness's CA
    settings.reset()

    with pytest.raises(DatabaseAccessError) as raised:
        single_user.step("setSecret", token)

    assert raised.value.failure == "tls"
    assert single_user.logs_in(single_user.value())


def test_step_fails_with_a_cause_when_the_invocation_has_no_time_left(single_user: Rig) -> None:
    token = single_user.start()
    single_user.step("createSecret", token)

    with pytest.raises(RotationTimeBudgetError, match="no time left"):
        rotator.handle(single_user.event("setSecret", token), remaining_ms=3_100)

    assert single_user.logs_in(single_user.value())
    assert not single_user.logs_in(single_user.value("AWSPENDING", token))


def test_create_secret_stores_the_pending_version_when_the_event_carries_a_rotation_token(single_user: Rig) -> None:
    token = single_user.start()
    event = {**single_user.event("createSecret", token), "RotationToken": "a-rotation-token-from-secrets-manager"}

    rotator.handle(event, remaining_ms=30_000)

    assert single_user.value("AWSPENDING", token)["username"] == single_user.username
