"""IAM auth tokens, signed locally (no network): the right host, port, user and region, reused until near expiry."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from dbops.aws import clients
from dbops.aws.db_auth import TOKEN_LIFETIME, TOKEN_REFRESH_MARGIN, IamAuthToken
from dbops.mysql.connection import Endpoint

ENDPOINT = Endpoint("app.proxy-abc.us-east-1.rds.amazonaws.com", 3306, "app")


class Clock:
    """Seconds that a test moves forward by hand."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def generated(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The arguments of every generate_db_auth_token call, which still runs for real."""
    client = clients.rds()
    real = client.generate_db_auth_token
    calls: list[dict[str, Any]] = []

    def spy(**kwargs: Any) -> str:
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(client, "generate_db_auth_token", spy)
    return calls


def test_token_is_signed_for_the_proxy_host_port_user_and_region(generated: list[dict[str, Any]]) -> None:
    credentials = IamAuthToken(ENDPOINT, "app_user").credentials()

    url = urlsplit(f"https://{credentials.password}")
    query = parse_qs(url.query)
    assert (url.hostname, url.port) == (ENDPOINT.host, 3306)
    assert query["Action"] == ["connect"]
    assert query["DBUser"] == ["app_user"]
    assert query["X-Amz-Credential"][0].split("/")[2:4] == ["us-east-1", "rds-db"]
    assert query["X-Amz-Expires"] == ["900"]
    assert credentials.username == "app_user"
    assert generated == [{"DBHostname": ENDPOINT.host, "Port": 3306, "DBUsername": "app_user"}]


def test_token_is_reused_when_it_is_far_from_expiry(generated: list[dict[str, Any]]) -> None:
    clock = Clock()
    login = IamAuthToken(ENDPOINT, "app_user", clock=clock)
    first = login.credentials()

    clock.now += TOKEN_LIFETIME - TOKEN_REFRESH_MARGIN - 1
    again = login.credentials()

    assert again.password == first.password
    assert len(generated) == 1


def test_token_is_made_anew_when_it_nears_expiry(generated: list[dict[str, Any]]) -> None:
    clock = Clock()
    login = IamAuthToken(ENDPOINT, "app_user", clock=clock)
    login.credentials()

    clock.now += TOKEN_LIFETIME - TOKEN_REFRESH_MARGIN
    login.credentials()

    assert len(generated) == 2


def test_token_is_made_anew_when_the_last_one_was_refused(generated: list[dict[str, Any]]) -> None:
    login = IamAuthToken(ENDPOINT, "app_user", clock=Clock())
    login.credentials()

    login.invalidate()
    login.credentials()

    assert len(generated) == 2


def test_credentials_repr_hides_the_token_when_logged() -> None:
    credentials = IamAuthToken(ENDPOINT, "app_user").credentials()

    assert credentials.password not in repr(credentials)
