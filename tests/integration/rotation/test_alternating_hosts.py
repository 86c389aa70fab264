"""Alternating users: the clone is created on each of the original's hosts, with that host's grants."""

from __future__ import annotations

import uuid

import boto3

from tests.integration.rotation.rig import Rig, unique_name
from tools.local_setup import rotation as local_rotation
from tools.mariadb import MariaDB

HOSTS = ("127.0.0.1", "10.0.%")


def _grants(mariadb: MariaDB, user: str, host: str) -> list[str]:
    with mariadb.admin_connection() as connection, connection.cursor() as cursor:
        cursor.execute("SHOW GRANTS FOR %s@%s", (user, host))
        lines = [row[0] for row in cursor.fetchall()]
    return sorted(line.replace(f" TO `{user}`@", " TO <user>@").split(" IDENTIFIED BY ")[0] for line in lines)


def _hosts(mariadb: MariaDB, user: str) -> list[str]:
    with mariadb.admin_connection() as connection, connection.cursor() as cursor:
        cursor.execute("SELECT Host FROM mysql.user WHERE User = %s ORDER BY Host", (user,))
        return [row[0] for row in cursor.fetchall()]


def test_clone_gets_each_host_and_its_grants_when_the_user_is_not_defined_for_every_host(
    aws: None, mariadb: MariaDB
) -> None:
    username, password = unique_name(), f"Initial-{uuid.uuid4().hex}"
    with mariadb.admin_connection() as connection, connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE IF NOT EXISTS `{username}_db`")
        for host in HOSTS:
            cursor.execute("CREATE USER %s@%s IDENTIFIED BY %s", (username, host, password))
        cursor.execute(f"GRANT SELECT ON `{username}_db`.* TO %s@'127.0.0.1' WITH GRANT OPTION", (username,))
        cursor.execute(f"GRANT INSERT, UPDATE ON `{username}_db`.* TO %s@'10.0.%%'", (username,))
    client = boto3.client("secretsmanager")
    master = client.create_secret(
        Name=f"master-{username}", SecretString=local_rotation.secret_value(mariadb, mariadb.user, mariadb.password)
    )
    secret = client.create_secret(
        Name=f"rotation-{username}",
        SecretString=local_rotation.secret_value(mariadb, username, password, masterarn=master["ARN"]),
    )
    local_rotation.enable_rotation(secret["Name"])
    rig = Rig(mariadb=mariadb, secret_id=secret["ARN"], username=username, password=password, client=client)

    rig.rotate()

    clone = f"{username}_clone"
    assert _hosts(mariadb, clone) == sorted(HOSTS)
    for host in HOSTS:
        assert _grants(mariadb, clone, host) == _grants(mariadb, username, host)
    assert rig.logs_in(rig.value())
    assert rig.value()["username"] == clone
