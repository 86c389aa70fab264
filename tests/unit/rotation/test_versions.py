"""Engine and version detection, and the password statement each server accepts."""

from __future__ import annotations

import pytest

from dbops.mysql.accounts import own_password_statement, user_password_statements
from dbops.mysql.versions import Flavour, ServerVersion


@pytest.mark.parametrize(
    ("text", "flavour", "number"),
    [
        ("5.6.51-log", Flavour.MYSQL, (5, 6, 51)),
        ("5.7.44-log", Flavour.MYSQL, (5, 7, 44)),
        ("5.7.12", Flavour.MYSQL, (5, 7, 12)),  # Aurora MySQL 2
        ("8.0.13", Flavour.MYSQL, (8, 0, 13)),
        ("8.0.36", Flavour.MYSQL, (8, 0, 36)),
        ("8.0.mysql_aurora.3.05.2", Flavour.MYSQL, (8, 0, 0)),
        ("8.4.3", Flavour.MYSQL, (8, 4, 3)),
        ("9.1.0-commercial", Flavour.MYSQL, (9, 1, 0)),
        ("10.11.6-MariaDB", Flavour.MARIADB, (10, 11, 6)),
        ("10.11.19-MariaDB-0+deb13u1-log", Flavour.MARIADB, (10, 11, 19)),
        ("5.5.5-10.6.16-MariaDB-log", Flavour.MARIADB, (10, 6, 16)),
        ("11.4.2-MariaDB", Flavour.MARIADB, (11, 4, 2)),
        ("10.1.48-MariaDB", Flavour.MARIADB, (10, 1, 48)),
    ],
)
def test_version_is_detected_when_the_server_reports(text: str, flavour: Flavour, number: tuple[int, ...]) -> None:
    version = ServerVersion.parse(text)

    assert version.flavour is flavour
    assert version.number == number


def test_version_parse_fails_clearly_when_the_text_holds_no_version() -> None:
    with pytest.raises(ValueError, match="not a MySQL or MariaDB version"):
        ServerVersion.parse("PostgreSQL")


@pytest.mark.parametrize(
    ("text", "retain", "statement"),
    [
        ("5.6.51-log", False, "SET PASSWORD = PASSWORD(%s)"),
        ("5.7.5", False, "SET PASSWORD = PASSWORD(%s)"),
        ("5.7.6", False, "SET PASSWORD = %s"),
        ("5.7.44-log", True, "SET PASSWORD = %s"),
        ("8.0.13", True, "SET PASSWORD = %s"),
        ("8.0.14", False, "SET PASSWORD = %s"),
        ("8.0.14", True, "SET PASSWORD = %s RETAIN CURRENT PASSWORD"),
        ("8.0.36", True, "SET PASSWORD = %s RETAIN CURRENT PASSWORD"),
        ("9.1.0", True, "SET PASSWORD = %s RETAIN CURRENT PASSWORD"),
        ("10.11.6-MariaDB", False, "SET PASSWORD = PASSWORD(%s)"),
        ("10.11.6-MariaDB", True, "SET PASSWORD = PASSWORD(%s)"),
        ("11.4.2-MariaDB", True, "SET PASSWORD = PASSWORD(%s)"),
    ],
)
def test_own_password_statement_fits_the_server_when_it_is(text: str, retain: bool, statement: str) -> None:
    assert own_password_statement(ServerVersion.parse(text), retain_current=retain) == statement


@pytest.mark.parametrize(
    ("text", "dual"),
    [("8.0.13", False), ("8.0.14", True), ("9.0.1", True), ("5.7.44", False), ("11.4.2-MariaDB", False)],
)
def test_dual_passwords_are_offered_only_when_the_server_is_mysql_8_0_14_or_later(text: str, dual: bool) -> None:
    assert ServerVersion.parse(text).supports_dual_passwords is dual


@pytest.mark.parametrize(
    ("text", "statements"),
    [
        ("8.0.36", ["ALTER USER %s@%s IDENTIFIED BY %s, %s@%s IDENTIFIED BY %s"]),
        ("5.7.44", ["ALTER USER %s@%s IDENTIFIED BY %s, %s@%s IDENTIFIED BY %s"]),
        ("10.11.6-MariaDB", ["ALTER USER %s@%s IDENTIFIED BY %s, %s@%s IDENTIFIED BY %s"]),
        ("10.1.48-MariaDB", ["SET PASSWORD FOR %s@%s = PASSWORD(%s)"] * 2),
        ("5.6.51", ["SET PASSWORD FOR %s@%s = PASSWORD(%s)"] * 2),
    ],
)
def test_admin_password_statements_cover_every_host_when_the_server_is(text: str, statements: list[str]) -> None:
    assert user_password_statements(ServerVersion.parse(text), 2) == statements
