"""Both strategies rotate a real MariaDB user's password through the four steps, and replays change nothing."""

from __future__ import annotations

from tests.integration.rotation.rig import STEPS, Rig, make_rig
from tools.mariadb import MariaDB


def test_single_user_rotation_changes_the_password_when_all_four_steps_run(single_user: Rig) -> None:
    old = single_user.value()

    token = single_user.rotate()

    new = single_user.value()
    assert new["username"] == single_user.username
    assert new["password"] != old["password"]
    assert single_user.logs_in(new)
    assert not single_user.logs_in(old)
    assert single_user.stages()[token] == ["AWSCURRENT"]
    assert single_user.value("AWSPREVIOUS") == old


def test_alternating_rotation_hands_over_to_the_clone_when_all_four_steps_run(alternating: Rig) -> None:
    old = alternating.value()

    alternating.rotate()

    new = alternating.value()
    assert new["username"] == f"{alternating.username}_clone"
    assert alternating.logs_in(new)
    assert alternating.logs_in(old)
    assert alternating.grants(new["username"]) == alternating.grants(alternating.username)


def test_alternating_rotation_returns_to_the_original_user_when_run_twice(alternating: Rig) -> None:
    first = alternating.value()

    alternating.rotate()
    alternating.rotate()

    third = alternating.value()
    assert third["username"] == alternating.username
    assert third["password"] != first["password"]
    assert alternating.logs_in(third)
    assert not alternating.logs_in(first)
    assert alternating.logs_in(alternating.value("AWSPREVIOUS"))


def test_each_step_changes_nothing_more_when_replayed_twice(single_user: Rig, alternating: Rig) -> None:
    for rig in (single_user, alternating):
        token = rig.start()
        snapshots = []
        for step in STEPS:
            rig.step(step, token)
            after_once = (rig.stages(), rig.value("AWSCURRENT"), _pending_or_none(rig, token))
            rig.step(step, token)
            rig.step(step, token)
            snapshots.append(after_once == (rig.stages(), rig.value("AWSCURRENT"), _pending_or_none(rig, token)))

        assert snapshots == [True, True, True, True]
        assert rig.logs_in(rig.value())


def _pending_or_none(rig: Rig, token: str) -> dict[str, object] | None:
    if "AWSPENDING" not in rig.stages().get(token, []):
        return None
    return rig.value("AWSPENDING", token)


def test_rotation_accepts_a_plaintext_session_when_the_secret_says_ssl_false(aws: None, mariadb: MariaDB) -> None:
    rig = make_rig(mariadb, extra={"ssl": "false"})

    rig.rotate()

    assert rig.value()["ssl"] == "false"
    assert rig.logs_in(rig.value())
