"""The secret JSON contract: parsing, errors that name the field, never the value; the alternating pair."""

from __future__ import annotations

import json

import pytest

from dbops.errors import SecretFormatError
from dbops.rotation.secret import DatabaseSecret, alternate_user

REFERENCE = {
    "engine": "mysql",
    "host": "db.cluster-abc.us-east-1.rds.amazonaws.com",
    "port": 3306,
    "username": "app",
    "password": "Sup3r-s3cret",
    "dbname": "orders",
    "dbClusterIdentifier": "orders-cluster",
}


def test_reference_secret_round_trips_when_its_password_changes() -> None:
    secret = DatabaseSecret.parse(json.dumps(REFERENCE), label="the secret")

    rotated = json.loads(secret.with_login("app", "N3w-password").to_json())

    assert rotated == {**REFERENCE, "password": "N3w-password"}
    assert secret.ssl is True
    assert "Sup3r-s3cret" not in repr(secret)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"host": None}, "'host'"),
        ({"username": ""}, "'username'"),
        ({"password": None}, "'password'"),
        ({"port": "x3306"}, "'port'"),
        ({"port": 70000}, "'port'"),
        ({"engine": "postgres"}, "'engine'"),
        ({"ssl": "maybe"}, "'ssl'"),
        ({"username": "app'; DROP"}, "'username'"),
        ({"host": "db host"}, "'host'"),
    ],
)
def test_malformed_secret_names_the_field_and_hides_the_value_when(change: dict[str, object], field: str) -> None:
    raw = {key: value for key, value in {**REFERENCE, **change}.items() if value is not None}

    with pytest.raises(SecretFormatError, match=field) as raised:
        DatabaseSecret.parse(json.dumps(raw), label="the AWSCURRENT secret")

    assert "Sup3r-s3cret" not in str(raised.value)
    for value in change.values():
        if isinstance(value, str) and value:
            assert value not in str(raised.value)


def test_port_and_ssl_are_read_when_they_are_strings() -> None:
    secret = DatabaseSecret.parse(json.dumps({**REFERENCE, "port": "3307", "ssl": "false"}), label="s")

    assert (secret.port, secret.ssl) == (3307, False)


def test_secret_that_is_not_json_is_refused_without_echoing_it() -> None:
    with pytest.raises(SecretFormatError, match="not JSON") as raised:
        DatabaseSecret.parse("password=Sup3r-s3cret", label="the secret")

    assert "Sup3r-s3cret" not in str(raised.value)


@pytest.mark.parametrize(("user", "other"), [("app", "app_clone"), ("app_clone", "app"), ("_clone", "_clone_clone")])
def test_alternate_user_pairs_names_when_the_user_is(user: str, other: str) -> None:
    assert alternate_user(user) == other


def test_alternate_user_refuses_when_the_clone_would_exceed_32_characters() -> None:
    with pytest.raises(SecretFormatError, match="32-character"):
        alternate_user("a" * 27)

    assert alternate_user("a" * 26) == "a" * 26 + "_clone"


def test_same_server_is_false_when_host_port_or_engine_differ() -> None:
    secret = DatabaseSecret.parse(json.dumps(REFERENCE), label="s")

    assert secret.same_server(
        DatabaseSecret.parse(json.dumps({**REFERENCE, "host": "DB.cluster-abc.us-east-1.rds.amazonaws.com"}), label="s")
    )
    for change in ({"host": "evil.example.com"}, {"port": 3307}, {"engine": "mariadb"}):
        assert not secret.same_server(DatabaseSecret.parse(json.dumps({**REFERENCE, **change}), label="s"))
