"""The example shop database for proxy_queries tests: one fresh database per test, an app login, seed rows."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from dbops.mysql.connection import Credentials, Endpoint
from tools.local_setup.proxy_queries import SEED, create_app_user, load_schema
from tools.mariadb import MariaDB


@dataclass(frozen=True)
class Shop:
    """A database holding the example schema and seed rows, and a login allowed only there."""

    server: MariaDB
    database: str
    user: str
    password: str = field(repr=False)

    @property
    def endpoint(self) -> Endpoint:
        """Where the shop is."""
        return Endpoint(self.server.host, self.server.port, self.database)

    @property
    def credentials(self) -> Credentials:
        """The app login."""
        return Credentials(self.user, self.password)

    def fetch(self, sql: str, *arguments: object) -> list[tuple[object, ...]]:
        """Run ``sql`` as the administrator in the shop's database and return the rows."""
        with self.server.admin_connection() as connection, connection.cursor() as cursor:
            cursor.execute(f"USE `{self.database}`")
            cursor.execute(sql, arguments or None)
            return list(cursor.fetchall())

    def kill(self, thread_id: int | None) -> None:
        """Kill one connection from another session, as a proxy idle timeout or a failover would."""
        assert thread_id is not None, "the session has no open connection to kill"
        with self.server.admin_connection() as connection, connection.cursor() as cursor:
            cursor.execute(f"KILL CONNECTION {int(thread_id)}")


@contextmanager
def shop_database(server: MariaDB) -> Iterator[Shop]:
    """Create a uniquely named shop with seed rows and a login, drop both afterwards."""
    suffix = uuid.uuid4().hex[:10]
    database, user = f"shop_{suffix}", f"app_{suffix}"
    with server.admin_connection() as connection:
        load_schema(connection, database)
        with connection.cursor() as cursor:
            for statement in SEED:
                cursor.execute(statement)
        password = create_app_user(connection, database, user)
    try:
        yield Shop(server=server, database=database, user=user, password=password)
    finally:
        with server.admin_connection() as connection, connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS `{database}`")
            cursor.execute(f"DROP USER IF EXISTS '{user}'@'%'")
