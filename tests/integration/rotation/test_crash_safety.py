"""A crash at every side-effect boundary of every step, then Secrets Manager's retry: rotation converges and
nobody is locked out at any moment.

A crash is simulated by raising from inside the adapter call at the boundary (before or after its real effect),
as a Lambda timeout or a killed container would stop the step there. Secrets Manager then retries the rotation
with the same token from createSecret; every step must pick up where the state is.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import wraps
from typing import Any

import pytest

from dbops.aws.secrets import RotationSecrets
from dbops.mysql.accounts import Session
from tests.integration.rotation.rig import STEPS, Rig


class InjectedCrashError(Exception):
    """The step died here."""


@dataclass(frozen=True)
class Boundary:
    """Where a step dies: in ``method`` of ``owner``, before or after its real effect."""

    name: str
    owner: type
    method: str
    after: bool

    def arm(self, monkeypatch: pytest.MonkeyPatch) -> dict[str, bool]:
        """Make the next call at this boundary crash (once); returns a flag set when it fired."""
        fired = {"fired": False}
        real = getattr(self.owner, self.method)

        @wraps(real)
        def crashing(instance: Any, *args: Any, **kwargs: Any) -> Any:
            if fired["fired"]:
                return real(instance, *args, **kwargs)
            fired["fired"] = True
            if not self.after:
                raise InjectedCrashError(self.name)
            real(instance, *args, **kwargs)
            raise InjectedCrashError(self.name)

        monkeypatch.setattr(self.owner, self.method, crashing)
        return fired


COMMON = [
    Boundary("createSecret: password generated, before PutSecretValue", RotationSecrets, "put_pending", after=False),
    Boundary("createSecret: after PutSecretValue, before the step returns", RotationSecrets, "put_pending", after=True),
    Boundary("testSecret: connection lost during the test query", Session, "check_query", after=False),
    Boundary("finishSecret: before AWSCURRENT moves", RotationSecrets, "move_current", after=False),
    Boundary(
        "finishSecret: AWSCURRENT moved, before AWSPENDING is cleared", RotationSecrets, "move_current", after=True
    ),
    Boundary("finishSecret: after AWSPENDING cleared, before the step returns", RotationSecrets, "clear_pending", True),
]
SINGLE_USER = [
    Boundary("setSecret: logged in, before the password change", Session, "change_own_password", after=False),
    Boundary(
        "setSecret: password changed in the database, before the step returns", Session, "change_own_password", True
    ),
]
ALTERNATING = [
    Boundary("setSecret: clone created, before its grants", Session, "grant", after=False),
    Boundary("setSecret: grants copied, before the clone's password", Session, "set_user_passwords", after=False),
    Boundary("setSecret: clone's password set, before the step returns", Session, "set_user_passwords", after=True),
]


def _someone_logs_in(rig: Rig, token: str, *, alternating: bool) -> None:
    """AWSCURRENT logs in; for single user, between setSecret and finishSecret, AWSPENDING does instead."""
    if rig.logs_in(rig.value()):
        return
    assert not alternating, "alternating users: AWSCURRENT must log in at every moment"
    assert "AWSPENDING" in rig.stages().get(token, []), "AWSCURRENT does not log in and no rotation is pending"
    assert rig.logs_in(rig.value("AWSPENDING", token)), "neither AWSCURRENT nor AWSPENDING logs in"


def _crash_then_retry(rig: Rig, boundary: Boundary, monkeypatch: pytest.MonkeyPatch, *, alternating: bool) -> None:
    old = rig.value()
    token = rig.start()
    fired = boundary.arm(monkeypatch)

    crashed_in = None
    for step in STEPS:
        try:
            rig.step(step, token)
        except InjectedCrashError:
            crashed_in = step
            break
        _someone_logs_in(rig, token, alternating=alternating)
    assert fired["fired"], f"the boundary {boundary.name!r} was never reached"
    assert crashed_in is not None
    _someone_logs_in(rig, token, alternating=alternating)

    # Secrets Manager's retry: the failed step again, then the whole sequence with the same token.
    rig.step(crashed_in, token)
    for step in STEPS:
        rig.step(step, token)
        _someone_logs_in(rig, token, alternating=alternating)

    assert rig.stages()[token] == ["AWSCURRENT"]
    assert all("AWSPENDING" not in stages for stages in rig.stages().values())
    assert rig.logs_in(rig.value())
    assert rig.value("AWSPREVIOUS") == old
    if not alternating:
        assert not rig.logs_in(old)


@pytest.mark.parametrize("boundary", COMMON + SINGLE_USER, ids=lambda boundary: boundary.name)
def test_single_user_rotation_converges_when_a_step_crashes_at(
    boundary: Boundary, single_user: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    _crash_then_retry(single_user, boundary, monkeypatch, alternating=False)


@pytest.mark.parametrize("boundary", COMMON + ALTERNATING, ids=lambda boundary: boundary.name)
def test_alternating_rotation_converges_when_a_step_crashes_at(
    boundary: Boundary, alternating: Rig, monkeypatch: pytest.MonkeyPatch
) -> None:
    _crash_then_retry(alternating, boundary, monkeypatch, alternating=True)


def test_single_user_rotation_recovers_when_a_failed_run_left_its_password_in_the_database(
    single_user: Rig,
) -> None:
    # Given a rotation that changed the password in the database, then was abandoned (its AWSPENDING removed)
    abandoned = single_user.start()
    single_user.step("createSecret", abandoned)
    single_user.step("setSecret", abandoned)
    single_user.client.update_secret_version_stage(
        SecretId=single_user.secret_id, VersionStage="AWSPENDING", RemoveFromVersionId=abandoned
    )
    assert not single_user.logs_in(single_user.value())

    # When a new rotation runs with a new token
    token = single_user.rotate()

    # Then setSecret found the abandoned version's password, and AWSCURRENT logs in again
    assert single_user.stages()[token] == ["AWSCURRENT"]
    assert single_user.logs_in(single_user.value())


def test_single_user_rotation_recovers_when_a_new_token_replaces_a_pending_left_by_a_failed_run(
    single_user: Rig,
) -> None:
    stale = single_user.start()
    single_user.step("createSecret", stale)
    single_user.step("setSecret", stale)

    token = single_user.rotate()

    assert single_user.stages()[token] == ["AWSCURRENT"]
    assert single_user.logs_in(single_user.value())
    assert not single_user.logs_in(single_user.value(stage=None, version_id=stale))
