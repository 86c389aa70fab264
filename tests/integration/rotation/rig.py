"""A rotation test rig: a real MariaDB user, its secret in moto, and Secrets Manager's part played by hand."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

import boto3
import pymysql

from dbops.mysql.connection import Credentials, Endpoint, connect
from dbops.rotation import rotator
from tools.local_setup import rotation as local_rotation
from tools.mariadb import MariaDB

STEPS = ("createSecret", "setSecret", "testSecret", "finishSecret")


def unique_name(prefix: str = "app") -> str:
    """A user name no other test uses (short enough for its _clone)."""
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


@dataclass
class Rig:
    """One secret being rotated on the real MariaDB."""

    mariadb: MariaDB
    secret_id: str
    username: str
    password: str = field(repr=False)
    client: Any = field(default_factory=lambda: boto3.client("secretsmanager"))

    def start(self, token: str | None = None) -> str:
        """Stage a new rotation as Secrets Manager would (AWSPENDING, no value) and return its token."""
        token = token or str(uuid.uuid4())
        local_rotation.stage_pending(self.secret_id, token)
        return token

    def event(self, step: str, token: str) -> dict[str, str]:
        """The event Secrets Manager sends for ``step``."""
        return {"Step": step, "SecretId": self.secret_id, "ClientRequestToken": token}

    def step(self, step: str, token: str) -> dict[str, str]:
        """Run one step as the function would."""
        return rotator.handle(self.event(step, token), remaining_ms=30_000)

    def rotate(self, token: str | None = None) -> str:
        """A whole rotation: stage, then the four steps in order. Returns the token."""
        token = self.start(token)
        for step in STEPS:
            self.step(step, token)
        return token

    def value(self, stage: str | None = "AWSCURRENT", version_id: str | None = None) -> dict[str, Any]:
        """A version's secret JSON, by stage and/or version id."""
        arguments = {"SecretId": self.secret_id}
        if stage:
            arguments["VersionStage"] = stage
        if version_id:
            arguments["VersionId"] = version_id
        return dict(json.loads(self.client.get_secret_value(**arguments)["SecretString"]))

    def stages(self) -> dict[str, list[str]]:
        """Version id -> staging labels, for versions that hold a label."""
        described = self.client.describe_secret(SecretId=self.secret_id)
        return {version: stages for version, stages in described["VersionIdsToStages"].items() if stages}

    def logs_in(self, value: dict[str, Any]) -> bool:
        """Whether a secret value logs in to the real MariaDB (False when the server refuses it)."""
        try:
            connect(
                Endpoint(self.mariadb.host, self.mariadb.port),
                Credentials(value["username"], value["password"]),
                ca_bundle=self.mariadb.ca_bundle,
            ).close()
        except pymysql.err.OperationalError as error:
            if error.args[0] == 1045:
                return False
            raise
        return True

    def grants(self, username: str) -> list[str]:
        """SHOW GRANTS for username@'%' with the user name and password hash taken out, to compare users."""
        with self.mariadb.admin_connection() as connection, connection.cursor() as cursor:
            cursor.execute("SHOW GRANTS FOR %s@'%%'", (username,))
            lines = [row[0] for row in cursor.fetchall()]
        return sorted(line.replace(f" TO `{username}`@", " TO <user>@").split(" IDENTIFIED BY ")[0] for line in lines)


def make_rig(mariadb: MariaDB, *, alternating: bool = False, extra: dict[str, Any] | None = None) -> Rig:
    """A fresh user on MariaDB and a rotation-enabled secret holding its login (and master for alternating)."""
    username = unique_name()
    password = f"Initial-{uuid.uuid4().hex}"
    local_rotation.create_login(mariadb, username, password)
    client = boto3.client("secretsmanager")
    fields = dict(extra or {})
    if alternating:
        master = client.create_secret(
            Name=f"master-{username}",
            SecretString=local_rotation.secret_value(mariadb, mariadb.user, mariadb.password),
        )
        fields.setdefault("masterarn", master["ARN"])
    created = client.create_secret(
        Name=f"rotation-{username}", SecretString=local_rotation.secret_value(mariadb, username, password, **fields)
    )
    local_rotation.enable_rotation(created["Name"])
    return Rig(mariadb=mariadb, secret_id=created["ARN"], username=username, password=password, client=client)
