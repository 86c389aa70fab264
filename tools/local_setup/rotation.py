"""Local setup for `rotation`: play Secrets Manager's part of a rotation in moto, on the local MariaDB.

moto cannot orchestrate a rotation without Docker (its rotate_secret runs the Lambda in a container), so this
does what the service does before it invokes createSecret: it turns rotation on and records a version whose
id is the token, labelled AWSPENDING and holding no value yet. moto's public API cannot make a version without
a value, so its backend (in this process: the local stack's moto server and the tests' mock_aws both live
here) is used. The sample events then run createSecret, setSecret, testSecret and finishSecret in order.
"""

from __future__ import annotations

import json
import time
import uuid
from typing import TYPE_CHECKING, Any

from moto.core.models import DEFAULT_ACCOUNT_ID
from moto.secretsmanager.models import FakeSecret, secretsmanager_backends

from tools.events import load_event

if TYPE_CHECKING:
    from tools.local_stack import LocalStack
    from tools.mariadb import MariaDB

REGION = "us-east-1"
# The sample events' first step of each strategy: they name the secret and the token.
SINGLE_USER_EVENT = "rotation/1_create_secret.json"
ALTERNATING_EVENT = "rotation/5_alternating_create_secret.json"


def _secret(secret_id: str, region: str) -> FakeSecret:
    secret = secretsmanager_backends[DEFAULT_ACCOUNT_ID][region].secrets[secret_id]
    if not isinstance(secret, FakeSecret):
        raise TypeError(f"{secret_id} is a replica: rotate its primary")
    return secret


def enable_rotation(secret_id: str, *, region: str = REGION) -> None:
    """Mark the secret as rotation-enabled, as RotateSecret with a Lambda would."""
    secret = _secret(secret_id, region)
    secret.rotation_requested = True
    secret.rotation_enabled = True
    secret.auto_rotate_after_days = 30
    secret.rotation_lambda_arn = f"arn:aws:lambda:{region}:{DEFAULT_ACCOUNT_ID}:function:dbops-rotation"


def stage_pending(secret_id: str, token: str, *, region: str = REGION) -> None:
    """Record version ``token`` labelled AWSPENDING with no value, as Secrets Manager does before createSecret."""
    secret = _secret(secret_id, region)
    secret.remove_version_stages_from_old_versions(["AWSPENDING"])
    secret.versions[token] = {"createdate": int(time.time()), "version_id": token, "version_stages": ["AWSPENDING"]}


def create_login(mariadb: MariaDB, username: str, password: str, *, database: str | None = None) -> None:
    """Create ``username``@'%' on the server with SELECT (and grant option) on ``database``, made if missing."""
    database = database or f"{username}_db"
    with mariadb.admin_connection() as connection, connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE IF NOT EXISTS `{database}`")
        cursor.execute("CREATE USER %s@'%%' IDENTIFIED BY %s", (username, password))
        cursor.execute(f"GRANT SELECT, INSERT ON `{database}`.* TO %s@'%%' WITH GRANT OPTION", (username,))


def secret_value(mariadb: MariaDB, username: str, password: str, **extra: Any) -> str:
    """The secret JSON for a login on ``mariadb``, in the reference rotation functions' shape."""
    return json.dumps(
        {
            "engine": "mariadb",
            "host": mariadb.host,
            "port": mariadb.port,
            "username": username,
            "password": password,
            "dbname": f"{username}_db",
            "ssl": True,
            **extra,
        }
    )


def prepare(stack: LocalStack) -> dict[str, str]:
    """Create two users on the local MariaDB and the secrets the sample events rotate, staged at their tokens.

    The single-user secret holds one user's login; the alternating-users one names the local server's
    administrator login as its master secret (``masterarn``), as an RDS master secret would be.
    """
    client = stack.client("secretsmanager")
    master = client.create_secret(
        Name="dbops/local-rotation-master",
        SecretString=secret_value(stack.mariadb, stack.mariadb.user, stack.mariadb.password),
    )
    for event_path, extra in ((SINGLE_USER_EVENT, {}), (ALTERNATING_EVENT, {"masterarn": master["ARN"]})):
        event = load_event(event_path)
        username = f"local_{uuid.uuid4().hex[:8]}"
        password = f"Local-{uuid.uuid4().hex}"
        create_login(stack.mariadb, username, password)
        client.create_secret(
            Name=event["SecretId"], SecretString=secret_value(stack.mariadb, username, password, **extra)
        )
        enable_rotation(event["SecretId"])
        stage_pending(event["SecretId"], event["ClientRequestToken"])
    return {
        "DB_CA_BUNDLE": stack.mariadb.ca_bundle or "",
    }
