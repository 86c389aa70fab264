"""The time budget, the rotation event's validation, and the function's settings."""

from __future__ import annotations

import pytest

from dbops.errors import ConfigurationError, RotationRefusedError, RotationTimeBudgetError
from dbops.rotation.budget import TimeBudget
from dbops.rotation.event import Step, parse_event
from dbops.rotation.settings import DEFAULT_EXCLUDED_CHARACTERS, RotationSettings, Strategy

TOKEN = "c0ffee00-1111-2222-3333-444455556666"


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_budget_caps_the_timeout_when_less_time_is_left_than_the_cap() -> None:
    clock = Clock()
    budget = TimeBudget(remaining_ms=10_000, safety_margin_ms=3_000, clock=clock)

    assert budget.timeout(5, action="x") == 5
    clock.now += 4
    assert budget.timeout(5, action="x") == pytest.approx(3.0)


def test_budget_refuses_a_call_with_a_cause_when_the_deadline_is_near() -> None:
    clock = Clock()
    budget = TimeBudget(remaining_ms=10_000, safety_margin_ms=3_000, clock=clock)
    clock.now += 6.8

    with pytest.raises(RotationTimeBudgetError, match="logging in"):
        budget.timeout(5, action="logging in as app")


def test_event_is_parsed_when_secrets_manager_sends_the_rotation_token() -> None:
    event = parse_event({"Step": "setSecret", "SecretId": "s", "ClientRequestToken": TOKEN, "RotationToken": "rt"})

    assert (event.step, event.token, event.rotation_token) == (Step.SET, TOKEN, "rt")


@pytest.mark.parametrize(
    ("event", "names"),
    [
        ({"Step": "dropSecret", "SecretId": "s", "ClientRequestToken": TOKEN}, "Step"),
        ({"Step": "createSecret", "ClientRequestToken": TOKEN}, "SecretId"),
        ({"Step": "createSecret", "SecretId": "s"}, "ClientRequestToken"),
        ({"Step": "createSecret", "SecretId": "s", "ClientRequestToken": "short"}, "ClientRequestToken"),
        ("not an object", "event"),
    ],
)
def test_event_is_refused_naming_the_field_when_it_is_malformed(event: object, names: str) -> None:
    with pytest.raises(RotationRefusedError, match=names):
        parse_event(event)


def test_settings_default_to_safe_values_when_the_environment_is_empty(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "ROTATION_STRATEGY",
        "PASSWORD_LENGTH",
        "EXCLUDE_CHARACTERS",
        "RETAIN_CURRENT_PASSWORD",
        "DB_CA_BUNDLE",
    ):
        monkeypatch.delenv(name, raising=False)

    loaded = RotationSettings.from_environ()

    assert loaded.strategy is Strategy.AUTO
    assert loaded.password_length == 32
    assert set(loaded.excluded_characters) == set(DEFAULT_EXCLUDED_CHARACTERS) == set("/@\"'\\")
    assert loaded.retain_current_password is False
    assert loaded.ca_bundle is None


def test_settings_fail_naming_the_variable_when_one_is_malformed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROTATION_STRATEGY", "sometimes")

    with pytest.raises(ConfigurationError, match="ROTATION_STRATEGY"):
        RotationSettings.from_environ()
