"""The function's settings: defaults, and one clear message for a missing or malformed variable."""

from __future__ import annotations

import pytest

from dbops import settings
from dbops.errors import ConfigurationError
from dbops.queries.settings import QueriesSettings

BASE = {"DB_PROXY_ENDPOINT": "app.proxy-abc.us-east-1.rds.amazonaws.com", "DB_NAME": "app", "DB_USER": "app_user"}


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (
        "DB_PROXY_READ_ENDPOINT",
        "DB_AUTH_MODE",
        "DB_SECRET_ARN",
        "DB_CA_BUNDLE",
        "QUERY_CATALOGUE",
        "DB_PORT",
    ):
        monkeypatch.delenv(name, raising=False)
    for name, value in BASE.items():
        monkeypatch.setenv(name, value)


def test_settings_default_to_iam_auth_and_short_timeouts_when_only_the_basics_are_set() -> None:
    loaded = settings.load(QueriesSettings)

    assert loaded.auth_mode == "iam"
    assert loaded.port == 3306
    assert (loaded.connect_timeout, loaded.read_timeout) == (5, 10)
    assert loaded.read_endpoint is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"DB_PROXY_ENDPOINT": ""}, "DB_PROXY_ENDPOINT is missing"),
        ({"DB_USER": ""}, "DB_USER is missing: IAM authentication needs the user name"),
        ({"DB_AUTH_MODE": "secret"}, "DB_SECRET_ARN is missing"),
        ({"DB_AUTH_MODE": "password"}, "DB_AUTH_MODE is malformed"),
        ({"DB_PORT": "70000"}, "DB_PORT is malformed"),
        ({"QUERY_CATALOGUE": "/etc/passwd"}, "QUERY_CATALOGUE is malformed"),
    ],
)
def test_settings_name_the_variable_when_it_is_missing_or_malformed(
    monkeypatch: pytest.MonkeyPatch, changes: dict[str, str], message: str
) -> None:
    for name, value in changes.items():
        monkeypatch.setenv(name, value)

    with pytest.raises(ConfigurationError, match=message):
        settings.load(QueriesSettings)
