"""One reused connection per endpoint, as RDS Proxy wants it: reads retried once on a lost connection,
writes never retried, and nothing that would pin the proxy session.

A warm Lambda container keeps its connection between invocations. The proxy may close it meanwhile (idle
timeout, failover): a read that meets a lost connection reconnects and runs once more; a write is checked
with a ping before it is sent, and if the connection is lost while it runs the caller is told its outcome is
unknown, because it may have been applied. Multi-statement writes run in one short explicit transaction.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import pymysql
import pymysql.cursors
from pymysql.constants import CR, ER

from dbops.errors import DatabaseUnavailableError, QueryConflictError, QueryFailedError, WriteOutcomeUnknownError
from dbops.mysql.connection import Credentials, Endpoint, Timeouts, connect
from dbops.observability import logger

type Connection = pymysql.connections.Connection[pymysql.cursors.DictCursor]
type Connector = Callable[..., Connection]

# Error codes meaning the connection is gone (client-side CR_* and the server's "you were killed/shut down").
LOST_CONNECTION = frozenset(
    {
        CR.CR_SERVER_GONE_ERROR,
        CR.CR_SERVER_LOST,
        CR.CR_CONNECTION_ERROR,
        getattr(CR, "CR_SERVER_LOST_EXTENDED", 2055),
        ER.SERVER_SHUTDOWN,
        1927,  # ER_CONNECTION_KILLED (MariaDB)
        4031,  # ER_CLIENT_INTERACTION_TIMEOUT (MySQL 8)
    }
)
# Connecting failed for a reason that may pass: unreachable, too many connections, login refused.
UNAVAILABLE_ON_CONNECT = frozenset(
    {CR.CR_CONN_HOST_ERROR, CR.CR_CONNECTION_ERROR, CR.CR_SERVER_LOST, ER.CON_COUNT_ERROR, ER.ACCESS_DENIED_ERROR}
)


class CredentialSource(Protocol):
    """Where the next connection's login comes from (an IAM token, a secret)."""

    def credentials(self) -> Credentials: ...

    def invalidate(self) -> None: ...


class StaticLogin:
    """A login known up front (a local database, a benchmark): nothing to refresh."""

    def __init__(self, credentials: Credentials) -> None:
        self._credentials = credentials

    def credentials(self) -> Credentials:
        """The login."""
        return self._credentials

    def invalidate(self) -> None:
        """Nothing to fetch again: the same login is all there is."""


class QuerySession:
    """The container's connection to one endpoint, opened lazily and reopened when lost."""

    def __init__(
        self,
        endpoint: Endpoint,
        login: CredentialSource,
        *,
        ca_bundle: str | None = None,
        timeouts: Timeouts | None = None,
        connector: Connector = connect,
    ) -> None:
        self._endpoint = endpoint
        self._login = login
        self._ca_bundle = ca_bundle
        self._timeouts = timeouts or Timeouts()
        self._connector = connector
        self._connection: Connection | None = None

    @property
    def thread_id(self) -> int | None:
        """The server's id of the open connection (what KILL CONNECTION takes), None when closed."""
        if self._connection is None or not self._connection.open:
            return None
        thread_id: int = self._connection.thread_id()  # type: ignore[no-untyped-call]  # untyped in the stubs
        return thread_id

    def read(self, sql: str, arguments: Sequence[Any]) -> list[dict[str, Any]]:
        """Run one SELECT and return its rows; on a lost connection reconnect and run it once more."""
        for attempt in (1, 2):
            connection = self._open()
            try:
                with connection.cursor() as cursor:
                    cursor.execute(sql, tuple(arguments))
                    return list(cursor.fetchall())
            except pymysql.err.MySQLError as error:
                if not _lost(error):
                    raise _refusal(error) from error
                self.close()
                logger.warning("connection lost during a read", attempt=attempt, code=_code(error))
                if attempt == 2:
                    raise DatabaseUnavailableError("the database connection keeps dropping: retry shortly") from error
        raise AssertionError("unreachable")  # pragma: no cover

    def write(self, statements: Sequence[tuple[str, Sequence[Any]]]) -> int:
        """Run the statements (several in one transaction) and return the rows changed; never retried."""
        reused = self._connection is not None and self._connection.open
        connection = self._open()
        if reused:
            try:
                connection.ping(reconnect=False)  # the proxy may have closed it since the last invocation
            except pymysql.err.MySQLError:
                logger.info("stale connection replaced before a write")
                self.close()
                connection = self._open()
        affected = 0
        try:
            if len(statements) > 1:
                connection.begin()
            with connection.cursor() as cursor:
                for sql, arguments in statements:
                    affected += cursor.execute(sql, tuple(arguments))
            if len(statements) > 1:
                connection.commit()
        except pymysql.err.MySQLError as error:
            if _lost(error):
                self.close()
                raise WriteOutcomeUnknownError(
                    "the database connection was lost while the write ran: it may or may not have been applied; "
                    "read the data back before sending it again"
                ) from error
            self._rollback(connection)
            raise _refusal(error) from error
        return affected

    def close(self) -> None:
        """Close the connection (it is reopened at the next use)."""
        connection, self._connection = self._connection, None
        if connection is not None:
            # Already gone: closing a lost connection cannot fail in a way that matters.
            with contextlib.suppress(pymysql.err.Error):
                connection.close()

    def _open(self) -> Connection:
        if self._connection is not None and self._connection.open:
            return self._connection
        self._connection = None
        for attempt in (1, 2):
            try:
                self._connection = self._connector(
                    self._endpoint, self._login.credentials(), ca_bundle=self._ca_bundle, timeouts=self._timeouts
                )
                return self._connection
            except pymysql.err.MySQLError as error:
                code = _code(error)
                logger.warning("cannot connect to the database", attempt=attempt, code=code)
                if code == ER.ACCESS_DENIED_ERROR and attempt == 1:
                    self._login.invalidate()  # a rotated password or an expired token: fetch it once more
                    continue
                if code in UNAVAILABLE_ON_CONNECT or isinstance(error, pymysql.err.OperationalError):
                    raise DatabaseUnavailableError("the database is unavailable: retry shortly") from error
                raise QueryFailedError("the database refused the connection: see the function's logs") from error
        raise AssertionError("unreachable")  # pragma: no cover

    def _rollback(self, connection: Connection) -> None:
        try:
            connection.rollback()
        except pymysql.err.MySQLError:
            self.close()


def _code(error: BaseException) -> int | None:
    code = error.args[0] if error.args else None
    return code if isinstance(code, int) else None


def _lost(error: pymysql.err.MySQLError) -> bool:
    if isinstance(error, pymysql.err.InterfaceError):
        return True  # pymysql raises InterfaceError(0, "") on a socket it already knows is closed
    code = _code(error)
    return code in LOST_CONNECTION or isinstance(error.__cause__ or error.__context__, OSError)


def _refusal(error: pymysql.err.MySQLError) -> Exception:
    logger.error("the database refused a query", code=_code(error), error_type=type(error).__name__)
    if isinstance(error, pymysql.err.IntegrityError):
        return QueryConflictError("the write conflicts with existing data (a duplicate or missing key)")
    if isinstance(error, pymysql.err.OperationalError) and _code(error) in {ER.LOCK_WAIT_TIMEOUT, ER.LOCK_DEADLOCK}:
        return DatabaseUnavailableError("the database is busy (lock wait or deadlock): retry shortly")
    return QueryFailedError("the database refused the query: see the function's logs")
