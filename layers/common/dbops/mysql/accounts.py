"""MySQL and MariaDB accounts: log in, change passwords, clone a user with its hosts and grants.

Every SQL statement that carries a password sends it as a bound parameter, and every database error that
leaves this module is redacted first: servers echo statements ("... near '<sql>' at line 1") and the SQL
here holds passwords.
"""

from __future__ import annotations

import re
import ssl
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pymysql
import pymysql.converters
import pymysql.cursors
import pymysql.err

from dbops.errors import DatabaseAccessError
from dbops.mysql.connection import Credentials, Endpoint, tls_context
from dbops.mysql.versions import Flavour, ServerVersion

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

# MySQL's limit since 5.7.8 (MariaDB allows 80): a name that fits it works on every server we support.
MAX_USER_NAME_LENGTH = 32

_AUTHENTICATION_CODES = frozenset({1045, 1698, 1862, 1820, 1251})
_NETWORK_CODES = frozenset({2002, 2003, 2005, 2006, 2013, 2055})
_PRIVILEGE_CODES = frozenset({1044, 1142, 1143, 1211, 1227, 1370, 1396, 1410, 3530})
_ECHOED_SQL = re.compile(r"near '.*?' at line", re.DOTALL)
# MariaDB's SHOW GRANTS carries the password hash (or the plugin's data) on the USAGE line.
_IDENTIFIED = re.compile(
    r"\s+IDENTIFIED\s+(?:BY\s+PASSWORD\s+'[^']*'|VIA\s+.+?)(?=\s+REQUIRE\s|\s+WITH\s|$)", re.IGNORECASE
)


@dataclass(frozen=True)
class SessionInfo:
    """Who a session is logged in as, and its TLS cipher (empty when plaintext)."""

    current_user: str
    tls_cipher: str

    @property
    def user_name(self) -> str:
        """The user part of ``CURRENT_USER()`` (``app@%`` -> ``app``)."""
        return self.current_user.rpartition("@")[0] or self.current_user


def own_password_statement(version: ServerVersion, *, retain_current: bool) -> str:
    """The statement a user runs to change its own password (one ``%s``: the new password).

    ``ALTER USER CURRENT_USER()`` is avoided: MariaDB refuses it to a user without CREATE USER.
    """
    if not _takes_plain_set_password(version):
        return "SET PASSWORD = PASSWORD(%s)"
    if retain_current and version.supports_dual_passwords:
        return "SET PASSWORD = %s RETAIN CURRENT PASSWORD"
    return "SET PASSWORD = %s"


def user_password_statements(version: ServerVersion, hosts: int) -> list[str]:
    """Statements an administrator runs to set one user's password on ``hosts`` hosts.

    Each ``%s`` triple is user, host, password. Where ``ALTER USER`` exists it is one statement for every
    host, so the password changes on all of them or none.
    """
    if version.has_alter_user_identified_by:
        return ["ALTER USER " + ", ".join(["%s@%s IDENTIFIED BY %s"] * hosts)]
    return ["SET PASSWORD FOR %s@%s = PASSWORD(%s)"] * hosts


def _takes_plain_set_password(version: ServerVersion) -> bool:
    # MySQL 5.7.6+ takes SET PASSWORD = 'plaintext' (PASSWORD() is deprecated there, gone in 8.0);
    # MariaDB treats a bare string as a hash, so it keeps PASSWORD().
    return version.flavour is Flavour.MYSQL and version.number >= (5, 7, 6)


def clone_grant(statement: str, *, user: str, host: str, clone: str) -> str:
    """Rewrite one line of ``SHOW GRANTS FOR user@host`` so it grants the same to ``clone@host``.

    Drops MariaDB's ``IDENTIFIED BY PASSWORD '<hash>'`` (the clone has its own password); keeps
    ``WITH GRANT OPTION`` and every privilege. Raises ValueError when the grantee is not where expected.
    """
    for quote in ("`", "'"):
        grantee = f"{quote}{user}{quote}@{quote}{host}{quote}"
        marker = f" TO {grantee}"
        if marker in statement:
            rewritten = statement.replace(marker, f" TO {quote}{clone}{quote}@{quote}{host}{quote}", 1)
            return _IDENTIFIED.sub("", rewritten)
    raise ValueError(f"a grant of {user}@{host} does not name it as grantee: {_IDENTIFIED.sub('', statement)}")


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` without any of ``secrets`` (raw or SQL-escaped) and without echoed SQL."""
    text = _ECHOED_SQL.sub("near [redacted] at line", text)
    for secret in secrets:
        if secret:
            for form in {secret, pymysql.converters.escape_string(secret)}:
                text = text.replace(form, "[redacted]")
    return text


def classify(error: BaseException) -> str:
    """network, authentication, tls, privilege or other, from a pymysql error and its causes."""
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLError | ssl.CertificateError):
            return "tls"
        seen = seen.__cause__ or seen.__context__
    code = error.args[0] if error.args and isinstance(error.args[0], int) else None
    if code in _AUTHENTICATION_CODES:
        return "authentication"
    if code in _PRIVILEGE_CODES:
        return "privilege"
    if code in _NETWORK_CODES or isinstance(error, OSError | TimeoutError):
        return "network"
    return "other"


def _database_error(action: str, error: BaseException, secrets: Iterable[str]) -> DatabaseAccessError:
    """A DatabaseAccessError for ``error``, whose message and chained cause carry no secret."""
    secrets = tuple(secrets)
    failure = classify(error)
    code = error.args[0] if error.args and isinstance(error.args[0], int) else None
    detail = redact(str(error.args[1] if len(error.args) > 1 else error), secrets)
    message = f"{action} failed ({failure}"
    message += f", MySQL error {code}): {detail}" if code is not None else f"): {type(error).__name__}: {detail}"
    wrapped = DatabaseAccessError(message, failure=failure)
    # The original exception's args may hold echoed SQL: chain a redacted copy of it instead.
    cause = type(error)(code, detail) if code is not None and isinstance(error, pymysql.err.MySQLError) else None
    wrapped.__cause__ = cause
    wrapped.__suppress_context__ = True
    return wrapped


class Session:
    """A logged-in database session and the account operations rotation needs."""

    def __init__(self, connection: pymysql.connections.Connection[pymysql.cursors.DictCursor]) -> None:
        self._connection = connection

    def close(self) -> None:
        """Close the session (quietly: the server may have gone)."""
        try:
            self._connection.close()
        except pymysql.err.Error:
            return

    def _execute(
        self, action: str, sql: str, args: tuple[str, ...] = (), *, secrets: tuple[str, ...] = ()
    ) -> list[dict[str, object]]:
        try:
            with self._connection.cursor() as cursor:
                cursor.execute(sql, args or None)
                return list(cursor.fetchall())
        except (pymysql.err.MySQLError, OSError) as error:
            raise _database_error(action, error, secrets) from None

    def version(self) -> ServerVersion:
        """The server's family and version."""
        row = self._execute("reading the server version", "SELECT VERSION() AS version")[0]
        return ServerVersion.parse(str(row["version"]))

    def info(self) -> SessionInfo:
        """Who this session is and whether it runs over TLS."""
        user = self._execute("reading the current user", "SELECT CURRENT_USER() AS user")[0]["user"]
        rows = self._execute("reading the TLS cipher", "SHOW SESSION STATUS LIKE 'Ssl_cipher'")
        return SessionInfo(current_user=str(user), tls_cipher=str(rows[0]["Value"]) if rows else "")

    def check_query(self) -> None:
        """Run a harmless query: the session can work, not only log in."""
        self._execute("running a test query", "SELECT NOW() AS now")

    def change_own_password(self, version: ServerVersion, password: str, *, retain_current: bool) -> None:
        """Set this session's own user's password."""
        statement = own_password_statement(version, retain_current=retain_current)
        self._execute("changing the user's own password", statement, (password,), secrets=(password,))

    def user_hosts(self, user: str) -> list[str]:
        """The hosts ``user`` is defined for (``%``, ``10.0.%``...), sorted."""
        rows = self._execute(
            "reading the user's hosts",
            "SELECT Host AS host FROM mysql.user WHERE User = %s ORDER BY Host",
            (user,),
        )
        return [str(row["host"]) for row in rows]

    def grants(self, user: str, host: str) -> list[str]:
        """The statements of ``SHOW GRANTS FOR user@host`` (MariaDB's may hold a password hash)."""
        rows = self._execute("reading the user's grants", "SHOW GRANTS FOR %s@%s", (user, host))
        return [str(next(iter(row.values()))) for row in rows]

    def create_user(self, user: str, host: str, password: str) -> None:
        """Create ``user@host`` with ``password`` (it must not exist)."""
        self._execute(
            "creating the alternate user",
            "CREATE USER %s@%s IDENTIFIED BY %s",
            (user, host, password),
            secrets=(password,),
        )

    def grant(self, statement: str) -> None:
        """Run one GRANT statement (from clone_grant: no password in it)."""
        self._execute("granting the alternate user its privileges", statement)

    def set_user_passwords(self, version: ServerVersion, user: str, hosts: list[str], password: str) -> None:
        """Set ``user``'s password on each of ``hosts`` as an administrator."""
        statements = user_password_statements(version, len(hosts))
        per_statement = len(hosts) // len(statements)
        for index, statement in enumerate(statements):
            chunk = hosts[index * per_statement : (index + 1) * per_statement]
            args = tuple(value for host in chunk for value in (user, host, password))
            self._execute("setting the alternate user's password", statement, args, secrets=(password,))


def open_session(
    endpoint: Endpoint, credentials: Credentials, *, tls: bool, ca_bundle: str | None, timeout: float
) -> Session:
    """Log in over verified TLS (plaintext only when ``tls`` is False); errors classified, redacted."""
    try:
        connection = pymysql.connect(
            host=endpoint.host,
            port=endpoint.port,
            user=credentials.username,
            password=credentials.password,
            database=endpoint.database,
            ssl=tls_context(ca_bundle) if tls else None,
            connect_timeout=timeout,
            read_timeout=timeout,
            write_timeout=timeout,
            autocommit=True,
            charset="utf8mb4",
            cursorclass=pymysql.cursors.DictCursor,
        )
    except (pymysql.err.MySQLError, OSError) as error:
        raise _database_error(
            f"logging in as {credentials.username} to {endpoint.host}:{endpoint.port}",
            error,
            (credentials.password,),
        ) from None
    return Session(connection)


@contextmanager
def session(
    endpoint: Endpoint, credentials: Credentials, *, tls: bool, ca_bundle: str | None, timeout: float
) -> Iterator[Session]:
    """open_session as a context manager that closes the session."""
    opened = open_session(endpoint, credentials, tls=tls, ca_bundle=ca_bundle, timeout=timeout)
    try:
        yield opened
    finally:
        opened.close()
