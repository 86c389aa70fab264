"""No password, generated or read, appears in anything the function logs, on success or on failure."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from dbops.errors import DatabaseAccessError
from dbops.observability import logger
from tests.integration.rotation.rig import Rig


@pytest.fixture
def function_logs() -> Iterator[io.StringIO]:
    """Our structured log lines exactly as Lambda would receive them (JSON, every key), at DEBUG."""
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.setFormatter(logger.registered_formatter)
    previous = logger.log_level
    logger.addHandler(handler)
    logger.setLevel("DEBUG")
    yield buffer
    logger.setLevel(previous)
    logger.removeHandler(handler)


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture, function_logs: io.StringIO) -> pytest.LogCaptureFixture:
    """Every other logger at INFO, captured; our own lines are in function_logs."""
    caplog.set_level(logging.INFO)
    return caplog


def _passwords(rig: Rig, tokens: list[str]) -> set[str]:
    passwords = {rig.password, rig.mariadb.password}
    for token in tokens:
        passwords.add(rig.value(stage=None, version_id=token)["password"])
    return passwords


def test_no_password_is_logged_when_both_strategies_rotate_and_recover(
    single_user: Rig,
    alternating: Rig,
    debug_logs: pytest.LogCaptureFixture,
    function_logs: io.StringIO,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A failed run left its password in the database: the next one logs "login refused" on its way.
    abandoned = single_user.start()
    single_user.step("createSecret", abandoned)
    single_user.step("setSecret", abandoned)
    tokens = [
        (single_user, [abandoned, single_user.rotate()]),
        (alternating, [alternating.rotate(), alternating.rotate()]),
    ]

    logged = capsys.readouterr()
    text = logged.out + logged.err + debug_logs.text + function_logs.getvalue()
    assert '"message":"rotation step done"' in text
    for rig, rig_tokens in tokens:
        for password in _passwords(rig, rig_tokens):
            assert password not in text


def test_no_password_is_logged_or_raised_when_the_database_refuses_the_pending_login(
    single_user: Rig,
    debug_logs: pytest.LogCaptureFixture,
    function_logs: io.StringIO,
    capsys: pytest.CaptureFixture[str],
) -> None:
    token = single_user.start()
    single_user.step("createSecret", token)

    with pytest.raises(DatabaseAccessError) as raised:
        single_user.step("testSecret", token)

    logged = capsys.readouterr()
    lines = function_logs.getvalue()
    text = logged.out + logged.err + debug_logs.text + lines + str(raised.value) + repr(raised.value.__cause__)
    assert raised.value.failure == "authentication"
    assert '"failure":"authentication"' in lines
    assert '"Failure":"authentication"' in logged.out  # the RotationFailed metric
    for password in _passwords(single_user, [token]):
        assert password not in text
