"""A real MariaDB for tests and the local stack: the one MYSQL_* names, or a throwaway server with TLS on.

The throwaway server lives in a temporary directory: `mariadb-install-db --no-defaults`, then `mariadbd
--no-defaults` on a free 127.0.0.1 port with a CA and server certificate made for the run (trustme), so
every connection the suite makes is verified TLS, as in production. It is ready in about a second.
"""

from __future__ import annotations

import getpass
import os
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pymysql
import trustme

INSTALL_HINT = (
    "MariaDB's server binaries (mariadbd, mariadb-install-db) were not found: install them with "
    "'apt-get install mariadb-server', or point MYSQL_HOST, MYSQL_PORT, MYSQL_USER, MYSQL_PASSWORD "
    "(and MYSQL_CA for its CA bundle) at a running MySQL-compatible server"
)
ADMIN_USER = "dbops_admin"


@dataclass(frozen=True)
class MariaDB:
    """A running server and an administrator login on it (all privileges, with grant option)."""

    host: str
    port: int
    user: str
    password: str = field(repr=False)
    ca_bundle: str | None = None

    def admin_connection(self) -> pymysql.connections.Connection[pymysql.cursors.Cursor]:
        """An autocommit administrator connection (TLS verified when the CA is known)."""
        return pymysql.connect(
            host=self.host,
            port=self.port,
            user=self.user,
            password=self.password,
            ssl_ca=self.ca_bundle,
            ssl_verify_identity=self.ca_bundle is not None,
            autocommit=True,
            connect_timeout=5,
        )


def from_environment() -> MariaDB | None:
    """The server MYSQL_HOST and friends name, or None when MYSQL_HOST is unset."""
    host = os.environ.get("MYSQL_HOST")
    if not host:
        return None
    server = MariaDB(
        host=host,
        port=int(os.environ.get("MYSQL_PORT", "3306")),
        user=os.environ.get("MYSQL_USER", "root"),
        password=os.environ.get("MYSQL_PASSWORD", ""),
        ca_bundle=os.environ.get("MYSQL_CA") or None,
    )
    try:
        server.admin_connection().close()
    except pymysql.err.OperationalError as error:
        raise RuntimeError(
            f"MYSQL_HOST={host} is set but the server does not accept the login: {error.args}"
        ) from error
    return server


@contextmanager
def throwaway(workdir: Path) -> Iterator[MariaDB]:
    """Start a private MariaDB with TLS in ``workdir``; stop it and keep nothing on exit."""
    mariadbd = _binary("mariadbd")
    install_db = _binary("mariadb-install-db")
    datadir = workdir / "data"
    user = getpass.getuser()
    subprocess.run(
        [
            install_db,
            "--no-defaults",
            f"--datadir={datadir}",
            f"--user={user}",
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    ca_path, cert_path, key_path = _certificates(workdir)
    socket_path = workdir / "mariadb.sock"
    port = free_port()
    process = subprocess.Popen(
        [
            mariadbd,
            "--no-defaults",
            f"--datadir={datadir}",
            f"--user={user}",
            "--bind-address=127.0.0.1",
            f"--port={port}",
            f"--socket={socket_path}",
            f"--pid-file={workdir / 'mariadb.pid'}",
            f"--ssl-ca={ca_path}",
            f"--ssl-cert={cert_path}",
            f"--ssl-key={key_path}",
            "--skip-log-bin",
            "--skip-name-resolve",
            "--innodb-buffer-pool-size=32M",
            "--innodb-flush-log-at-trx-commit=0",
            "--max-connections=300",
        ],
        stdout=subprocess.DEVNULL,
        stderr=(workdir / "mariadb.err").open("wb"),
    )
    try:
        password = secrets.token_urlsafe(18)
        _create_admin(socket_path, password, process, workdir)
        yield MariaDB(host="127.0.0.1", port=port, user=ADMIN_USER, password=password, ca_bundle=str(ca_path))
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(datadir, ignore_errors=True)


def _binary(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/local/sbin:/usr/bin")
    if path is None:
        raise RuntimeError(INSTALL_HINT)
    return path


def _certificates(workdir: Path) -> tuple[Path, Path, Path]:
    authority = trustme.CA()
    server = authority.issue_cert("127.0.0.1", "localhost")
    ca_path, cert_path, key_path = workdir / "ca.pem", workdir / "server.pem", workdir / "server-key.pem"
    authority.cert_pem.write_to_path(str(ca_path))
    server.cert_chain_pems[0].write_to_path(str(cert_path))
    server.private_key_pem.write_to_path(str(key_path))
    return ca_path, cert_path, key_path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _create_admin(socket_path: Path, password: str, process: subprocess.Popen[bytes], workdir: Path) -> None:
    """Wait for the server's socket, then create the administrator the tests and the local stack use."""
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            log = (workdir / "mariadb.err").read_text(errors="replace")[-2000:]
            raise RuntimeError(f"the throwaway MariaDB exited with {process.returncode}:\n{log}")
        try:
            connection = pymysql.connect(unix_socket=str(socket_path), user="root", autocommit=True)
            break
        except pymysql.err.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    with connection, connection.cursor() as cursor:
        cursor.execute(f"CREATE USER '{ADMIN_USER}'@'%%' IDENTIFIED BY %s REQUIRE SSL", (password,))
        cursor.execute(f"GRANT ALL PRIVILEGES ON *.* TO '{ADMIN_USER}'@'%' WITH GRANT OPTION")
