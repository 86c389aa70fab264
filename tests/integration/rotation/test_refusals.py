"""Bad input is refused with a clear error and changes nothing: not the secret, not the database."""

from __future__ import annotations

import json
import uuid

import pytest

from dbops.errors import (
    MasterSecretError,
    PendingSecretMismatchError,
    RotationRefusedError,
    SecretFormatError,
)
from tests.integration.rotation.rig import Rig, make_rig
from tools.mariadb import MariaDB


def _snapshot(rig: Rig) -> tuple[object, ...]:
    return (rig.stages(), rig.value(), rig.logs_in(rig.value()))


def test_unknown_step_is_refused_when_the_event_names_no_rotation_step(single_user: Rig) -> None:
    token = single_user.start()
    before = _snapshot(single_user)

    with pytest.raises(RotationRefusedError, match="Step"):
        single_user.step("dropSecret", token)

    assert _snapshot(single_user) == before


def test_token_is_refused_when_it_names_no_version_of_the_secret(single_user: Rig) -> None:
    before = _snapshot(single_user)

    with pytest.raises(RotationRefusedError, match="has no version"):
        single_user.step("createSecret", str(uuid.uuid4()))

    assert _snapshot(single_user) == before


def test_token_is_refused_when_its_version_is_not_pending(single_user: Rig) -> None:
    token = single_user.rotate()
    single_user.rotate()  # token's version is now AWSPREVIOUS
    before = _snapshot(single_user)

    with pytest.raises(RotationRefusedError, match="not AWSPENDING"):
        single_user.step("setSecret", token)

    assert _snapshot(single_user) == before


def test_rotation_is_refused_when_the_secret_has_rotation_disabled(aws: None, mariadb: MariaDB) -> None:
    rig = make_rig(mariadb)
    token = rig.start()
    rig.client.cancel_rotate_secret(SecretId=rig.secret_id)
    before = _snapshot(rig)

    with pytest.raises(RotationRefusedError, match="rotation enabled"):
        rig.step("createSecret", token)

    assert _snapshot(rig) == before


def test_pending_secret_is_refused_when_it_points_at_another_host(single_user: Rig) -> None:
    token = single_user.start()
    tampered = {**single_user.value(), "host": "attacker.example.com", "password": f"P-{uuid.uuid4().hex}"}
    single_user.client.put_secret_value(
        SecretId=single_user.secret_id,
        ClientRequestToken=token,
        SecretString=json.dumps(tampered),
        VersionStages=["AWSPENDING"],
    )
    before = _snapshot(single_user)

    for step in ("setSecret", "testSecret"):
        with pytest.raises(PendingSecretMismatchError, match="another host"):
            single_user.step(step, token)

    assert _snapshot(single_user) == before


def test_alternating_rotation_is_refused_when_the_master_secret_is_missing(alternating: Rig) -> None:
    master = alternating.value()["masterarn"]
    alternating.client.delete_secret(SecretId=master, ForceDeleteWithoutRecovery=True)
    token = alternating.start()
    alternating.step("createSecret", token)
    before = _snapshot(alternating)

    with pytest.raises(MasterSecretError, match="masterarn"):
        alternating.step("setSecret", token)

    assert _snapshot(alternating) == before
    assert not alternating.logs_in(alternating.value("AWSPENDING", token))


def test_malformed_secret_is_refused_naming_the_field_never_the_value(single_user: Rig) -> None:
    broken = {**single_user.value(), "port": "not-a-port"}
    single_user.client.put_secret_value(SecretId=single_user.secret_id, SecretString=json.dumps(broken))
    token = single_user.start()

    with pytest.raises(SecretFormatError, match="'port'") as raised:
        single_user.step("createSecret", token)

    assert "not-a-port" not in str(raised.value)
    assert single_user.password not in str(raised.value)


def _stage_tampered(rig: Rig, token: str, **changes: object) -> None:
    tampered = {**rig.value(), "password": f"P-{uuid.uuid4().hex}", **changes}
    rig.client.put_secret_value(
        SecretId=rig.secret_id,
        ClientRequestToken=token,
        SecretString=json.dumps(tampered),
        VersionStages=["AWSPENDING"],
    )


def test_pending_secret_is_refused_when_it_turns_tls_off(single_user: Rig) -> None:
    token = single_user.start()
    _stage_tampered(single_user, token, ssl=False)
    before = _snapshot(single_user)

    with pytest.raises(PendingSecretMismatchError, match="TLS off"):
        single_user.step("setSecret", token)

    assert _snapshot(single_user) == before


def test_pending_secret_is_refused_when_it_names_another_user(single_user: Rig) -> None:
    token = single_user.start()
    _stage_tampered(single_user, token, username="root")
    before = _snapshot(single_user)

    with pytest.raises(PendingSecretMismatchError, match="another user"):
        single_user.step("setSecret", token)

    assert _snapshot(single_user) == before


def test_alternating_rotation_is_refused_when_the_secret_names_no_master(
    single_user: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ROTATION_STRATEGY", "alternating_users")
    token = single_user.start()
    single_user.step("createSecret", token)
    before = _snapshot(single_user)

    with pytest.raises(MasterSecretError, match="add 'masterarn'"):
        single_user.step("setSecret", token)

    assert _snapshot(single_user) == before
