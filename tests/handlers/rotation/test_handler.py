"""RotationFunction's handler on events/rotation/: each strategy's four events rotate, replays do nothing more,
invalid events are refused."""

from __future__ import annotations

import json
import uuid
from types import ModuleType

import boto3
import pymysql
import pytest

from dbops.errors import RotationRefusedError
from dbops.mysql.connection import Credentials, Endpoint, connect
from tools.events import load_event, sample_events
from tools.lambda_context import LocalLambdaContext
from tools.local_setup import rotation as local_rotation
from tools.mariadb import MariaDB

SINGLE = [event for event in sample_events("rotation") if event.split("/")[1][0] in "1234"]
ALTERNATING = [event for event in sample_events("rotation") if event.split("/")[1][0] in "5678"]


def _seed(mariadb: MariaDB, first_event: str, *, master: bool = False) -> dict[str, str]:
    """The secret the event names, holding a fresh user's login, staged at the event's token."""
    event = load_event(first_event)
    client = boto3.client("secretsmanager")
    username = f"h_{uuid.uuid4().hex[:10]}"
    password = f"Initial-{uuid.uuid4().hex}"
    local_rotation.create_login(mariadb, username, password)
    extra = {}
    if master:
        created = client.create_secret(
            Name=f"master-{username}", SecretString=local_rotation.secret_value(mariadb, mariadb.user, mariadb.password)
        )
        extra["masterarn"] = created["ARN"]
    client.create_secret(
        Name=event["SecretId"], SecretString=local_rotation.secret_value(mariadb, username, password, **extra)
    )
    local_rotation.enable_rotation(event["SecretId"])
    local_rotation.stage_pending(event["SecretId"], event["ClientRequestToken"])
    return {"secret": event["SecretId"], "username": username, "password": password}


def _current(secret: str) -> dict[str, str]:
    value = boto3.client("secretsmanager").get_secret_value(SecretId=secret, VersionStage="AWSCURRENT")
    return dict(json.loads(value["SecretString"]))


def _logs_in(mariadb: MariaDB, username: str, password: str) -> bool:
    try:
        connect(
            Endpoint(mariadb.host, mariadb.port), Credentials(username, password), ca_bundle=mariadb.ca_bundle
        ).close()
    except pymysql.err.OperationalError as error:
        if error.args[0] == 1045:
            return False
        raise
    return True


def test_single_user_events_rotate_the_password_when_invoked_in_order(
    aws: None, mariadb: MariaDB, handler: ModuleType
) -> None:
    seeded = _seed(mariadb, SINGLE[0])

    outcomes = [handler.lambda_handler(load_event(event), LocalLambdaContext())["outcome"] for event in SINGLE]

    current = _current(seeded["secret"])
    assert outcomes == ["pending secret created", "pending password set", "pending secret works", "rotation finished"]
    assert _logs_in(mariadb, seeded["username"], current["password"])
    assert not _logs_in(mariadb, seeded["username"], seeded["password"])


def test_alternating_events_hand_over_to_the_clone_when_invoked_in_order(
    aws: None, mariadb: MariaDB, handler: ModuleType
) -> None:
    seeded = _seed(mariadb, ALTERNATING[0], master=True)

    for event in ALTERNATING:
        handler.lambda_handler(load_event(event), LocalLambdaContext())

    current = _current(seeded["secret"])
    assert current["username"] == f"{seeded['username']}_clone"
    assert _logs_in(mariadb, current["username"], current["password"])
    assert _logs_in(mariadb, seeded["username"], seeded["password"])


def test_every_event_does_nothing_more_when_replayed_after_the_rotation(
    aws: None, mariadb: MariaDB, handler: ModuleType
) -> None:
    seeded = _seed(mariadb, SINGLE[0])
    for event in SINGLE:
        handler.lambda_handler(load_event(event), LocalLambdaContext())
    rotated = _current(seeded["secret"])

    replays = [handler.lambda_handler(load_event(event), LocalLambdaContext())["outcome"] for event in SINGLE]

    assert replays == ["already current"] * 4
    assert _current(seeded["secret"]) == rotated
    assert _logs_in(mariadb, seeded["username"], rotated["password"])


@pytest.mark.parametrize("event", [e for e in sample_events("rotation") if e.split("/")[1].startswith("invalid_")])
def test_invalid_event_is_refused_and_changes_nothing_when_invoked(
    event: str, aws: None, mariadb: MariaDB, handler: ModuleType
) -> None:
    seeded = _seed(mariadb, SINGLE[0])
    before = boto3.client("secretsmanager").describe_secret(SecretId=seeded["secret"])["VersionIdsToStages"]

    with pytest.raises(RotationRefusedError):
        handler.lambda_handler(load_event(event), LocalLambdaContext())

    assert boto3.client("secretsmanager").describe_secret(SecretId=seeded["secret"])["VersionIdsToStages"] == before
    assert _logs_in(mariadb, seeded["username"], seeded["password"])
